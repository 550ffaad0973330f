import { RequestError } from '@relaykit/sse-protocol';
import { createChatKitCore } from '../server/chatkit-core';
import type { ChatKitProcessOptions, ChatKitServer, ChatKitServerOptions } from '../server/types';
import { DEFAULT_MAX_BODY_BYTES, readBodyText } from './body';
import { chatKitResponse } from './chatkit-response';
import { errorResponse } from './errors';
import { serverErrorOptions } from './request-id';

/** An abort controller that follows `signal` (the request's), for the run to stop on. */
function followSignal(signal: AbortSignal | undefined): AbortController {
  const abort = new AbortController();
  if (signal?.aborted) abort.abort(signal.reason);
  else signal?.addEventListener('abort', () => abort.abort(signal.reason), { once: true });
  return abort;
}

/**
 * Creates a ChatKit custom-backend server (`docs/specs/chatkit-protocol.md`): the core (`run`: a parsed request in,
 * a JSON value or typed events out, see `createChatKitCore`) with its HTTP face. `handle(request, context)` answers
 * one `POST` of the ChatKit client with a Web `Response`: JSON for non-streaming requests, `text/event-stream` for
 * streaming ones. Everything that can be checked (body, ids, item kinds, attachments, rate limit) is checked before
 * the first byte and answered as JSON `{ error: { code, message, details } }` with the code's HTTP status.
 * `context` is passed untouched to the store and every hook.
 */
export function createChatKitServer<TContext>(
  options: ChatKitServerOptions<TContext>,
): ChatKitServer<TContext> {
  const core = createChatKitCore(options);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  async function process(body: unknown, context: TContext, extra?: ChatKitProcessOptions): Promise<Response> {
    const abort = followSignal(extra?.signal);
    try {
      const request = core.parse(body);
      const result = await core.run(request, context, {
        signal: abort.signal,
        ...(extra?.onRunError ? { onRunError: extra.onRunError } : {}),
      });
      return chatKitResponse(result, {
        abort,
        heartbeatMs: options.heartbeatMs ?? 0,
        onError: (error) => options.onError?.(error, context),
      });
    } catch (error) {
      return errorResponse(error, serverErrorOptions(options.onError, context));
    }
  }

  const notPost = (context: TContext) =>
    errorResponse(
      new RequestError('invalid_request', 'ChatKit requests must be POST.'),
      serverErrorOptions(options.onError, context),
    );

  return {
    ...core,
    process,
    async handleJson(body, request, context) {
      if (request.method !== 'POST') return notPost(context);
      return process(body, context, { signal: request.signal });
    },
    async handle(request, context) {
      if (request.method !== 'POST') return notPost(context);
      let text: string;
      try {
        text = await readBodyText(request, maxBodyBytes);
      } catch (error) {
        return errorResponse(error, serverErrorOptions(options.onError, context));
      }
      return process(text, context, { signal: request.signal });
    },
  };
}
