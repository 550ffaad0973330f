import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { verifySupabaseJwt } from './jwt';

/** A request handler that answers and returns `true`, or returns `false` when the path is not its own. */
export type StandInHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => Promise<boolean>;

/** A running stand-in server. */
export interface RunningStandIn {
  /** Base URL (`http://127.0.0.1:<port>`), the "Supabase project URL" to give `createClient`. */
  readonly url: string;
  /** Stops the server and closes open connections. */
  close(): Promise<void>;
}

/** The body is larger than the reader's cap. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads a request body into memory, failing once it exceeds `limit` bytes. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      request.resume();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  rawJson?: string,
): void {
  const text = rawJson ?? JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

/** The bearer token of `Authorization`, else the `apikey` header (what Supabase's gateway forwards). */
export function bearerToken(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && /^bearer\s+/i.test(authorization)) {
    return authorization.replace(/^bearer\s+/i, '').trim();
  }
  const apikey = request.headers.apikey;
  return typeof apikey === 'string' && apikey !== '' ? apikey : undefined;
}

/**
 * Supabase's API gateway check: a request needs an `apikey` header (or `?apikey=`) that is a JWT signed with the
 * project secret. Answers 401 with the gateway's message and returns `false` when it is missing or invalid.
 */
export async function checkApiKey(
  request: IncomingMessage,
  url: URL,
  secret: Uint8Array,
  response: ServerResponse,
): Promise<boolean> {
  const header = request.headers.apikey;
  const apikey = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('apikey') ?? undefined;
  if (apikey === undefined) {
    sendJson(response, 401, {
      message: 'No API key found in request',
      hint: 'No `apikey` request header or url param was found.',
    });
    return false;
  }
  if (!(await verifySupabaseJwt(apikey, secret)).ok) {
    sendJson(response, 401, {
      message: 'Invalid API key',
      hint: 'Double check your Supabase `anon` or `service_role` API key.',
    });
    return false;
  }
  return true;
}

/** Starts a `node:http` server on 127.0.0.1 that tries each handler in turn. */
export async function startStandIn(
  handlers: StandInHandler[],
  options: { port?: number; onError?: (error: unknown) => void } = {},
): Promise<RunningStandIn> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      for (const handler of handlers) {
        if (await handler(request, response, url)) return;
      }
      sendJson(response, 404, { message: `no stand-in route for ${request.method} ${url.pathname}` });
    })().catch((error: unknown) => {
      options.onError?.(error);
      if (!response.headersSent) {
        sendJson(response, 500, { message: error instanceof Error ? error.message : String(error) });
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('stand-in server has no TCP address');
  let closed = false;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
