import { describe, expect, it } from 'vitest';
import { ThreadStreamEvent } from '../chatkit/events';
import {
  completedOutputText,
  type RecordedResponsesStream,
  recordedResponsesStreams,
} from './fixture-streams';
import type { ChatKitTranslationOptions } from './options';
import { createResponsesTranslator, responsesToChatKit } from './responses';

const streams = await recordedResponsesStreams();

function deterministic(extra: Partial<ChatKitTranslationOptions> = {}): ChatKitTranslationOptions {
  let counter = 0;
  let clock = Date.parse('2026-11-23T12:00:00.000Z');
  return {
    threadId: 'thr_test',
    generateId: (kind) => `${kind}_${++counter}`,
    now: () => {
      clock += 250; // each reading advances 250 ms, so durations are deterministic
      return new Date(clock);
    },
    ...extra,
  };
}

async function translate(events: unknown[], options = deterministic()): Promise<ThreadStreamEvent[]> {
  const out: ThreadStreamEvent[] = [];
  for await (const event of responsesToChatKit(events, options)) out.push(event);
  return out;
}

interface AssistantText {
  deltas: string;
  partDone: string;
  done: string;
}

/** Per assistant message id: text from deltas, from `content_part.done`, and from `thread.item.done`. */
function assistantTexts(events: ThreadStreamEvent[]): Map<string, AssistantText> {
  const texts = new Map<string, AssistantText>();
  const entry = (id: string) => {
    const value = texts.get(id) ?? { deltas: '', partDone: '', done: '' };
    texts.set(id, value);
    return value;
  };
  for (const event of events) {
    if (event.type === 'thread.item.updated') {
      if (event.update.type === 'assistant_message.content_part.text_delta')
        entry(event.item_id).deltas += event.update.delta;
      if (event.update.type === 'assistant_message.content_part.done')
        entry(event.item_id).partDone += event.update.content.text;
    } else if (event.type === 'thread.item.done' && event.item.type === 'assistant_message') {
      entry(event.item.id).done = event.item.content.map((part) => part.text).join('');
    }
  }
  return texts;
}

describe('every recorded Responses stream translates to valid ChatKit events', () => {
  it('finds the recorded streams (JSONL and VCR cassettes)', () => {
    expect(streams.length).toBeGreaterThanOrEqual(14);
    expect(streams.some((stream) => stream.name.includes('.yaml#'))).toBe(true);
  });

  it.each(streams.map((stream) => [stream.name, stream] as [string, RecordedResponsesStream]))(
    '%s',
    async (_name, stream) => {
      const events = await translate(stream.events);
      // Every emitted event is a valid ThreadStreamEvent (strict schema of this package).
      for (const event of events) expect(() => ThreadStreamEvent.parse(event)).not.toThrow();

      const texts = assistantTexts(events);
      const assistantText = [...texts.values()].map((text) => text.done).join('');
      const expected = completedOutputText(stream.events);
      const failed = stream.events.some((event) => event.type === 'response.failed');
      if (!failed) expect(assistantText).toBe(expected);

      for (const text of texts.values()) {
        expect(text.partDone).toBe(text.done);
        if (stream.file === 'openai-phase.1.chunks.txt') {
          // Its author removed most output_text.delta lines (MANIFEST: "TRIMMED"), so the deltas cannot add up to the
          // final text; the equality is checked against output_text.done (partDone) above instead.
          expect(text.done.startsWith(text.deltas.slice(0, 1))).toBe(true);
        } else {
          expect(text.deltas).toBe(text.done);
        }
      }

      // Items open before they close, and every workflow that opened is closed.
      const added = events
        .filter((event) => event.type === 'thread.item.added')
        .map((event) => event.item.id);
      const done = events.filter((event) => event.type === 'thread.item.done').map((event) => event.item.id);
      for (const id of added) expect(done).toContain(id);
    },
  );
});

