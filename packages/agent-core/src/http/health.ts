import { ConfigurationError, isRelayKitError, ProviderError } from '@relaykit/sse-protocol';
import { jsonResponse } from './errors';

/** One dependency check: resolves when healthy, throws (or times out) when not. */
export type HealthCheck = (signal: AbortSignal) => Promise<unknown>;

/** The result of one check. `error` is a code (`timeout`, a RelayKit code or `failed`), never a message. */
export interface HealthCheckResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** The overall health: every check passed, some failed, or all failed. */
export type HealthStatus = 'ok' | 'degraded' | 'down';

/** The report of {@link runHealthChecks}. */
export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, HealthCheckResult>;
  timestamp: string;
}

/** Options of {@link runHealthChecks}. */
export interface HealthCheckOptions {
  /** Per-check deadline in milliseconds; defaults to 2000. */
  timeoutMs?: number;
  /** The clock (ms), for tests. */
  now?: () => number;
}

/**
 * Runs named checks in parallel, each under a deadline (its `AbortSignal` fires at the deadline). The report
 * carries only `ok`, latency and an error code per check: error messages (which may hold hosts, keys or
 * connection strings) are never included.
 */
export async function runHealthChecks(
  checks: Record<string, HealthCheck>,
  options: HealthCheckOptions = {},
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const now = options.now ?? (() => performance.now());
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, HealthCheckResult]> => {
      const controller = new AbortController();
      const started = now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          controller.abort();
          resolve('timeout');
        }, timeoutMs);
      });
      try {
        const outcome = await Promise.race([
          Promise.resolve()
            .then(() => check(controller.signal))
            .then(() => 'ok' as const),
          deadline,
        ]);
        const latencyMs = Math.round(now() - started);
        return [
          name,
          outcome === 'ok' ? { ok: true, latencyMs } : { ok: false, latencyMs, error: 'timeout' },
        ];
      } catch (error) {
        const latencyMs = Math.round(now() - started);
        return [name, { ok: false, latencyMs, error: isRelayKitError(error) ? error.code : 'failed' }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const passed = entries.filter(([, result]) => result.ok).length;
  return {
    status: passed === entries.length ? 'ok' : passed === 0 ? 'down' : 'degraded',
    checks: Object.fromEntries(entries),
    timestamp: new Date().toISOString(),
  };
}

/** Options of {@link createHealthHandler}. */
export interface HealthHandlerOptions extends HealthCheckOptions {
  /** Named checks (model provider, store, rate-limit store…): resolve when healthy, throw when not. */
  checks: Record<string, HealthCheck>;
  /**
   * Whether a request may see the per-check details (names, latencies, error codes): for example the signed-in
   * user of your app, or an operator. A rejection counts as `false`. Default: nobody.
   */
  detailsFor?: (request: Request) => boolean | Promise<boolean>;
  /**
   * A secret for monitors: a request with `Authorization: Bearer <token>` sees the details. Read it from your
   * environment; never hard-code it.
   */
  detailsToken?: string;
}

/** Compares two strings in time that depends only on their lengths. */
function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let difference = a.length ^ b.length;
  for (let index = 0; index < b.length; index++) difference |= (a[index] ?? 0) ^ b[index]!;
  return difference === 0 && b.length > 0;
}

async function mayReadDetails(request: Request, options: HealthHandlerOptions): Promise<boolean> {
  const header = request.headers.get('authorization') ?? '';
  if (
    options.detailsToken &&
    /^Bearer /i.test(header) &&
    sameSecret(header.slice(7).trim(), options.detailsToken)
  )
    return true;
  if (!options.detailsFor) return false;
  try {
    return (await options.detailsFor(request)) === true;
  } catch {
    return false;
  }
}

/**
 * A `GET` handler for a health endpoint: runs the checks ({@link runHealthChecks}) and answers 200 when all pass,
 * 503 otherwise (`cache-control: no-store`). The public sees only `{ status }` (`ok`, `degraded` or `down`); a request
 * that `detailsFor` accepts, or that carries `detailsToken`, also gets `checks` (name → `{ ok, latencyMs, error? }`,
 * `error` a RelayKit code, never a message) and `timestamp`. Nothing names a host, port, database or key.
 */
export function createHealthHandler(options: HealthHandlerOptions): (request: Request) => Promise<Response> {
  const checkOptions: HealthCheckOptions = {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  return async (request) => {
    const [report, details] = await Promise.all([
      runHealthChecks(options.checks, checkOptions),
      mayReadDetails(request, options),
    ]);
    const status = report.status === 'ok' ? 200 : 503;
    return jsonResponse(details ? report : { status: report.status }, { status });
  };
}

/** Options of {@link openAIHealthCheck}. */
export interface OpenAIHealthCheckOptions {
  /** The API key; sent as a bearer token, never reported. */
  apiKey: string;
  /** Defaults to `https://api.openai.com/v1` (a compatible server's `/v1` URL works too). */
  baseURL?: string;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
}

/**
 * A {@link HealthCheck} of the model provider: `GET {baseURL}/models` with the key. A 401/403 is
 * `configuration` (the key is wrong), any other failure or network error is `provider_unavailable`.
 */
export function openAIHealthCheck(options: OpenAIHealthCheckOptions): HealthCheck {
  const baseURL = (options.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  const fetcher = options.fetch ?? fetch;
  return async (signal) => {
    let response: Response;
    try {
      response = await fetcher(`${baseURL}/models`, {
        headers: { authorization: `Bearer ${options.apiKey}` },
        signal,
      });
    } catch (error) {
      throw new ProviderError('provider_unavailable', 'The model provider is unreachable.', { cause: error });
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 401 || response.status === 403)
      throw new ConfigurationError('The model provider refused the API key.');
    if (!response.ok)
      throw new ProviderError('provider_unavailable', `The model provider answered ${response.status}.`);
  };
}
