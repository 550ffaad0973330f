import type { AgentsRunStreamEvent, ThreadStreamEventInput } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { agentsRunEvents } from './run-events';
import { createToolProgress } from './tool-progress';

const raw = (event: Record<string, unknown>): AgentsRunStreamEvent => ({
  type: 'raw_model_stream_event',
  data: { type: 'model', event },
});

// biome-ignore lint/suspicious/noExplicitAny: reads nested event fields in assertions
type AnyEvent = Record<string, any>;

const noChannel = { take: () => [], listen: () => {} };

async function collect(events: AsyncIterable<ThreadStreamEventInput>): Promise<AnyEvent[]> {
  const out: AnyEvent[] = [];
  for await (const event of events) out.push(event as AnyEvent);
  return out;
}

describe('agentsRunEvents with tool progress', () => {
  it('an image the model generates after a tool call joins the open tool workflow; the answer ends it', async () => {
    let ids = 0;
    const progress = createToolProgress('thr_1', () => `wf_${++ids}`);
    // What the runner does: its tool hooks fire while the run's event stream waits on the tool.
    async function* run(): AsyncGenerator<AgentsRunStreamEvent> {
      yield { type: 'raw_model_stream_event', data: { type: 'response_started' } } as AgentsRunStreamEvent;
      progress.onTool({ phase: 'start', tool: 'findVenue', callId: 'call_1' });
      progress.onTool({ phase: 'end', tool: 'findVenue', callId: 'call_1' });
      yield raw({ type: 'response.output_item.added', item: { type: 'image_generation_call', id: 'ig_1' } });
      yield raw({
        type: 'response.output_item.done',
        item: { type: 'image_generation_call', id: 'ig_1', result: 'BBBB', output_format: 'png' },
      });
      yield {
        type: 'raw_model_stream_event',
        data: { type: 'output_text_delta', delta: 'Here it is.', itemId: 'msg_1' },
      } as AgentsRunStreamEvent;
      yield {
        type: 'run_item_stream_event',
        name: 'message_output_created',
        item: {
          rawItem: { type: 'message', id: 'msg_1', content: [{ type: 'output_text', text: 'Here it is.' }] },
        },
      } as AgentsRunStreamEvent;
    }
    const events = await collect(
      agentsRunEvents(run(), {
        translation: { threadId: 'thr_1' },
        channel: noChannel,
        progress,
        agent: () => 'planner',
      }),
    );
    const order = events.flatMap((event) =>
      event.type === 'thread.item.added' || event.type === 'thread.item.done'
        ? [`${event.type.slice('thread.item.'.length)} ${event.item.type}`]
        : [],
    );
    expect(order).toEqual([
      'added workflow',
      'added generated_image',
      'done generated_image',
      'done workflow',
      'added assistant_message',
      'done assistant_message',
    ]);
    const workflow = events.find(
      (event) => event.type === 'thread.item.done' && event.item.type === 'workflow',
    );
    expect(workflow?.item.workflow.tasks.map((task: { type: string }) => task.type)).toEqual([
      'custom',
      'image',
    ]);
    expect(workflow?.item.workflow.tasks.at(-1)).toMatchObject({ status_indicator: 'complete' });
  });
});
