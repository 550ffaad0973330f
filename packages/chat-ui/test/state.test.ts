import { describe, expect, it } from 'vitest';
import { type AnyThreadItem, agentOfItem, applyItemEvent, itemText, titleFromMessage } from '../src/client';

const base = { thread_id: 'thr_1', created_at: '2026-12-07T10:00:00.000Z' };

describe('applyItemEvent', () => {
  it('streams assistant text, annotations and parts; done replaces; removed deletes; hidden items never enter', () => {
    let items: AnyThreadItem[] = [];
    items = applyItemEvent(items, {
      type: 'thread.item.added',
      item: { ...base, id: 'a1', type: 'assistant_message', content: [] },
    });
    for (const delta of ['Hel', 'lo'])
      items = applyItemEvent(items, {
        type: 'thread.item.updated',
        item_id: 'a1',
        update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
      });
    items = applyItemEvent(items, {
      type: 'thread.item.updated',
      item_id: 'a1',
      update: {
        type: 'assistant_message.content_part.annotation_added',
        content_index: 0,
        annotation_index: 0,
        annotation: {
          type: 'annotation',
          source: { type: 'entity', id: 'relaykit:agent', title: 'planner' },
        },
      },
    });
    expect(itemText(items[0]!)).toBe('Hello');
    expect(agentOfItem(items[0]!)).toBe('planner');
    const before = items;
    expect(
      applyItemEvent(items, {
        type: 'thread.item.done',
        item: { ...base, id: 'h1', type: 'sdk_hidden_context', content: 'x' } as AnyThreadItem,
      }),
    ).toBe(before);
    expect(applyItemEvent(items, { type: 'progress_update', text: 'x' })).toBe(before);
    expect(applyItemEvent(items, { type: 'thread.item.removed', item_id: 'a1' })).toEqual([]);
  });

  it('applies widget component, streaming text and root updates, workflow tasks and image progress', () => {
    let items: AnyThreadItem[] = [
      {
        ...base,
        id: 'w1',
        type: 'widget',
        widget: {
          type: 'Card',
          children: [
            { type: 'Text', id: 'note', value: 'A' },
            { type: 'Badge', id: 's', label: 'x' },
          ],
        },
      },
      { ...base, id: 'wf', type: 'workflow', workflow: { type: 'custom', tasks: [] } },
      { ...base, id: 'img', type: 'generated_image', image: null },
    ];
    items = applyItemEvent(items, {
      type: 'thread.item.updated',
      item_id: 'w1',
      update: { type: 'widget.streaming_text.value_delta', component_id: 'note', delta: 'B', done: false },
    });
    items = applyItemEvent(items, {
      type: 'thread.item.updated',
      item_id: 'w1',
      update: {
        type: 'widget.component.updated',
        component_id: 's',
        component: { type: 'Badge', id: 's', label: 'ok' },
      },
    });
    expect((items[0] as { widget: unknown }).widget).toEqual({
      type: 'Card',
      children: [
        { type: 'Text', id: 'note', value: 'AB', streaming: true },
        { type: 'Badge', id: 's', label: 'ok' },
      ],
    });
    items = applyItemEvent(items, {
      type: 'thread.item.updated',
      item_id: 'w1',
      update: { type: 'widget.root.updated', widget: { type: 'Basic' } },
    });
    expect((items[0] as { widget: unknown }).widget).toEqual({ type: 'Basic' });
    items = applyItemEvent(items, {
      type: 'thread.item.updated',
      item_id: 'wf',
      update: {
        type: 'workflow.task.added',
        task_index: 0,
        task: { type: 'custom', title: 'Calling', status_indicator: 'loading' },
      },
    });
    items = applyItemEvent(items, {
      type: 'thread.item.updated',
      item_id: 'wf',
      update: {
        type: 'workflow.task.updated',
        task_index: 0,
        task: { type: 'custom', title: 'Called', status_indicator: 'complete' },
      },
    });
    expect((items[1] as { workflow: { tasks: unknown[] } }).workflow.tasks).toEqual([
      { type: 'custom', title: 'Called', status_indicator: 'complete' },
    ]);
    items = applyItemEvent(items, {
      type: 'thread.item.updated',
      item_id: 'img',
      update: { type: 'generated_image.updated', image: { id: 'i', url: 'data:,' }, progress: 0.5 },
    });
    expect(items[2]).toMatchObject({ image: { url: 'data:,' }, progress: 0.5 });
  });

  it('titles a thread after its first words', () => {
    expect(titleFromMessage('  Add a guest:   Ana ')).toBe('Add a guest: Ana');
    expect(
      titleFromMessage('Please design an onboarding workflow for new engineers joining the team'),
    ).toMatch(/…$/);
  });
});
