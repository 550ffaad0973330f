import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAudioTranscription, isMultipart, parseMultipart } from './audio-transcriptions';
import { handleChatCompletions } from './chat-completions';
import { handleChatKitSession } from './chatkit-sessions';
import { chatRequestInfo, type FakeExchange, type FakeState, responsesRequestInfo } from './exchange';
import {
  commonHeaders,
  errorBody,
  newId,
  SseWriter,
  scriptedError,
  sendJson,
  sleep,
  untilClosed,
} from './http';
import { handleImageGeneration } from './images';
import { handleModerations } from './moderations';
import { offlineJsonInstance, requestedJsonSchema } from './offline-json';
import { replayFixture } from './replay';
import { handleResponses, handleStoredResponse } from './responses';
import {
  type FakeEndpoint,
  FakeFaults,
  type FakeRequestInfo,
  type FakeScript,
  offlineReplyText,
  type ParsedFakeReply,
  ScriptRunner,
} from './script';

/** Options of {@link createFakeOpenAI}. */
export interface FakeOpenAIOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; `127.0.0.1` by default. */
  host?: string;
  /** Scripted replies. Without a script every generative request gets the deterministic offline reply. */
  script?: FakeScript;
  /** Faults applied to every reply (a reply's own `faults` override them), e.g. `{ tokenIntervalMs: 20 }`. */
  faults?: FakeFaults;
  /** When set, requests must send `Authorization: Bearer <apiKey>` (401 `invalid_api_key` otherwise). */
  apiKey?: string;
  /** Model ids listed by `GET /v1/models`. */
  models?: string[];
  /** How many requests `calls` keeps (oldest dropped first); 10 000 by default, so a long-running fake stays small. */
  maxRecordedCalls?: number;
}

/** One request the fake received. */
export interface FakeOpenAICall {
  method: string;
  /** Path without the query string, e.g. `/v1/responses`. */
  path: string;
  query: Record<string, string>;
  /** Request headers, lower-cased, without `authorization`. */
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown;
  endpoint: FakeEndpoint;
  /** `performance.now()` when the request arrived. */
  receivedAt: number;
}

/** A running fake OpenAI server. */
export interface FakeOpenAI {
  /** Base URL ending in `/v1`: pass it as `baseURL` to the `openai` SDK. */
  url: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  /** Every request received, in order (the last `maxRecordedCalls`). */
  calls: FakeOpenAICall[];
  /** Stops the server and closes every open connection. */
  close(): Promise<void>;
}

/** Models listed by default. */
export const DEFAULT_FAKE_MODELS: readonly string[] = [
  'gpt-5',
  'gpt-5-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-image-1',
  'dall-e-3',
  'omni-moderation-latest',
  'gpt-4o-mini-transcribe',
  'gpt-4o-transcribe',
  'whisper-1',
];

const MAX_BODY_BYTES = 32 * 1024 * 1024;