describe('createResponsesTranslator', () => {
  it.each(streams.map((stream) => [stream.name, stream] as [string, RecordedResponsesStream]))(
    'a caller-run loop (push until failed, then finish) gives the events of responsesToChatKit: %s',
    async (_name, stream) => {
      const translator = createResponsesTranslator(deterministic());
      const own: ThreadStreamEvent[] = [];
      for (const event of stream.events) {
        own.push(...translator.push(event));
        if (translator.failed) break;
      }
      if (!translator.failed) own.push(...translator.finish());
      expect(own).toEqual(await translate(stream.events));
    },
  );

  it('reports failed after a provider error and throws provider_error for a malformed event', () => {
    const translator = createResponsesTranslator(deterministic());
    expect(translator.failed).toBe(false);
    expect(translator.push({ type: 'error', error: { code: 'server_error', message: 'boom' } })).toEqual([
      { type: 'error', code: 'custom', message: 'boom', allow_retry: true },
    ]);
    expect(translator.failed).toBe(true);
    expect(() => createResponsesTranslator(deterministic()).push('not an event')).toThrow(
      expect.objectContaining({ name: 'ProviderError', code: 'provider_error' }),
    );
  });
});

function stream(file: string): RecordedResponsesStream {
  const found = streams.find((candidate) => candidate.name === file);
  if (found === undefined) throw new Error(`missing fixture ${file}`);
  return found;
}

