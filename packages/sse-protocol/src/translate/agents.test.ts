// biome-ignore-all lint/suspicious/noExplicitAny: the tests read SDK events loosely.
import { Agent, OpenAIResponsesModel, run, setTracingDisabled } from '@openai/agents';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ThreadStreamEvent } from '../chatkit/events';
import { type AgentsRunStreamEvent, agentsRunToChatKit } from './agents';
import { completedOutputText, deterministicOptions, recordedResponsesStreams } from './fixture-streams';
import { responsesToChatKit } from './responses';

setTracingDisabled(true);
const streams = await recordedResponsesStreams();
const plainText = streams.find((stream) => stream.name === 'openai-shell-local-multiturn.1.chunks.txt');
if (plainText === undefined) throw new Error('missing fixture');

const deterministic = deterministicOptions;

async function collect(iterable: AsyncIterable<ThreadStreamEvent>): Promise<ThreadStreamEvent[]> {
  const out: ThreadStreamEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

/** An OpenAI client whose fetch answers every POST /responses with a recorded SSE body (no network). */
function replayingClient(events: Record<string, unknown>[]): OpenAI {
  const body = events
    .map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`)
    .join('');
  return new OpenAI({
    apiKey: 'test',
    baseURL: 'http://replay.invalid/v1',
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
}

describe('agentsRunToChatKit', () => {
  it('translates a real @openai/agents streamed run once (no doubled deltas), equal to the raw Responses translation', async () => {
    const agent = new Agent({
      name: 'Echo',
      instructions: 'Answer.',
      model: new OpenAIResponsesModel(replayingClient(plainText.events), 'gpt-5'),
    });
    const result = await run(agent, 'Hello', { stream: true });
    const fromAgents = await collect(agentsRunToChatKit(result, deterministic()));
    const fromRaw = await collect(responsesToChatKit(plainText.events, deterministic()));
    expect(fromAgents).toEqual(fromRaw);
    const deltas = fromAgents.flatMap((event) =>
      event.type === 'thread.item.updated' &&
      event.update.type === 'assistant_message.content_part.text_delta'
        ? [event.update.delta]
        : [],
    );
    expect(deltas.join('')).toBe(completedOutputText(plainText.events));
    expect(result.finalOutput).toBe(completedOutputText(plainText.events));
  });

  it('reads each delta once from the SDK events (normalized and raw Responses), ignoring non-Responses raw events', async () => {
    const agent = new Agent({
      name: 'A',
      instructions: 'Answer.',
      model: new OpenAIResponsesModel(replayingClient(plainText.events), 'gpt-5'),
    });
    const result = await run(agent, 'Hello', { stream: true });
    const sdkEvents: unknown[] = [];
    for await (const event of result) sdkEvents.push(event);
    expect(sdkEvents.some((event: any) => event.data?.type === 'output_text_delta')).toBe(true);
    const events = [
      { type: 'agent_updated_stream_event', agent: { name: 'A' } },
      ...(sdkEvents as AgentsRunStreamEvent[]),
      { type: 'raw_model_stream_event', data: { type: 'model', event: { object: 'chat.completion.chunk' } } },
    ];
    const translated = await collect(agentsRunToChatKit(events, deterministic()));
    expect(translated).toEqual(await collect(responsesToChatKit(plainText.events, deterministic())));
  });

  it('retracts every item of the run with thread.item.removed when an output guardrail trips, then rethrows', async () => {
    const agent = new Agent({
      name: 'Guarded',
      instructions: 'Answer.',
      model: new OpenAIResponsesModel(replayingClient(plainText.events), 'gpt-5'),
      outputGuardrails: [
        {
          name: 'block-everything',
          execute: async () => ({ tripwireTriggered: true, outputInfo: { reason: 'test' } }),
        },
      ],
    });
    const result = await run(agent, 'Hello', { stream: true });
    const seen: ThreadStreamEvent[] = [];
    await expect(
      (async () => {
        for await (const event of agentsRunToChatKit(result, deterministic())) seen.push(event);
      })(),
    ).rejects.toMatchObject({ name: 'OutputGuardrailTripwireTriggered' });
    const added = seen.find((event) => event.type === 'thread.item.added');
    const messageId = added?.type === 'thread.item.added' ? added.item.id : '';
    expect(messageId).toMatch(/^msg_/);
    expect(seen.at(-1)).toEqual({ type: 'thread.item.removed', item_id: messageId });
    expect(seen.filter((event) => event.type === 'thread.item.removed')).toHaveLength(1);
  });

  it('rethrows the failure of the run (result.completed rejects) after the translated events', async () => {
    const failing = Object.assign(
      (async function* () {
        yield {
          type: 'run_item_stream_event',
          name: 'message_output_created',
          item: {
            type: 'message_output_item',
            rawItem: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] },
          },
        };
      })(),
      { completed: Promise.reject(new Error('model failed')) },
    );
    failing.completed.catch(() => {});
    const seen: ThreadStreamEvent[] = [];
    await expect(
      (async () => {
        for await (const event of agentsRunToChatKit(failing, deterministic())) seen.push(event);
      })(),
    ).rejects.toThrow('model failed');
    expect(seen).toHaveLength(1);
  });
});
