import type { ChatKitStore } from '@relaykit/chatkit-store';
import { ConfigurationError, RequestError, type ThreadMetadata } from '@relaykit/sse-protocol';
import { errorResponse, jsonResponse } from './errors';
import { requestIdOfContext } from './request-id';

/** Options of {@link createThreadSearchHandler}. Give `store` or `server` (its `store` is used). */
export interface ThreadSearchHandlerOptions<TContext> {
  /** The ChatKit store; it must implement `searchThreads` (every built-in driver does). */
  store?: Pick<ChatKitStore<TContext>, 'searchThreads'>;
  /** The ChatKit server (`createChatKitServer()`), instead of `store`. */
  server?: { readonly store: Pick<ChatKitStore<TContext>, 'searchThreads'> };
  /** The largest `limit` a caller may ask for. Default 50. */
  maxLimit?: number;
  /** Called with unexpected (non-RelayKit) errors before they are answered as a generic 500. */
  onUnexpectedError?: (error: unknown) => void;
}

/** The answer of the search endpoint. */
export interface ThreadSearchResponse {
  data: { thread: ThreadSearchThread; snippet: string }[];
  has_more: boolean;
}

/** A found thread as the client sees it (no server-only `metadata`, no null fields). */
export interface ThreadSearchThread {
  id: string;
  title?: string;
  created_at: string;
  status: ThreadMetadata['status'];
}

/** Longest accepted query, in characters. */
export const MAX_SEARCH_QUERY_LENGTH = 200;

function clientThread(thread: ThreadMetadata): ThreadSearchThread {
  const created = thread.created_at as unknown;
  return {
    id: thread.id,
    ...(thread.title ? { title: thread.title } : {}),
    created_at: created instanceof Date ? created.toISOString() : String(created),
    status: thread.status ?? { type: 'active' },
  };
}

/**
 * A Web-standard handler of thread search: `GET ?q=<words>&limit=<1..maxLimit>` → `{ data: [{ thread, snippet }],
 * has_more }`, the caller's own threads best first (`store.searchThreads`: full-text in the SQL drivers, migration
 * 0004 of `@relaykit/chatkit-store`). The snippet marks matches with `**`. A missing or too long `q`, or a bad
 * `limit`, is a 400 `invalid_request`; errors go through `errorResponse`. Authentication is the adapter's
 * (`createThreadSearchRoute` of `@relaykit/next`), which passes the user's store context.
 *
 * @example
 * const search = createThreadSearchHandler({ server });
 * export const GET = (request) => search(request, { userId });
 */
export function createThreadSearchHandler<TContext>(
  options: ThreadSearchHandlerOptions<TContext>,
): (request: Request, context: TContext) => Promise<Response> {
  const store = options.store ?? options.server?.store;
  if (!store) throw new ConfigurationError('createThreadSearchHandler needs a store (or a server)');
  if (typeof store.searchThreads !== 'function')
    throw new ConfigurationError('createThreadSearchHandler: this ChatKit store has no searchThreads');
  const maxLimit = options.maxLimit ?? 50;
  if (!Number.isInteger(maxLimit) || maxLimit < 1 || maxLimit > 100)
    throw new ConfigurationError('createThreadSearchHandler: maxLimit must be an integer from 1 to 100');
  const search = store.searchThreads.bind(store);

  return async (request, context) => {
    try {
      if (request.method !== 'GET')
        throw new RequestError('invalid_request', 'Thread search is a GET request.');
      const url = new URL(request.url);
      const query = (url.searchParams.get('q') ?? '').trim();
      if (query === '') throw new RequestError('invalid_request', 'Give the words to search for as ?q=.');
      if (query.length > MAX_SEARCH_QUERY_LENGTH)
        throw new RequestError(
          'invalid_request',
          `The search is ${query.length} characters long; the limit is ${MAX_SEARCH_QUERY_LENGTH}.`,
        );
      const rawLimit = url.searchParams.get('limit');
      const limit = rawLimit === null || rawLimit === '' ? Math.min(20, maxLimit) : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
        throw new RequestError('invalid_request', `limit must be an integer from 1 to ${maxLimit}.`);
      const page = await search(query, { limit }, context);
      const body: ThreadSearchResponse = {
        data: page.data.map((hit) => ({ thread: clientThread(hit.thread), snippet: hit.snippet })),
        has_more: page.has_more,
      };
      return jsonResponse(body);
    } catch (error) {
      const requestId = requestIdOfContext(context);
      return errorResponse(error, {
        ...(requestId ? { requestId } : {}),
        ...(options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {}),
      });
    }
  };
}
