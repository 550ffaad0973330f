import { describe, expect, it } from 'vitest';
import {
  createDemoHealthStore,
  createHealthAssistantAgents,
  startHostedHealthSession,
} from '../../examples/health-assistant/index.ts';
import { runTurn } from '../../examples/run-turn.ts';
import { createModelAccess } from '../../src/index.ts';
import { startFake, toolOutputs } from './harness.ts';

const now = () => new Date('2026-11-23T08:00:00Z');

describe('scenario B: health assistant', () => {
  it('logs a reported measurement and compares it with the user’s recent values', async () => {
    const store = createDemoHealthStore();
    const { registry } = createHealthAssistantAgents({ store, now });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: {
          toolCalls: [
            { name: 'log_measurement', arguments: { kind: 'sleep_hours', value: 7.5 } },
            { name: 'get_recent_measurements', arguments: { kind: 'sleep_hours', limit: 5 } },
          ],
        },
      },
      { match: { hasToolOutput: true }, reply: { text: 'Logged 7.5 hours, one more than last night.' } },
    ]);
    try {
      const { route, result } = await runTurn({
        registry,
        modelProvider,
        text: 'I slept 7.5 hours',
        metadata: { deviceId: 'phone-9' },
        userId: 'demo-user',
      });
      expect(route.agent.type).toBe('health');
      expect(result.lastAgent?.name).toBe('health');
      expect(result.finalOutput).toBe('Logged 7.5 hours, one more than last night.');
      const logged = {
        userId: 'demo-user',
        deviceId: 'phone-9',
        kind: 'sleep_hours',
        value: 7.5,
        at: '2026-11-23T08:00:00.000Z',
      };
      expect(store.measurements.at(-1)).toEqual(logged);
      expect(toolOutputs(fake).map((o) => o.output)).toEqual([
        { logged },
        { measurements: [logged, store.measurements[1]] },
      ]);
    } finally {
      await fake.close();
    }
  });

  it('an out-of-range value comes back to the model as invalid_request and nothing is stored', async () => {
    const store = createDemoHealthStore();
    const { registry } = createHealthAssistantAgents({ store, now });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: { toolCalls: [{ name: 'log_measurement', arguments: { kind: 'steps', value: -5 } }] },
      },
      { match: { hasToolOutput: true }, reply: { text: 'Steps cannot be negative; how many did you walk?' } },
    ]);
    try {
      const { result } = await runTurn({
        registry,
        modelProvider,
        text: 'log -5 steps',
        userId: 'demo-user',
      });
      expect(result.finalOutput).toBe('Steps cannot be negative; how many did you walk?');
      expect((toolOutputs(fake)[0]!.output as { error: { code: string } }).error.code).toBe(
        'invalid_request',
      );
      expect(store.measurements).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });

  it('the hosted-workflow bridge answers the app’s stream:false shape', async () => {
    const { fake } = await startFake([]);
    try {
      const client = await createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }).clientFor(
        {},
      );
      const reply = await startHostedHealthSession({ client, workflowId: 'wf_health', user: 'device-123' });
      expect(reply).toMatchObject({
        success: true,
        session: { user: 'device-123', workflow: { id: 'wf_health' } },
        message: 'Session created',
      });
      expect(reply.session.id).toMatch(/^cksess_/);
      expect(reply.session.client_secret.length).toBeGreaterThan(10);
      const call = fake.calls.find((entry) => entry.path === '/v1/chatkit/sessions');
      expect(call?.headers['openai-beta']).toBe('chatkit_beta=v1');
      expect(call?.body).toEqual({ user: 'device-123', workflow: { id: 'wf_health' } });

      await expect(
        startHostedHealthSession({ client, workflowId: 'wf_health', user: 'has spaces' }),
      ).rejects.toMatchObject({ code: 'invalid_request' });
      expect(fake.calls).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});
