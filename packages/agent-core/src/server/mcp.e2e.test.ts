// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON and recorded request bodies loosely.
/**
 * MCP end to end (the README example): a real MCP server (`@modelcontextprotocol/sdk`, Streamable HTTP on a local
 * port) passed to an agent with `defineAgent({ mcpServers })`, its tool called by the model (the fake OpenAI server)
 * through the ChatKit agents responder; and a hosted MCP tool (`hostedMcpTool`) passed through to the Responses request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { hostedMcpTool, MCPServerStreamableHttp, setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectReadmeSnippet } from '../../test/readme-snippet';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { post, readEvents } from './conformance.suite';

setTracingDisabled(true);

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

/** A stateless MCP server over Streamable HTTP exposing one tool, `venue_capacity`, on 127.0.0.1 and a free port. */
async function startVenueMcpServer(): Promise<{ url: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const build = () => {
    const server = new McpServer({ name: 'venues', version: '1.0.0' });
    server.registerTool(
      'venue_capacity',
      { description: 'How many guests a venue seats', inputSchema: { venueId: z.string() } },
      async ({ venueId }) => {
        calls.push(venueId);
        return { content: [{ type: 'text', text: `Venue ${venueId} seats 120 guests.` }] };
      },
    );
    return server;
  };
  const http: Server = createServer(async (request, response) => {
    const server = build();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

describe('MCP servers through defineAgent({ mcpServers }) and the agents responder', () => {
  let venueServer: Awaited<ReturnType<typeof startVenueMcpServer>>;
  let venues: MCPServerStreamableHttp | undefined;
  let fake: FakeOpenAI;

  beforeAll(async () => {
    venueServer = await startVenueMcpServer();
    fake = await createFakeOpenAI({
      script: {
        rules: [
          { match: { hasToolOutput: true }, reply: { text: 'The venue seats 120 guests.' } },
          { reply: { toolCalls: [{ name: 'venue_capacity', arguments: { venueId: 'v_1' } }] } },
        ],
        fallback: 'error',
      },
    });
  });
  afterAll(async () => {
    await venues?.close();
    await venueServer?.close();
    await fake?.close();
  });

  it('the model calls the MCP tool; its output reaches the next model request and the ChatKit answer', async () => {
    const store = createMemoryStore();
    const modelAccess = createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
    const venueMcpUrl = venueServer.url;
    const toolEvents: string[] = [];
    // --- mcp ---
    // The app owns the MCP connection: connect once at startup, close at shutdown (RelayKit does neither).
    venues = new MCPServerStreamableHttp({ url: venueMcpUrl, name: 'venues', cacheToolsList: true });
    await venues.connect(); // at shutdown: await venues.close();
    const planner = defineAgent({
      type: 'planner',
      description: 'Plans events',
      metadata: z.object({}),
      instructions: 'Use the venue tools.',
      mcpServers: [venues], // local MCP servers: their tools are listed and called in every run
      tools: [hostedMcpTool({ serverLabel: 'docs', serverUrl: 'https://mcp.docs.example/mcp' })], // run by OpenAI
      hooks: { agent_tool_end: (_context, tool, result) => toolEvents.push(`${tool.name}: ${result}`) },
    });
    const server = createChatKitServer({
      store,
      agents: { registry: createAgentRegistry([planner]), modelAccess },
    });
    // --- end mcp ---
    const context = { userId: crypto.randomUUID() };
    const events = await readEvents(
      await server.handle(
        post({ type: 'threads.create', params: { input: input('How many guests fit?') } }),
        context,
      ),
    );

    expect(venueServer.calls).toEqual(['v_1']);
    expect(fake.calls).toHaveLength(2);
    const first = fake.calls[0]?.body as any;
    const listed = first.tools.find((tool: any) => tool.name === 'venue_capacity');
    expect(listed).toMatchObject({ type: 'function', description: 'How many guests a venue seats' });
    expect(listed.parameters.properties).toHaveProperty('venueId');
    // The hosted MCP tool passes through to the Responses request untouched.
    expect(first.tools).toContainEqual({
      type: 'mcp',
      server_label: 'docs',
      server_url: 'https://mcp.docs.example/mcp',
      require_approval: 'never',
    });
    const second = fake.calls[1]?.body as any;
    const output = second.input.find((item: any) => item.type === 'function_call_output');
    expect(JSON.stringify(output)).toContain('Venue v_1 seats 120 guests.');
    const done = events.filter((event) => event.type === 'thread.item.done').at(-1);
    expect(done?.item).toMatchObject({
      type: 'assistant_message',
      content: [{ text: 'The venue seats 120 guests.' }],
    });
    // The agent's lifecycle hooks (passed through defineAgent) saw the MCP tool run.
    expect(toolEvents).toHaveLength(1);
    expect(toolEvents[0]).toMatch(/^venue_capacity: .*120 guests/);

    // The connection outlives the run: a second turn uses the same connected server.
    const threadId = events[0]?.thread.id;
    await readEvents(
      await server.handle(
        post({ type: 'threads.add_user_message', params: { thread_id: threadId, input: input('And v_2?') } }),
        context,
      ),
    );
    expect(venueServer.calls).toEqual(['v_1', 'v_1']);
    expectReadmeSnippet(new URL(import.meta.url), 'mcp');
  });
});
