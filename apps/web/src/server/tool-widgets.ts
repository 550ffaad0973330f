import { type ChatKitRespond, THREAD_AGENT_METADATA_KEY, type ToolCallTelemetry } from '@relaykit/agent-core';
import type { ChatKitStore } from '@relaykit/chatkit-store';
import {
  Badge,
  Caption,
  Card,
  Col,
  Divider,
  Row,
  streamWidget,
  Text,
  Title,
  type WidgetRootNode,
} from '@relaykit/sse-protocol/widgets';
import type { EventPlanningStore } from '../../../../packages/agent-core/examples/index.ts';

/** A widget shown after a tool ran: built from the run's agent metadata (the ids the tool was scoped to). */
export type ToolWidget = (
  metadata: Record<string, unknown>,
) => { widget: WidgetRootNode; copyText: string } | undefined;

/**
 * Widgets after tools: when a run called one of `widgets`' tools (seen through the agents responder's `onToolCall`
 * telemetry), the wrapped responder streams that tool's widget after the answer, as its own thread item (stored with
 * the thread like any other). Give `onToolCall` to the agents options and `wrap` the agents responder.
 */
export function createToolWidgets<TContext>(widgets: Record<string, ToolWidget>) {
  /** Thread id → the tools that finished in the run now going on in it. */
  const running = new Map<string, Set<string>>();
  return {
    onToolCall(event: ToolCallTelemetry): void {
      if (event.phase === 'end') running.get(event.threadId)?.add(event.tool);
    },
    wrap(respond: ChatKitRespond<TContext>, store: ChatKitStore<TContext>): ChatKitRespond<TContext> {
      return async function* respondWithWidgets(thread, input, context, info) {
        const called = new Set<string>();
        running.set(thread.id, called);
        try {
          yield* respond(thread, input, context, info);
        } finally {
          if (running.get(thread.id) === called) running.delete(thread.id);
        }
        if (info.signal.aborted) return;
        const metadata = (thread.metadata?.[THREAD_AGENT_METADATA_KEY] ?? {}) as Record<string, unknown>;
        for (const [tool, build] of Object.entries(widgets)) {
          if (!called.has(tool)) continue;
          const shown = build(metadata);
          if (!shown) continue;
          yield* streamWidget(thread, shown.widget, {
            generateId: (kind) => store.generateItemId(kind, thread, context),
            copyText: shown.copyText,
          });
        }
      };
    },
  };
}

const money = (amount: number) => `€${amount.toLocaleString('en-GB')}`;

/** The event planner's contract card, shown after `viewContract` (scenario D), from the event of the run's metadata. */
export function contractWidget(store: EventPlanningStore): ToolWidget {
  return (metadata) => {
    const eventId = metadata.eventId;
    const contract = store.contracts.find((candidate) => candidate.eventId === eventId);
    const event = store.events.find((candidate) => candidate.id === eventId);
    if (!contract || !event) return undefined;
    const venue = store.venues.find((candidate) => candidate.id === event.venueId);
    const status = contract.signed ? 'Signed' : 'Awaiting signature';
    return {
      widget: Card({
        size: 'md',
        children: [
          Row({
            justify: 'between',
            align: 'center',
            children: [
              Title({ value: `Contract: ${event.name}`, size: 'sm' }),
              Badge({ label: status, color: contract.signed ? 'success' : 'warning', pill: true }),
            ],
          }),
          Caption({ value: `${venue?.name ?? event.venueId} · ${event.date} · ${event.guestCount} guests` }),
          Divider({}),
          Col({
            gap: 1,
            children: [
              Row({
                justify: 'between',
                children: [
                  Text({ value: 'Total' }),
                  Text({ value: money(contract.total), weight: 'semibold' }),
                ],
              }),
              Row({
                justify: 'between',
                children: [Text({ value: 'Terms' }), Text({ value: contract.terms })],
              }),
            ],
          }),
        ],
      }),
      copyText: `Contract: ${event.name}, ${status}, total ${money(contract.total)}, ${contract.terms}`,
    };
  };
}
