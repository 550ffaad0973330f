import type { ThreadStreamEventInput } from '@relaykit/sse-protocol';

/** The entity id of the annotation naming the agent that wrote an assistant message. */
export const AGENT_ANNOTATION_ID = 'relaykit:agent';

/**
 * Marks a finished assistant message with the agent that wrote it: an entity annotation
 * `{ type: 'annotation', source: { type: 'entity', id: 'relaykit:agent', title: <agent>, label: 'Agent' } }` added to
 * its last text part (docs/specs/chatkit-protocol.md §4.2, a field the protocol allows; it is persisted with the item,
 * never sent to the model, and other ChatKit clients show it as a source). The responder's loop (`agentsRunEvents`)
 * passes the agent running when each message ends, so a handoff names the agent that answered after it; every other
 * event is answered as it is.
 */
export function annotateAgent(
  event: ThreadStreamEventInput,
  name: string | undefined,
): ThreadStreamEventInput {
  if (event.type !== 'thread.item.done' || event.item.type !== 'assistant_message' || !name) return event;
  const content = [...event.item.content];
  const last = content.length > 0 ? content.length - 1 : 0;
  const part = content[last] ?? { type: 'output_text' as const, text: '', annotations: [] };
  const annotations = (part.annotations ?? []).filter(
    (annotation) => !(annotation.source.type === 'entity' && annotation.source.id === AGENT_ANNOTATION_ID),
  );
  content[last] = {
    ...part,
    annotations: [
      ...annotations,
      {
        type: 'annotation',
        source: {
          type: 'entity',
          id: AGENT_ANNOTATION_ID,
          title: name,
          label: 'Agent',
          data: { agent: name },
        },
      },
    ],
  };
  return { ...event, item: { ...event.item, content } };
}
