import { RequestError } from '@relaykit/sse-protocol';
import { DEFAULT_MAX_ITEM_BYTES } from '../internal/validate';
import type { AgentSession, AgentSessionItem, AgentSessionStore } from './types';

const encoder = new TextEncoder();

/** Throws `invalid_request` unless the session id is a string of 1 to 255 characters. */
export function checkSessionId(sessionId: string): void {
  if (typeof sessionId !== 'string' || sessionId.length < 1 || sessionId.length > 255)
    throw new RequestError('invalid_request', 'chatkit: a session id is a string of 1 to 255 characters');
}

/** Throws `invalid_request` unless `limit` is undefined or an integer. */
export function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && !Number.isInteger(limit))
    throw new RequestError('invalid_request', 'chatkit: a session limit must be an integer');
}

/** Checks items before a write (each a JSON object within the size cap) and returns their JSON form. */
export function checkItems(
  items: readonly AgentSessionItem[],
  maxBytes = DEFAULT_MAX_ITEM_BYTES,
): AgentSessionItem[] {
  if (!Array.isArray(items))
    throw new RequestError('invalid_request', 'chatkit: session items must be an array');
  return items.map((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new RequestError('invalid_request', `chatkit: session item ${index} is not a JSON object`);
    const json = JSON.stringify(item);
    const bytes = encoder.encode(json).byteLength;
    if (bytes > maxBytes)
      throw new RequestError(
        'payload_too_large',
        `chatkit: session item ${index} is ${bytes} bytes of JSON, more than the ${maxBytes} allowed`,
        { details: { bytes, maxBytes } },
      );
    return JSON.parse(json) as AgentSessionItem;
  });
}

/** The SDK `Session` object of a store for one id and context. */
export function bindSession<TContext>(
  store: Omit<AgentSessionStore<TContext>, 'session' | 'close'>,
  sessionId: string,
  context: TContext,
): AgentSession {
  checkSessionId(sessionId);
  return {
    getSessionId: async () => sessionId,
    getItems: (limit) => store.getItems(sessionId, limit, context),
    addItems: (items) => store.addItems(sessionId, items, context),
    popItem: () => store.popItem(sessionId, context),
    clearSession: () => store.clearSession(sessionId, context),
  };
}
