import { createToolRegistry, defineTool, type ToolCallEnd, toResponsesTool } from '@relaykit/tool-registry';
import { z } from 'zod';

const findEvents = defineTool({
  name: 'find_events',
  description: 'Find upcoming events in a city.',
  risk: 'read',
  input: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ events: [`${city} meetup`] }),
});

export const calls: ToolCallEnd[] = [];
export const registry = createToolRegistry({
  policies: [{ effect: 'deny', risks: ['write'], agentTypes: ['faq'] }],
  hooks: { onToolEnd: (call) => void calls.push(call) },
}).register(findEvents);

export const openAITools = registry.list().map(toResponsesTool); // for POST /v1/responses
export const result = await registry.execute('find_events', '{"city":"Oslo"}', { userId: 'u1' });
// result: { ok: true, output: { events: ['Oslo meetup'] } }
