import {
  type AdapterContext,
  type AgentRegistry,
  type ChatKitServer,
  errorResponse,
  isRelayKitError,
  THREAD_AGENT_METADATA_KEY,
} from '@relaykit/agent-core';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The text of a ChatKit `UserMessageInput` (its `input_text` parts). */
function inputText(params: Json): string {
  const input = isObject(params.input) ? params.input : {};
  const content = Array.isArray(input.content) ? input.content : [];
  return content
    .filter((part): part is Json => isObject(part) && part.type === 'input_text')
    .map((part) => String(part.text ?? ''))
    .join('');
}

/**
 * Routes a new message before the server streams anything, so a missing or wrong `agentType` or agent metadata (for
 * example the event planner without `eventId`) is a 400 `invalid_request` JSON answer rather than an error event
 * mid-stream. (The server's own early check exists only with its `agents` option; the app uses `respond`, to add
 * tool progress.) Anything else (unknown threads, bad bodies) is left to the server.
 */
export function withRouteCheck(
  server: ChatKitServer<AdapterContext>,
  registry: AgentRegistry,
): ChatKitServer<AdapterContext> {
  const check = async (body: unknown, context: AdapterContext) => {
    if (!isObject(body) || !isObject(body.params)) return;
    const requestMetadata = isObject(body.metadata) ? body.metadata : {};
    const { params } = body;
    if (body.type === 'threads.create') {
      registry.route({ text: inputText(params), metadata: requestMetadata });
    } else if (body.type === 'threads.add_user_message' && typeof params.thread_id === 'string') {
      const thread = await server.store.loadThread(params.thread_id, context).catch(() => null);
      if (!thread) return;
      const saved = thread.metadata?.[THREAD_AGENT_METADATA_KEY];
      registry.route({
        text: inputText(params),
        metadata: { ...(isObject(saved) ? saved : {}), ...requestMetadata },
      });
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