describe('responsesToChatKit', () => {
  it('turns a plain text stream into added → content part → deltas → done with the Responses message id', async () => {
    const events = await translate(stream('openai-shell-local-multiturn.1.chunks.txt').events);
    expect(events[0]).toMatchObject({
      type: 'thread.item.added',
      item: {
        type: 'assistant_message',
        thread_id: 'thr_test',
        content: [],
        created_at: '2026-11-23T12:00:00.250Z',
      },
    });
    const messageId = (events[0] as { item: { id: string } }).item.id;
    expect(messageId).toMatch(/^msg_/);
    expect(events[1]).toEqual({
      type: 'thread.item.updated',
      item_id: messageId,
      update: {
        type: 'assistant_message.content_part.added',
        content_index: 0,
        content: { type: 'output_text', text: '', annotations: [] },
      },
    });
    expect(
      events.filter(
        (event) =>
          event.type === 'thread.item.updated' &&
          event.update.type === 'assistant_message.content_part.text_delta',
      ),
    ).toHaveLength(8);
    expect(events.at(-1)).toMatchObject({
      type: 'thread.item.done',
      item: { id: messageId, type: 'assistant_message' },
    });
  });

  it('converts url_citation annotations with a gap-free per-content annotation index', async () => {
    const events = await translate(stream('openai-web-search-tool.1.chunks.txt').events);
    const annotations = events.flatMap((event) =>
      event.type === 'thread.item.updated' &&
      event.update.type === 'assistant_message.content_part.annotation_added'
        ? [event.update]
        : [],
    );
    expect(annotations).toHaveLength(12);
    expect(annotations.map((annotation) => annotation.annotation_index)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(annotations[0]?.annotation).toEqual({
      type: 'annotation',
      source: {
        type: 'url',
        url: 'https://techcrunch.com/2025/12/05/petco-confirms-security-lapse-exposed-customers-personal-data/?utm_source=openai',
        title: 'Petco confirms security lapse exposed customers’ personal data | TechCrunch',
      },
      index: 411,
    });
    const done = events.find(
      (event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message',
    );
    expect(
      done?.type === 'thread.item.done' &&
        done.item.type === 'assistant_message' &&
        done.item.content[0]?.annotations,
    ).toHaveLength(12);
  });

  it('shows hosted web searches as workflow tasks: loading on added, complete with the query on done', async () => {
    const events = await translate(stream('openai-web-search-tool.1.chunks.txt').events);
    const workflowAdded = events.find(
      (event) => event.type === 'thread.item.added' && event.item.type === 'workflow',
    );
    expect(workflowAdded).toMatchObject({
      item: { id: 'workflow_1', workflow: { type: 'reasoning', tasks: [] } },
    });
    const tasks = events.flatMap((event) =>
      event.type === 'thread.item.updated' && event.update.type.startsWith('workflow.task')
        ? [event.update]
        : [],
    );
    expect(tasks.filter((update) => update.type === 'workflow.task.added')).toHaveLength(6);
    const firstDone = tasks.find((update) => update.type === 'workflow.task.updated');
    expect(firstDone).toMatchObject({
      task_index: 0,
      task: {
        type: 'web_search',
        status_indicator: 'complete',
        queries: ['tech news today December 5 2025'],
      },
    });
    // The workflow ends (with a duration summary) before the assistant message starts.
    const workflowDoneAt = events.findIndex(
      (event) => event.type === 'thread.item.done' && event.item.type === 'workflow',
    );
    const messageAddedAt = events.findIndex(
      (event) => event.type === 'thread.item.added' && event.item.type === 'assistant_message',
    );
    expect(workflowDoneAt).toBeGreaterThan(0);
    expect(workflowDoneAt).toBeLessThan(messageAddedAt);
    const workflowDone = events[workflowDoneAt];
    expect(
      workflowDone?.type === 'thread.item.done' &&
        workflowDone.item.type === 'workflow' &&
        workflowDone.item.workflow.summary,
    ).toMatchObject({ duration: expect.any(Number) });
  });

  it('converts file_citation annotations to file sources', async () => {
    const events = await translate(stream('openai-file-search-tool.1.chunks.txt').events);
    const annotations = events.flatMap((event) =>
      event.type === 'thread.item.updated' &&
      event.update.type === 'assistant_message.content_part.annotation_added'
        ? [event.update.annotation]
        : [],
    );
    expect(annotations).toEqual([
      { type: 'annotation', source: { type: 'file', filename: 'ai.pdf', title: 'ai.pdf' }, index: 154 },
      { type: 'annotation', source: { type: 'file', filename: 'ai.pdf', title: 'ai.pdf' }, index: 382 },
    ]);
  });

  it('streams a reasoning summary as one thought task (no status, as the reference) and turns client function calls into client_tool_call items', async () => {
    const recorded = stream('openai-reasoning-encrypted-content.1.chunks.txt').events;
    const events = await translate(recorded, deterministic({ clientToolNames: ['calculator'] }));
    const summaryDone = recorded.find((event) => event.type === 'response.reasoning_summary_text.done') as {
      text: string;
    };
    const thoughtUpdates = events.flatMap((event) =>
      event.type === 'thread.item.updated' && event.update.type.startsWith('workflow.task')
        ? [event.update]
        : [],
    );
    expect(thoughtUpdates[0]).toMatchObject({
      type: 'workflow.task.added',
      task_index: 0,
      task: { type: 'thought', status_indicator: 'none' },
    });
    expect(thoughtUpdates.filter((update) => update.type === 'workflow.task.added')).toHaveLength(1);
    expect(thoughtUpdates.at(-1)).toMatchObject({
      type: 'workflow.task.updated',
      task: { type: 'thought', content: summaryDone.text, status_indicator: 'none' },
    });
    const toolCalls = events.flatMap((event) =>
      event.type === 'thread.item.done' && event.item.type === 'client_tool_call' ? [event.item] : [],
    );
    expect(toolCalls).toHaveLength(3);
    expect(toolCalls[0]).toMatchObject({
      name: 'calculator',
      status: 'pending',
      call_id: expect.stringMatching(/^call_/),
    });
    expect(typeof toolCalls[0]?.arguments).toBe('object');
    // Without clientToolNames the same function calls are server tools and are not shown.
    const serverSide = await translate(recorded);
    expect(
      serverSide.some((event) => event.type === 'thread.item.done' && event.item.type === 'client_tool_call'),
    ).toBe(false);
  });

  it('reports usage of every response.completed through onResponseCompleted', async () => {
    const responses: { id: string; usage?: unknown }[] = [];
    await translate(
      stream('openai-reasoning-encrypted-content.1.chunks.txt').events,
      deterministic({ onResponseCompleted: (response) => responses.push(response) }),
    );
    expect(responses).toHaveLength(4);
    expect(responses[0]?.usage).toMatchObject({
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
    });
  });

  it('streams only the first summary part of a reasoning workflow; later parts are added whole at their done (as chatkit-python)', async () => {
    const summary = (index: number, deltas: string[]) => [
      ...deltas.map((delta) => ({
        type: 'response.reasoning_summary_text.delta',
        item_id: 'rs_1',
        summary_index: index,
        delta,
      })),
      {
        type: 'response.reasoning_summary_text.done',
        item_id: 'rs_1',
        summary_index: index,
        text: deltas.join(''),
      },
    ];
    const events = await translate([
      { type: 'response.output_item.added', item: { type: 'reasoning', id: 'rs_1' } },
      ...summary(0, ['Read ', 'the question.']),
      ...summary(1, ['Check ', 'the ', 'numbers.']),
      { type: 'response.output_item.done', item: { type: 'reasoning', id: 'rs_1' } },
      { type: 'response.output_item.added', item: { type: 'message', id: 'msg_1', content: [] } },
    ]);
    const updates = events.flatMap((event) =>
      event.type === 'thread.item.updated' && event.update.type.startsWith('workflow.task')
        ? [event.update]
        : [],
    );
    expect(updates).toEqual([
      {
        type: 'workflow.task.added',
        task_index: 0,
        task: { type: 'thought', status_indicator: 'none', content: 'Read ' },
      },
      {
        type: 'workflow.task.updated',
        task_index: 0,
        task: { type: 'thought', status_indicator: 'none', content: 'Read the question.' },
      },
      {
        type: 'workflow.task.updated',
        task_index: 0,
        task: { type: 'thought', status_indicator: 'none', content: 'Read the question.' },
      },
      {
        type: 'workflow.task.added',
        task_index: 1,
        task: { type: 'thought', status_indicator: 'none', content: 'Check the numbers.' },
      },
    ]);
    const workflow = events.find(
      (event) => event.type === 'thread.item.done' && event.item.type === 'workflow',
    );
    expect(workflow).toMatchObject({
      item: { workflow: { type: 'reasoning', expanded: false, summary: { duration: 0 } } },
    });
  });

  it('reports image progress from the partial_images the tool asked for, and hands images to imageUrl', async () => {
    const image = (partials: number | undefined) => [
      {
        type: 'response.created',
        response: {
          id: 'resp_1',
          tools: [{ type: 'image_generation', ...(partials ? { partial_images: partials } : {}) }],
        },
      },
      { type: 'response.output_item.added', item: { type: 'image_generation_call', id: 'ig_1' } },
      ...[0, 1].map((index) => ({
        type: 'response.image_generation_call.partial_image',
        item_id: 'ig_1',
        partial_image_index: index,
        partial_image_b64: `partial${index}`,
        output_format: 'png',
      })),
      {
        type: 'response.output_item.done',
        item: { type: 'image_generation_call', id: 'ig_1', result: 'final', output_format: 'png' },
      },
    ];
    const progress = (events: ThreadStreamEvent[]) =>
      events.flatMap((event) =>
        event.type === 'thread.item.updated' && event.update.type === 'generated_image.updated'
          ? [event.update.progress]
          : [],
      );
    // Three partials asked for: partial i is step i + 1 of 4 (the final image is the last step).
    expect(progress(await translate(image(3)))).toEqual([1 / 4, 2 / 4]);
    // The option wins over the stream.
    expect(progress(await translate(image(3), deterministic({ partialImages: 2 })))).toEqual([1 / 3, 2 / 3]);
    // Not echoed by the API: at least the partials seen so far, never 0 and never 1 before the final image.
    expect(progress(await translate(image(undefined)))).toEqual([1 / 2, 2 / 3]);

    const handed: unknown[] = [];
    const events = await translate(
      image(2),
      deterministic({
        imageUrl: async (generated) => {
          handed.push(generated);
          return `https://storage.example/${generated.id}/${generated.partialImageIndex ?? 'final'}.${generated.format}`;
        },
      }),
    );
    expect(handed).toEqual([
      { id: 'ig_1', base64: 'partial0', format: 'png', partialImageIndex: 0 },
      { id: 'ig_1', base64: 'partial1', format: 'png', partialImageIndex: 1 },
      { id: 'ig_1', base64: 'final', format: 'png' },
    ]);
    const urls = events.flatMap((event) =>
      event.type === 'thread.item.updated' && event.update.type === 'generated_image.updated'
        ? [event.update.image.url]
        : event.type === 'thread.item.done' && event.item.type === 'generated_image'
          ? [event.item.image?.url]
          : [],
    );
    expect(urls).toEqual([
      'https://storage.example/ig_1/0.png',
      'https://storage.example/ig_1/1.png',
      'https://storage.example/ig_1/final.png',
    ]);
    for (const event of events) expect(() => ThreadStreamEvent.parse(event)).not.toThrow();
  });

  it('emits a generated_image item with progress and the final image', async () => {
    const events = await translate(stream('openai-image-generation-tool.1.chunks.txt').events);
    const added = events.find(
      (event) => event.type === 'thread.item.added' && event.item.type === 'generated_image',
    );
    expect(added).toMatchObject({ item: { image: null } });
    const id = added?.type === 'thread.item.added' ? added.item.id : '';
    const update = events.find((event) => event.type === 'thread.item.updated' && event.item_id === id);
    expect(update).toMatchObject({
      update: {
        type: 'generated_image.updated',
        image: { url: expect.stringMatching(/^data:image\/webp;base64,/) },
      },
    });
    const done = events.find((event) => event.type === 'thread.item.done' && event.item.id === id);
    expect(done).toMatchObject({
      item: {
        type: 'generated_image',
        image: { id: expect.stringMatching(/^ig_/), url: expect.stringMatching(/^data:image\/webp;base64,/) },
      },
    });
  });

  it('an image generation joins the workflow in progress as an image task instead of ending it', async () => {
    const scripted = [
      { type: 'response.output_item.added', item: { type: 'reasoning', id: 'rs_1' } },
      {
        type: 'response.reasoning_summary_text.done',
        item_id: 'rs_1',
        summary_index: 0,
        text: 'A lighthouse at dusk, then a caption.',
      },
      { type: 'response.output_item.done', item: { type: 'reasoning', id: 'rs_1' } },
      { type: 'response.output_item.added', item: { type: 'image_generation_call', id: 'ig_1' } },
      {
        type: 'response.image_generation_call.partial_image',
        item_id: 'ig_1',
        partial_image_index: 0,
        partial_image_b64: 'partial0',
      },
      {
        type: 'response.output_item.done',
        item: { type: 'image_generation_call', id: 'ig_1', result: 'final', output_format: 'png' },
      },
      { type: 'response.output_item.added', item: { type: 'web_search_call', id: 'ws_1' } },
      {
        type: 'response.output_item.done',
        item: { type: 'web_search_call', id: 'ws_1', action: { query: 'lighthouse facts' } },
      },
      { type: 'response.output_item.added', item: { type: 'message', id: 'msg_1', content: [] } },
      {
        type: 'response.output_item.done',
        item: { type: 'message', id: 'msg_1', content: [{ type: 'output_text', text: 'Here it is.' }] },
      },
    ];
    const events = await translate(scripted);
    for (const event of events) expect(() => ThreadStreamEvent.parse(event)).not.toThrow();
    const workflows = events.filter(
      (event) => event.type === 'thread.item.added' && event.item.type === 'workflow',
    );
    // One workflow for the whole turn: the image did not end it, the web search after it joined the same one.
    expect(workflows).toHaveLength(1);
    const workflowId = workflows[0]?.type === 'thread.item.added' ? workflows[0].item.id : '';
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
    const done = events.find((event) => event.type === 'thread.item.done' && event.item.id === workflowId);
    expect(
      done?.type === 'thread.item.done' && done.item.type === 'workflow' && done.item.workflow,
    ).toMatchObject({
      type: 'reasoning',
      tasks: [
        { type: 'thought', content: 'A lighthouse at dusk, then a caption.' },
        { type: 'image', title: 'Generated an image', status_indicator: 'complete' },
        { type: 'web_search', status_indicator: 'complete', queries: ['lighthouse facts'] },
      ],
    });
    // The task ran (loading) while the image was generated, and the image streamed into its own item.
    const taskUpdates = events.flatMap((event) =>
      event.type === 'thread.item.updated' && event.item_id === workflowId ? [event.update] : [],
    );
    expect(taskUpdates).toContainEqual({
      type: 'workflow.task.added',
      task_index: 1,
      task: { type: 'image', title: 'Generating an image', status_indicator: 'loading' },
    });
    expect(
      events.filter(
        (event) => event.type === 'thread.item.updated' && event.update.type === 'generated_image.updated',
      ),
    ).toHaveLength(1);
  });

  it('an image generation with no workflow in progress starts none', async () => {
    const events = await translate([
      { type: 'response.output_item.added', item: { type: 'image_generation_call', id: 'ig_1' } },
      {
        type: 'response.output_item.done',
        item: { type: 'image_generation_call', id: 'ig_1', result: 'final', output_format: 'png' },
      },
    ]);
    expect(events.map((event) => event.type)).toEqual(['thread.item.added', 'thread.item.done']);
    expect(events.every((event) => 'item' in event && event.item.type === 'generated_image')).toBe(true);
  });

  it('the recorded image generation: the reasoning workflow holds the image task and ends before the answer', async () => {
    const events = await translate(stream('openai-image-generation-tool.1.chunks.txt').events);
    const workflowsDone = events.flatMap((event) =>
      event.type === 'thread.item.done' && event.item.type === 'workflow' ? [event.item.workflow] : [],
    );
    expect(workflowsDone).toHaveLength(1);
    expect(workflowsDone[0]?.tasks.map((task) => task.type)).toContain('image');
    const kinds = events.flatMap((event) =>
      event.type === 'thread.item.added' || event.type === 'thread.item.done' ? [event.item.type] : [],
    );
    expect(kinds.indexOf('workflow')).toBeLessThan(kinds.indexOf('generated_image'));
    expect(kinds.lastIndexOf('workflow')).toBeLessThan(kinds.indexOf('assistant_message'));
  });

  it('turns a provider error mid-stream into one ChatKit error event and stops', async () => {
    const events = await translate(stream('openai-error.1.chunks.txt').events);
    expect(events).toEqual([
      { type: 'error', code: 'custom', message: expect.stringContaining('quota'), allow_retry: false },
    ]);
  });

  it('rejects a malformed event with a typed provider_error, after the events before it', async () => {
    const good = stream('openai-shell-local-multiturn.1.chunks.txt').events.slice(0, 4); // created, in_progress, item added, part added
    const seen: ThreadStreamEvent[] = [];
    const run = async () => {
      for await (const event of responsesToChatKit([...good, 'not an event'], deterministic()))
        seen.push(event);
    };
    await expect(run()).rejects.toMatchObject({ name: 'ProviderError', code: 'provider_error' });
    expect(seen.map((event) => event.type)).toEqual(['thread.item.added', 'thread.item.updated']);
  });

  it('ignores unknown event types (newer API versions) and requires a threadId', async () => {
    expect(await translate([{ type: 'response.some_future_event', foo: 1 }])).toEqual([]);
    await expect(translate([], { threadId: '' })).rejects.toThrow(/threadId/);
  });

  it('consumes its input lazily: the first ChatKit event is out before the source is finished', async () => {
    let pulled = 0;
    const source = (async function* () {
      for (const event of stream('openai-shell-local-multiturn.1.chunks.txt').events) {
        pulled += 1;
        yield event;
      }
    })();
    const iterator = responsesToChatKit(source, deterministic())[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toMatchObject({ type: 'thread.item.added' });
    expect(pulled).toBeLessThan(5);
    await iterator.return?.();
  });
});
