/**
 * Scenario B, the mobile health assistant. Two ways to serve the app:
 * - a self-hosted `health` agent (logs and reads the user's measurements through tools), run like any other agent;
 * - the OpenAI-hosted Agent Builder workflow, bridged by {@link startHostedHealthSession} with `createChatKitSession`
 *   (`POST /v1/chatkit/sessions`, beta header set by the SDK), answering the app's `stream: false` JSON shape.
 */
import { createToolRegistry, defineTool } from '@relaykit/tool-registry';
import { toAgentsTools } from '@relaykit/tool-registry/agents';
import type OpenAI from 'openai';
import { z } from 'zod';
import { createAgentRegistry, createChatKitSession, defineAgent } from '../../src/index.ts';
import { appendCapped } from '../demo-store.ts';

export const MEASUREMENT_KINDS = ['heart_rate', 'steps', 'sleep_hours'] as const;

export interface Measurement {
  userId: string;
  deviceId: string | null;
  kind: (typeof MEASUREMENT_KINDS)[number];
  value: number;
  at: string;
}

export interface HealthStore {
  measurements: Measurement[];
}

/** A small in-memory data set. */
export function createDemoHealthStore(): HealthStore {
  return {
    measurements: [
      { userId: 'demo-user', deviceId: 'watch-1', kind: 'heart_rate', value: 64, at: '2026-11-22T07:00:00Z' },
      {
        userId: 'demo-user',
        deviceId: 'watch-1',
        kind: 'sleep_hours',
        value: 6.5,
        at: '2026-11-22T07:00:00Z',
      },
    ],
  };
}

/** The agents of scenario B over `store`; `now` is injected so demos and tests are deterministic. */
export function createHealthAssistantAgents(deps: { store: HealthStore; now?: () => Date }) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const kind = z.enum(MEASUREMENT_KINDS);
  const toolsFor = (deviceId: string | null) =>
    toAgentsTools(
      createToolRegistry().register(
        defineTool({
          name: 'log_measurement',
          description: 'Record a measurement the user reports (heart rate in bpm, steps, sleep in hours).',
          risk: 'write',
          input: z.object({ kind, value: z.number().positive().max(100_000) }),
          execute: ({ kind, value }, context) => {
            const entry = { userId: context.userId ?? '', deviceId, kind, value, at: now().toISOString() };
            appendCapped(store.measurements, entry);
            return { logged: entry };
          },
        }),
        defineTool({
          name: 'get_recent_measurements',
          description: 'The user’s last measurements of one kind, newest first.',
          risk: 'read',
          input: z.object({ kind, limit: z.number().int().min(1).max(50) }),
          execute: ({ kind, limit }, context) => ({
            measurements: store.measurements
              .filter((m) => m.userId === context.userId && m.kind === kind)
              .sort((a, b) => b.at.localeCompare(a.at))
              .slice(0, limit),
          }),
        }),
      ),
    );

  const health = defineAgent({
    type: 'health',
    description: 'A friendly health and wellbeing assistant for the mobile app.',
    metadata: z.object({ deviceId: z.string().min(1).optional() }),
    instructions:
      'You help users track heart rate, steps and sleep. Log what they report, compare with their recent values, ' +
      'and never diagnose: suggest seeing a doctor for anything worrying.',
    tools: ({ metadata }) => toolsFor(metadata.deviceId ?? null),
    model: 'gpt-4.1-mini',
    modelSettings: { temperature: 0.4 },
    starterPrompts: ['I slept 7 hours', 'How was my heart rate this week?'],
  });
  return { registry: createAgentRegistry([health]) };
}

/** The app's `stream: false` reply for the hosted workflow. */
export interface HostedHealthSessionReply {
  success: true;
  session: { id: string; client_secret: string; user: string; workflow: { id: string } };
  message: string;
}

/** Mints a hosted ChatKit session for the app (the hosted-workflow bridge of scenario B). */
export async function startHostedHealthSession(options: {
  client: OpenAI;
  workflowId: string;
  user: string;
}): Promise<HostedHealthSessionReply> {
  const session = await createChatKitSession(options);
  return {
    success: true,
    session: {
      id: session.id,
      client_secret: session.clientSecret,
      user: session.user,
      workflow: { id: session.workflowId },
    },
    message: 'Session created',
  };
}
