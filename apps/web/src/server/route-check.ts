import {
  type AdapterContext,
  type ChatKitAgentsOptions,
  type ChatKitServer,
  errorResponse,
  isRelayKitError,
  validateAgentRoute,
} from '@relaykit/agent-core';
import type { ThreadMetadata, UserMessageItem } from '@relaykit/sse-protocol';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The user message a ChatKit `UserMessageInput` will become, as far as routing reads it (text and tag parts, the
 * requested model); ids and attachments do not matter before the server builds the real item.
 */
function routedMessage(params: Json, threadId: string): UserMessageItem {
  const input = isObject(params.input) ? params.input : {};
  const content = (Array.isArray(input.content) ? input.content : []).filter(
    (part): part is Json => isObject(part) && (part.type === 'input_text' || part.type === 'input_tag'),
  );
  return {
    type: 'user_message',
    id: '',
    thread_id: threadId,
    created_at: new Date().toISOString(),
    content: content.map((part) => ({
      ...part,
      text: String(part.text ?? ''),
    })) as UserMessageItem['content'],
    attachments: [],
    inference_options: (isObject(input.inference_options)
      ? input.inference_options
      : {}) as UserMessageItem['inference_options'],
  } as UserMessageItem;
}

/**
 * Routes a new message before the server streams anything, so a missing or wrong `agentType` or agent metadata (for
 * example the event planner without `eventId`) is a 400 `invalid_request` JSON answer rather than an error event
 * mid-stream, and nothing is stored. It is agent-core's own check ({@link validateAgentRoute}), which the server runs
 * only with its `agents` option; the app uses `respond`, to add tool progress. Anything else (unknown threads, bad
 * bodies) is left to the server.
 */
export function withRouteCheck(
  server: ChatKitServer<AdapterContext>,
  agents: ChatKitAgentsOptions<AdapterContext>,
): ChatKitServer<AdapterContext> {
  const check = async (body: unknown, context: AdapterContext) => {
    if (!isObject(body) || !isObject(body.params)) return;
    const requestMetadata = isObject(body.metadata) ? body.metadata : {};
    const { params } = body;
    if (body.type === 'threads.create') {
      const thread = { id: '', created_at: '', status: { type: 'active' }, metadata: {} } as ThreadMetadata;
      validateAgentRoute(agents, thread, routedMessage(params, ''), requestMetadata);
    } else if (body.type === 'threads.add_user_message' && typeof params.thread_id === 'string') {
      const thread = await server.store.loadThread(params.thread_id, context).catch(() => null);
      if (!thread) return;
      validateAgentRoute(agents, thread, routedMessage(params, thread.id), requestMetadata);
    }
  };
  const refusal = async (body: unknown, context: AdapterContext): Promise<Response | undefined> => {
    try {
      await check(body, context);
      return undefined;
    } catch (error) {
      return isRelayKitError(error) ? errorResponse(error) : undefined;
    }
  };
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  return {
    store: server.store,
    async handle(request, context) {
      const body = parse(await request.clone().text());
      return (await refusal(body, context)) ?? server.handle(request, context);
    },
    async process(body, context, options) {
      const parsed = typeof body === 'string' ? parse(body) : body;
      return (await refusal(parsed, context)) ?? server.process(body, context, options);
    },
  };
}
