// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
/**
 * Widgets through the whole ChatKit server: `streamWidget` events from `respond` and from a widget action handler,
 * persisted by the server pipeline and seen by the client (docs/specs/chatkit-protocol.md §3.1, §6).
 */
import { createMemoryStore } from '@relaykit/chatkit-store';
import {
  Button,
  Card,
  streamWidget,
  Text,
  Title,
  widgetAction,
  widgetToJSON,
} from '@relaykit/sse-protocol/widgets';
import { expect, it } from 'vitest';
import { createChatKitServer } from '../http/chatkit-server';
import { post, readEvents } from './conformance.suite';

const contract = (terms: string, streaming: boolean, status = 'Draft') =>
  Card({
    status: { text: status, icon: 'document' },
    children: [
      Title({ value: 'Venue contract' }),
      Text({ id: 'terms', value: terms, streaming }),
      Button({ label: 'Sign', onClickAction: widgetAction('contract.sign', { contractId: 'c_1' }) }),
    ],
  });

async function* contractStates() {
  yield contract('', true);
  yield contract('Deposit', true);
  yield contract('Deposit 30%, due 2026-12-01.', true);
  yield contract('Deposit 30%, due 2026-12-01.', false);
}

const userMessage = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

it('respond streams a widget: the client sees prefix deltas and a root replacement, the store keeps the final widget', async () => {
  const store = createMemoryStore();
  const server = createChatKitServer({
    store,
    respond: (thread, _input, context) =>
      streamWidget(thread, contractStates(), {
        generateId: (kind) => store.generateItemId(kind, thread, context),
        copyText: 'Venue contract',
      }),
  });
  const context = { userId: crypto.randomUUID() };
  const events = await readEvents(
    await server.handle(
      post({ type: 'threads.create', params: { input: userMessage('Contract?') } }),
      context,
    ),
  );
  const widgetEvents = events.slice(3);
  expect(widgetEvents.map((event) => event.update?.type ?? event.type)).toEqual([
    'thread.item.added',
    'widget.streaming_text.value_delta',
    'widget.streaming_text.value_delta',
    'widget.root.updated',
    'thread.item.done',
  ]);
  const widgetId = widgetEvents[0]?.item.id;
  expect(widgetId).toMatch(/^msg_/);
  expect(
    widgetEvents.slice(1, 3).map((event) => [event.item_id, event.update.delta, event.update.done]),
  ).toEqual([
    [widgetId, 'Deposit', false],
    [widgetId, ' 30%, due 2026-12-01.', false],
  ]);
  expect(widgetEvents[3]?.update.widget).toEqual(
    widgetToJSON(contract('Deposit 30%, due 2026-12-01.', false)),
  );
  expect(widgetEvents[4]?.item).toMatchObject({ id: widgetId, type: 'widget', copy_text: 'Venue contract' });

  const threadId = events[0]?.thread.id;
  const stored = await store.loadItem(threadId, widgetId, context);
  expect(stored).toMatchObject({
    type: 'widget',
    copy_text: 'Venue contract',
    widget: widgetToJSON(contract('Deposit 30%, due 2026-12-01.', false)),
  });
  const items = await store.loadThreadItems(threadId, null, 10, 'asc', context);
  expect(items.data.map((item) => item.type)).toEqual(['user_message', 'widget']);
});

it('a widget button action replaces the widget (thread.item.replaced) and streams a new one', async () => {
  const store = createMemoryStore();
  const actions: unknown[] = [];
  const server = createChatKitServer({
    store,
    respond: (thread, _input, context) =>
      streamWidget(thread, contract('Deposit 30%.', false), {
        generateId: (kind) => store.generateItemId(kind, thread, context),
      }),
    async *action(thread, action, sender, context) {
      actions.push(action);
      if (action.type !== 'contract.sign' || sender === null) return;
      // Replace the sender in place: signed, button gone.
      const signed = Card({
        status: { text: 'Signed', icon: 'check' },
        children: [Title({ value: 'Venue contract' }), Text({ id: 'terms', value: 'Deposit 30%.' })],
      });
      yield { type: 'thread.item.replaced', item: { ...sender, widget: widgetToJSON(signed) } };
      // And add a confirmation as a new widget.
      yield* streamWidget(thread, Card({ children: [Text({ value: 'Thanks, the contract is signed.' })] }), {
        generateId: (kind) => store.generateItemId(kind, thread, context),
      });
    },
  });
  const context = { userId: crypto.randomUUID() };
  const created = await readEvents(
    await server.handle(
      post({ type: 'threads.create', params: { input: userMessage('Contract?') } }),
      context,
    ),
  );
  const threadId = created[0]?.thread.id;
  const widget = created.at(-1)?.item;
  expect(widget.type).toBe('widget');
  const button = widget.widget.children[2];
  expect(button.onClickAction).toEqual({
    type: 'contract.sign',
    payload: { contractId: 'c_1' },
    handler: 'server',
    loadingBehavior: 'auto',
  });

  // The client sends the button's action with the widget item as the sender.
  const events = await readEvents(
    await server.handle(
      post({
        type: 'threads.custom_action',
        params: {
          thread_id: threadId,
          item_id: widget.id,
          action: { type: button.onClickAction.type, payload: button.onClickAction.payload },
        },
      }),
      context,
    ),
  );
  expect(actions).toEqual([{ type: 'contract.sign', payload: { contractId: 'c_1' } }]);
  expect(events.map((event) => event.type)).toEqual([
    'stream_options',
    'thread.item.replaced',
    'thread.item.done',
  ]);
  expect(events[1]?.item).toMatchObject({ id: widget.id, widget: { status: { text: 'Signed' } } });
  expect(events[1]?.item.widget.children).toHaveLength(2);

  const stored = await store.loadItem(threadId, widget.id, context);
  expect(stored).toMatchObject({ type: 'widget', widget: { status: { text: 'Signed', icon: 'check' } } });
  const items = await store.loadThreadItems(threadId, null, 10, 'asc', context);
  expect(items.data.map((item) => item.type)).toEqual(['user_message', 'widget', 'widget']);
});
