import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeErrorReply, FakeFaults } from './script';

/** Rate-limit numbers the fake reports in its `x-ratelimit-*` headers. */
export const RATE_LIMITS = { requests: 10_000, tokens: 30_000_000 } as const;

/** A random id with an OpenAI-style prefix (`resp_`, `msg_`, `call_`, …). */
export function newId(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

/** Resolves after `ms` milliseconds (immediately for 0). */
export function sleep(ms: number | undefined): Promise<void> {
  if (!ms) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The headers every real OpenAI response carries (request id, version, processing time, rate limits). */
export function commonHeaders(
  requestId: string,
  startedAt: number,
  requestCount: number,
): Record<string, string> {
  return {
    'x-request-id': requestId,
    'openai-version': '2020-10-01',
    'openai-organization': 'relaykit-fake',
    'openai-project': 'proj_relaykit_fake',
    'openai-processing-ms': String(Math.max(0, Math.round(performance.now() - startedAt))),
    'x-ratelimit-limit-requests': String(RATE_LIMITS.requests),
    'x-ratelimit-limit-tokens': String(RATE_LIMITS.tokens),
    'x-ratelimit-remaining-requests': String(Math.max(0, RATE_LIMITS.requests - requestCount)),
    'x-ratelimit-remaining-tokens': String(RATE_LIMITS.tokens),
    'x-ratelimit-reset-requests': '6ms',
    'x-ratelimit-reset-tokens': '0s',
  };
}

/** The real error body `{error:{message,type,param,code}}`, all four keys present. */
export function errorBody(error: {
  message: string;
  type: string;
  param?: string | null | undefined;
  code?: string | null | undefined;
}): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return {
    error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code ?? null },
  };
}

const DEFAULT_ERRORS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: {
    message:
      'Incorrect API key provided: test. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  },
  403: {
    message: 'Country, region, or territory not supported',
    type: 'invalid_request_error',
    code: 'unsupported_country_region_territory',
  },
  404: {
    message: 'The model does not exist or you do not have access to it.',
    type: 'invalid_request_error',
    code: 'model_not_found',
  },
  429: {
    message: 'Rate limit reached for requests. Please try again in 1s.',
    type: 'requests',
    code: 'rate_limit_exceeded',
  },
  500: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    code: null,
  },
  503: {
    message: 'The server is overloaded or not ready yet.',
    type: 'service_unavailable_error',
    code: 'server_is_overloaded',
  },
};

/** Status, headers and body of a scripted error reply, with realistic defaults per status. */
export function scriptedError(error: FakeErrorReply): {
  status: number;
  headers: Record<string, string>;
  body: ReturnType<typeof errorBody>;
} {
  const defaults = DEFAULT_ERRORS[error.status] ??
    DEFAULT_ERRORS[error.status >= 500 ? 500 : 400] ?? {
      message: 'Error',
      type: 'invalid_request_error',
      code: null,
    };
  const headers: Record<string, string> = { ...error.headers };
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  const seconds =
    error.retryAfterSeconds ??
    (error.retryAfterMs !== undefined ? Math.ceil(error.retryAfterMs / 1000) : undefined);
  if (seconds !== undefined) headers['retry-after'] = String(seconds);
  if (error.status === 429) {
    headers['x-ratelimit-remaining-requests'] = '0';
    headers['x-ratelimit-reset-requests'] = `${error.retryAfterMs ?? (seconds ?? 1) * 1000}ms`;
  }
  return {
    status: error.status,
    headers,
    body: errorBody({
      message: error.message ?? defaults.message,
      type: error.type ?? defaults.type,
      param: error.param ?? null,
      code: error.code === undefined ? defaults.code : error.code,
    }),
  };
}

/** Writes a complete JSON response. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/** Deltas written back to back before yielding to the event loop when no token interval is set. */
const YIELD_EVERY = 8;

/** Writes SSE frames with the reply's faults (token interval, mid-stream error, dropped connection). */
export class SseWriter {
  #deltas = 0;
  #closed = false;

  constructor(
    readonly response: ServerResponse,
    readonly faults: FakeFaults,
  ) {
    response.on('close', () => {
      this.#closed = true;
    });
  }

  /** Opens the stream: 200 with `text/event-stream`. */
  open(headers: Record<string, string>): void {
    this.response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    this.response.flushHeaders();
  }

  /** Whether the client went away or the connection was dropped. */
  get closed(): boolean {
    return this.#closed || this.response.destroyed;
  }

  /** Writes one frame (`event:` line only when `event` is given). */
  write(data: string, event?: string): void {
    if (this.closed) return;
    if (
      !this.response.write(event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`)
    )
      this.#congested = true;
  }

  #congested = false;

  /** Waits for the socket to drain when the client reads slower than the fake writes (backpressure). */
  async #settle(): Promise<void> {
    if (this.#congested && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.response.off('drain', done);
          this.response.off('close', done);
          resolve();
        };
        this.response.once('drain', done);
        this.response.once('close', done);
      });
    }
    this.#congested = false;
  }

  /**
   * Called before each delta. Waits the token interval, then says what to do: `continue`, `error` (send the error
   * event and end) or `drop` (the socket is already destroyed).
   */
  async beforeDelta(): Promise<'continue' | 'error' | 'drop'> {
    await this.#settle();
    if (this.#deltas > 0) {
      if (this.faults.tokenIntervalMs) await sleep(this.faults.tokenIntervalMs);
      // Without an interval, still yield to the event loop now and then so concurrent streams interleave.
      else if (this.#deltas % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (this.faults.dropAfter !== undefined && this.#deltas >= this.faults.dropAfter) {
      // Let the frames already written reach the client, then cut the connection without a terminal chunk.
      await new Promise<void>((resolve) => this.response.write('', () => resolve()));
      this.response.socket?.destroy();
      this.response.destroy();
      this.#closed = true;
      return 'drop';
    }
    if (this.faults.stallAfter !== undefined && this.#deltas >= this.faults.stallAfter) {
      // Flush what was written, then go quiet until the client gives up (its timeout) or the server closes.
      await untilClosed(this.response);
      this.#closed = true;
      return 'drop';
    }
    if (this.faults.errorEventAfter !== undefined && this.#deltas >= this.faults.errorEventAfter)
      return 'error';
    this.#deltas += 1;
    return 'continue';
  }

  end(): void {
    if (!this.closed) this.response.end();
  }
}

/** Resolves when the response's connection closes (the client went away, or the server is closing). */
export function untilClosed(response: ServerResponse): Promise<void> {
  if (response.destroyed || response.socket?.destroyed) return Promise.resolve();
  return new Promise((resolve) => response.once('close', () => resolve()));
}

/** A deterministic `obfuscation` filler: pads each delta to a multiple of 16 characters, like the real padding. */
export function obfuscation(delta: string): string {
  const length = 16 - (delta.length % 16) || 16;
  return 'relaykitfakepad0'.slice(0, length);
}