function endpointOf(method: string, path: string): FakeEndpoint {
  if (method === 'POST' && path === '/v1/responses') return 'responses';
  if (method === 'POST' && path === '/v1/chat/completions') return 'chat.completions';
  if (method === 'POST' && path === '/v1/images/generations') return 'images.generations';
  if (method === 'POST' && path === '/v1/moderations') return 'moderations';
  if (method === 'POST' && path === '/v1/chatkit/sessions') return 'chatkit.sessions';
  if (method === 'POST' && path === '/v1/audio/transcriptions') return 'audio.transcriptions';
  if (method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) return 'models';
  return 'other';
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RangeError('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Starts a fake OpenAI server on 127.0.0.1 speaking the real wire formats of `POST /v1/responses`,
 * `POST /v1/chat/completions`, `POST /v1/images/generations` (+ `GET /files/<id>.png`), `POST /v1/chatkit/sessions`,
 * `POST /v1/moderations`, `POST /v1/audio/transcriptions` (multipart) and `GET /v1/models`, driven by a {@link FakeScript}.
 *
 * @example
 * const fake = await createFakeOpenAI({ script: { rules: [{ reply: { text: 'Hello!' } }] } });
 * const client = new OpenAI({ apiKey: 'test', baseURL: fake.url });
 * await fake.close();
 */
export async function createFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const runner = new ScriptRunner(options.script);
  const defaultFaults = FakeFaults.parse(options.faults ?? {});
  const models = options.models ?? DEFAULT_FAKE_MODELS;
  const state: FakeState = { responses: new Map(), files: new Map() };
  const cursor = new Map<string, Set<number>>();
  const calls: FakeOpenAICall[] = [];
  const maxRecordedCalls = options.maxRecordedCalls ?? 10_000;
  let received = 0;
  let origin = '';

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', origin);
    const path = url.pathname;
    const endpoint = endpointOf(method, path);
    const requestId = newId('req_', 16);
    received += 1;
    const requestNumber = received;
    const headers = () => commonHeaders(requestId, receivedAt, requestNumber);

    let raw: Buffer;
    try {
      raw = await readBody(request);
    } catch {
      if (!response.headersSent)
        sendJson(
          response,
          413,
          errorBody({ message: 'Request body too large.', type: 'invalid_request_error' }),
          headers(),
        );
      return;
    }
    const text = raw.toString('utf8');
    let body: unknown;
    let invalidJson = false;
    const contentType = request.headers['content-type'];
    if (isMultipart(contentType)) {
      body = await parseMultipart(raw, contentType!).catch(() => text);
    } else if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        invalidJson = true;
      }
    }
    const recordedHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (name === 'authorization' || value === undefined) continue;
      recordedHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    calls.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: recordedHeaders,
      body,
      endpoint,
      receivedAt,
    });
    if (calls.length > maxRecordedCalls) calls.splice(0, calls.length - maxRecordedCalls);

    if (method === 'GET' && path.startsWith('/files/')) {
      const file = state.files.get(path.slice('/files/'.length).replace(/\.png$/, ''));
      if (!file) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Not Found');
        return;
      }
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(file.length) });
      response.end(file);
      return;
    }
    if (!path.startsWith('/v1/')) {
      sendJson(
        response,
        404,
        errorBody({ message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error' }),
        headers(),
      );
      return;
    }

    const authorization = request.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
    if (!token) {
      sendJson(
        response,
        401,
        errorBody({
          message:
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          type: 'invalid_request_error',
        }),
        headers(),
      );
      return;
    }
    if (options.apiKey !== undefined && token !== options.apiKey) {
      sendJson(response, 401, scriptedError({ status: 401 }).body, headers());
      return;
    }
    if (invalidJson) {
      sendJson(
        response,
        400,
        errorBody({
          message:
            "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
          type: 'invalid_request_error',
        }),
        headers(),
      );
      return;
    }

    const json = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<
      string,
      unknown
    >;
    const info: FakeRequestInfo =
      endpoint === 'responses'
        ? { endpoint, ...responsesRequestInfo(json) }
        : endpoint === 'chat.completions'
          ? { endpoint, ...chatRequestInfo(json) }
          : {
              endpoint,
              model: typeof json.model === 'string' ? json.model : undefined,
              lastUserText: typeof json.prompt === 'string' ? json.prompt : '',
              hasToolOutput: false,
            };
    const scripted = runner.next(info);
    const faults = { ...defaultFaults, ...scripted?.faults };
    if (faults.stallBeforeHeaders) {
      await untilClosed(response);
      return;
    }

    if (scripted?.error) {
      await sleep(faults.latencyMs);
      const error = scriptedError(scripted.error);
      sendJson(response, error.status, error.body, { ...headers(), ...error.headers });
      return;
    }
    if (scripted?.replay) {
      const replayed = replayFixture(
        scripted.replay,
        { method, path },
        { interaction: scripted.interaction, status: scripted.status, cursor },
      );
      await sleep(faults.latencyMs);
      const isStream =
        replayed.status === 200 && replayed.headers['content-type']?.startsWith('text/event-stream');
      if (
        isStream &&
        (faults.tokenIntervalMs || faults.dropAfter !== undefined || faults.stallAfter !== undefined)
      ) {
        // Paced, cut or stalled replay: the recorded frames, unchanged, one at a time (faults count frames, not deltas).
        const writer = new SseWriter(response, { ...faults, errorEventAfter: undefined });
        response.writeHead(200, { ...headers(), ...replayed.headers, 'x-request-id': requestId });
        for (const frame of replayed.body.toString('utf8').split(/(?<=\n\n)/)) {
          if ((await writer.beforeDelta()) !== 'continue' || writer.closed) return;
          response.write(frame);
        }
        writer.end();
        return;
      }
      response.writeHead(replayed.status, {
        ...headers(),
        ...replayed.headers,
        'x-request-id': requestId,
        'content-length': String(replayed.body.length),
      });
      response.end(replayed.body);
      return;
    }

    const generative = endpoint === 'responses' || endpoint === 'chat.completions';
    if (generative && typeof json.model !== 'string') {
      sendJson(
        response,
        400,
        errorBody({
          message: "Missing required parameter: 'model'.",
          type: 'invalid_request_error',
          param: 'model',
          code: 'missing_required_parameter',
        }),
        headers(),
      );
      return;
    }
    let reply: ParsedFakeReply | undefined = scripted;
    if (!reply && generative) {
      if (runner.fallback === 'error') {
        sendJson(
          response,
          400,
          errorBody({
            message: `The fake OpenAI script has no reply for this ${endpoint} request (last user text: ${JSON.stringify(info.lastUserText)}).`,
            type: 'invalid_request_error',
            code: 'unscripted_request',
          }),
          headers(),
        );
        return;
      }
      const schema = requestedJsonSchema(json);
      reply = { text: schema ? JSON.stringify(offlineJsonInstance(schema)) : offlineReplyText(info) };
    }
    const exchange: FakeExchange = {
      response,
      body: json,
      info,
      headers: headers(),
      faults,
      reply: reply ?? { text: '' },
      state,
      origin,
    };
    switch (endpoint) {
      case 'responses':
        return handleResponses(exchange);
      case 'chat.completions':
        return handleChatCompletions(exchange);
      case 'images.generations':
        return handleImageGeneration(exchange);
      case 'moderations':
        return handleModerations(exchange);
      case 'audio.transcriptions':
        return handleAudioTranscription(exchange, scripted !== undefined);
      case 'chatkit.sessions': {
        const beta = request.headers['openai-beta'];
        return handleChatKitSession(exchange, Array.isArray(beta) ? beta.join(',') : beta);
      }
      case 'models': {
        await sleep(faults.latencyMs);
        const listed = models.map((id) => ({
          id,
          object: 'model',
          created: 1_700_000_000,
          owned_by: 'system',
        }));
        if (path === '/v1/models') {
          sendJson(response, 200, { object: 'list', data: listed }, exchange.headers);
          return;
        }
        const id = decodeURIComponent(path.slice('/v1/models/'.length));
        const model = listed.find((entry) => entry.id === id);
        if (model) sendJson(response, 200, model, exchange.headers);
        else
          sendJson(
            response,
            404,
            errorBody({
              message: `The model '${id}' does not exist`,
              type: 'invalid_request_error',
              param: 'model',
              code: 'model_not_found',
            }),
            exchange.headers,
          );
        return;
      }
      default: {
        const stored = /^\/v1\/responses\/([^/]+)$/.exec(path);
        if (stored && (method === 'GET' || method === 'DELETE'))
          return handleStoredResponse(exchange, method, decodeURIComponent(stored[1]!), url.searchParams);
        sendJson(
          response,
          404,
          errorBody({ message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error' }),
          exchange.headers,
        );
      }
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(
          response,
          500,
          errorBody({ message: `Fake OpenAI server error: ${String(error)}`, type: 'server_error' }),
          {},
        );
      else response.destroy();
    });
  });
  // Idle keep-alive connections are closed by the client, never by the fake: a server that closes an idle socket
  // (Node's default after 5 s) races a busy client that picks that socket for its next request and fails with
  // "other side closed" (undici does not retry a POST). Benchmarks with 200 streams on a loaded machine hit that race.
  // With 0 no `Keep-Alive: timeout` is announced and no idle timer runs; `close()` still ends every connection.
  server.keepAliveTimeout = 0;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    port,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
