import { ConfigurationError, isRelayKitError, ProviderError } from '@relaykit/sse-protocol';

/** One dependency check: resolves when healthy, throws (or times out) when not. */
export type HealthCheck = (signal: AbortSignal) => Promise<unknown>;

/** The result of one check. `error` is a code (`timeout`, a RelayKit code or `failed`), never a message. */
export interface HealthCheckResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** The report of {@link runHealthChecks}. */
export interface HealthReport {
  status: 'ok' | 'error';
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
  const results = Object.fromEntries(entries);
  return {
    status: entries.every(([, result]) => result.ok) ? 'ok' : 'error',
    checks: results,
    timestamp: new Date().toISOString(),
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
