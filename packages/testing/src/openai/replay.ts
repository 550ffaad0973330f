import { parse } from 'yaml';
import { listOpenAIFixtures, readOpenAIFixture } from '../fixtures';

/** A recorded response, ready to be written by the fake. */
export interface ReplayedResponse {
  status: number;
  headers: Record<string, string>;
  /** The bytes to send. */
  body: Buffer;
}

/** The request a fixture is replayed for. */
export interface ReplayRequest {
  method: string;
  /** Path without query, e.g. `/v1/responses`. */
  path: string;
}

/** Options of {@link replayFixture}. */
export interface ReplayOptions {
  /** VCR cassettes: the interaction to serve (default: the next unused one matching method and path). */
  interaction?: number;
  /** JSON bodies: the HTTP status (default 200, or derived from an `{error}` body). */
  status?: number;
  /** Remembers which cassette interactions were served; share one per server. */
  cursor?: Map<string, Set<number>>;
}

interface Cassette {
  interactions: {
    request: { method: string; uri: string };
    response: {
      status: { code: number };
      headers?: Record<string, string[] | string>;
      body?: { string?: string };
      parsed_body?: unknown;
    };
  }[];
}

const cassettes = new Map<string, Cassette>();
let fixtureList: ReturnType<typeof listOpenAIFixtures> | undefined;
const DROPPED_HEADERS = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'alt-svc',
  'set-cookie',
  'strict-transport-security',
  'date',
  'server',
]);

/**
 * Turns a shipped fixture file into the HTTP response the real API sent, byte-faithful where the file is:
 * - `*.bin` (raw SSE): served exactly as stored;
 * - `*.chunks.txt` (JSONL of `data:` payloads): each line unchanged, framed as the real API frames it: for
 *   `/responses` as `event: <type>\ndata: <line>\n\n` (no `[DONE]`), for Chat Completions as `data: <line>\n\n`
 *   followed by `data: [DONE]\n\n`;
 * - `*.json`: served exactly as stored, with status 200, or for an `{error}` body the status the error implies
 *   (429 for `insufficient_quota`, otherwise 400) unless `options.status` says otherwise;
 * - `test_*.yaml` (VCR cassettes): the recorded status and headers (minus hop-by-hop and cookie headers) and the raw
 *   SSE `body.string` exactly; a `parsed_body` is re-serialized JSON (the cassette already re-serialized it).
 */
export function replayFixture(
  file: string,
  request: ReplayRequest,
  options: ReplayOptions = {},
): ReplayedResponse {
  fixtureList ??= listOpenAIFixtures();
  const known = fixtureList.find((fixture) => fixture.file === file);
  if (!known) throw new TypeError(`unknown OpenAI fixture: ${file}`);
  const bytes = readOpenAIFixture(file);
  switch (known.format) {
    case 'raw-SSE':
      return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: bytes };
    case 'JSONL': {
      const lines = bytes
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      const isResponses = request.path.endsWith('/responses');
      const frames = lines.map((line) => {
        if (!isResponses) return `data: ${line}\n\n`;
        const type = (JSON.parse(line) as { type?: string }).type ?? 'message';
        return `event: ${type}\ndata: ${line}\n\n`;
      });
      if (!isResponses) frames.push('data: [DONE]\n\n');
      return {
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8' },
        body: Buffer.from(frames.join(''), 'utf8'),
      };
    }
    case 'JSON': {
      const parsed = JSON.parse(bytes.toString('utf8')) as { error?: { type?: string; code?: string } };
      const status =
        options.status ?? (parsed.error ? (parsed.error.type === 'insufficient_quota' ? 429 : 400) : 200);
      return { status, headers: { 'content-type': 'application/json' }, body: bytes };
    }
    case 'VCR-YAML': {
      let cassette = cassettes.get(file);
      if (!cassette) {
        cassette = parse(bytes.toString('utf8')) as Cassette;
        cassettes.set(file, cassette);
      }
      const index = options.interaction ?? nextInteraction(file, cassette, request, options.cursor);
      const interaction = cassette.interactions[index];
      if (!interaction) throw new TypeError(`${file} has no interaction ${index}`);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(interaction.response.headers ?? {})) {
        if (DROPPED_HEADERS.has(name.toLowerCase())) continue;
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      const raw = interaction.response.body?.string;
      const body =
        raw !== undefined
          ? Buffer.from(raw, 'utf8')
          : Buffer.from(JSON.stringify(interaction.response.parsed_body ?? {}), 'utf8');
      headers['content-type'] ??= raw !== undefined ? 'text/event-stream; charset=utf-8' : 'application/json';
      return { status: interaction.response.status.code, headers, body };
    }
    default:
      throw new TypeError(`unsupported fixture format: ${String(known.format)}`);
  }
}

function nextInteraction(
  file: string,
  cassette: Cassette,
  request: ReplayRequest,
  cursor: Map<string, Set<number>> | undefined,
): number {
  const candidates = cassette.interactions
    .map((interaction, index) => ({ interaction, index }))
    .filter(
      ({ interaction }) =>
        interaction.request.method.toUpperCase() === request.method.toUpperCase() &&
        new URL(interaction.request.uri).pathname === request.path,
    )
    .map(({ index }) => index);
  if (candidates.length === 0)
    throw new TypeError(`${file} has no interaction for ${request.method} ${request.path}`);
  const used = cursor?.get(file) ?? new Set<number>();
  cursor?.set(file, used);
  let index = candidates.find((candidate) => !used.has(candidate));
  if (index === undefined) {
    for (const candidate of candidates) used.delete(candidate);
    index = candidates[0]!;
  }
  used.add(index);
  return index;
}
