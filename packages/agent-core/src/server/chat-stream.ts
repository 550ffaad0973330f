import {
  type CompletedResponse,
  chatKitToSimpleStream,
  createChatKitEventDecoder,
  createSimpleChatEncoder,
  httpStatusForCode,
  RELAYKIT_ERROR_CODES,
  type SimpleChatEvent,
  type SimpleUsage,
  sseResponse,
  type ThreadStreamEvent,
} from '@relaykit/sse-protocol';
import { THREAD_LAST_RUN_KEY } from './agents-respond';
import type { ChatKitServer } from './types';

/** One message of the simple chat endpoint (mobile clients, curl). */
export interface ChatStreamRequest {
  /** The user's text. */
  message: string;
  /** Continue this thread; without it a new thread is created. */
  threadId?: string;
  /** Agent type to answer (sent as `metadata.agentType`). */
  agent?: string;
  /** Request metadata for routing and context builders (e.g. `{ eventId }`). */
  metadata?: Record<string, unknown>;
  /** `false` answers one JSON document `{ threadId, sessionId, agent, message, usage }` instead of SSE. Default true. */
  stream?: boolean;
  /** Names the stream in every event. Default a random UUID. */
  sessionId?: string;
  /** The user id reported in the `session` event. Default the context's `userId`. */
  userId?: string;
  /** Aborts the run (client disconnect). */
  signal?: AbortSignal;
  /** SSE heartbeat interval. Default 15 000 ms. */
  heartbeatMs?: number;
}

/** The non-streaming answer of {@link createChatStream}. */
export interface ChatStreamResult {
  threadId: string;
  sessionId: string;
  agent: string;
  /** The assistant's final text (all assistant messages of the turn, joined by a blank line). */
  message: string;
  usage: SimpleUsage | null;
}

function errorJson(code: string, message: string, retryable: boolean): Response {
  const status = code in RELAYKIT_ERROR_CODES ? httpStatusForCode(code as never) : 502;
  return new Response(JSON.stringify({ error: { code, message, details: { retryable } } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/**
 * The simple chat endpoint on top of a ChatKit server: one user message in, the simple SSE events out (`session`,
 * `chunk`, `tool`, `text_done`, `response_done` with usage when known, `done` or `error`), or with `stream: false` a
 * JSON `{ threadId, sessionId, agent, message, usage }`. Request errors found before the run (unknown thread, bad
 * metadata, rate limit) come back as the ChatKit server's JSON error response.
 */
export async function createChatStream<TContext>(
  server: ChatKitServer<TContext>,
  request: ChatStreamRequest,
  context: TContext,
): Promise<Response> {
  const metadata = { ...(request.metadata ?? {}), ...(request.agent ? { agentType: request.agent } : {}) };
  const input = {
    content: [{ type: 'input_text', text: request.message }],
    attachments: [],
    inference_options: {},
  };
  const body = request.threadId
    ? { type: 'threads.add_user_message', params: { thread_id: request.threadId, input }, metadata }
    : { type: 'threads.create', params: { input }, metadata };
  const response = await server.process(body, context, request.signal ? { signal: request.signal } : {});
  if (!response.ok || !response.body || !response.headers.get('content-type')?.includes('text/event-stream'))
    return response;

  const reader = response.body.pipeThrough(createChatKitEventDecoder()).getReader();
  const sessionId = request.sessionId ?? crypto.randomUUID();
  const userId = request.userId ?? String((context as { userId?: unknown }).userId ?? '');
  let threadId = request.threadId ?? '';
  const buffered: ThreadStreamEvent[] = [];
  if (!threadId) {
    const first = await reader.read();
    if (first.done || (first.value as ThreadStreamEvent).type !== 'thread.created')
      return errorJson('provider_error', 'The ChatKit stream did not start with thread.created.', true);
    threadId = (first.value as Extract<ThreadStreamEvent, { type: 'thread.created' }>).thread.id;
    buffered.push(first.value as ThreadStreamEvent);
  }
  let agent = request.agent ?? 'default';
  let completed: CompletedResponse | null = null;
  async function* events(): AsyncGenerator<ThreadStreamEvent> {
    yield* buffered;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value as ThreadStreamEvent;
    }
    const thread = await server.store.loadThread(threadId, context).catch(() => null);
    const run = thread?.metadata?.[THREAD_LAST_RUN_KEY] as
      | { agent?: string; model?: string; response_id?: string; usage?: Record<string, unknown> }
      | undefined;
    if (run?.agent) agent = run.agent;
    if (run?.response_id)
      completed = {
        id: run.response_id,
        model: run.model ?? '',
        usage: run.usage ?? null,
      } as CompletedResponse;
  }
  const simple = chatKitToSimpleStream(events(), {
    sessionId,
    session: { threadId, userId, agent },
    response: () => completed,
  });

  if (request.stream === false) {
    const texts: string[] = [];
    let usage: SimpleUsage | null = null;
    for await (const event of simple) {
      if (event.event === 'text_done') texts.push(event.data.text);
      else if (event.event === 'response_done') usage = event.data.response.usage ?? null;
      else if (event.event === 'error')
        return errorJson(event.data.code, event.data.message, event.data.retryable);
    }
    const result: ChatStreamResult = { threadId, sessionId, agent, message: texts.join('\n\n'), usage };
    return new Response(JSON.stringify(result), {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  }

  const source = new ReadableStream<SimpleChatEvent>({
    async pull(controller) {
      const next = await simple.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await reader.cancel().catch(() => {});
      await simple.return(undefined);
    },
  });
  return sseResponse(source.pipeThrough(createSimpleChatEncoder()), {
    heartbeatMs: request.heartbeatMs ?? 15_000,
  });
}
