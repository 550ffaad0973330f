import { type ModelProvider, OpenAIProvider } from '@openai/agents';
import { ConfigurationError } from '@relaykit/sse-protocol';
import OpenAI from 'openai';

/** Which OpenAI API the models speak. Use `chat_completions` for compatible servers without the Responses API. */
export type ModelApi = 'responses' | 'chat_completions';

/** Options of {@link createModelAccess}. Nothing here is read from the environment: adapters pass it in. */
export interface ModelAccessOptions<TContext> {
  /** The server's API key. */
  apiKey?: string;
  /**
   * Bring-your-own-key: returns the key for a request context (e.g. a per-user key decrypted from Vault), or
   * `undefined` to fall back to `apiKey`. Keys are never logged or put into errors.
   */
  getApiKey?: (context: TContext) => Promise<string | undefined> | string | undefined;
  /** Any OpenAI-compatible endpoint, ending in `/v1`. Default: the OpenAI API. */
  baseURL?: string;
  /** Default `responses`. */
  api?: ModelApi;
  /** Per-request timeout in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Retries on 408/409/429/5xx and connection errors; the SDK honours `retry-after(-ms)`. Default 2. */
  maxRetries?: number;
  /** A fetch implementation (tests, proxies). */
  fetch?: typeof fetch;
  /** How many per-key clients to keep. Default 100. */
  maxCachedClients?: number;
}

/** Explicit model access for the Agents SDK: never a process-wide default client. */
export interface ModelAccess<TContext> {
  /** The provider to pass to a `Runner` (`new Runner({ modelProvider })`) for this request context. */
  providerFor(context: TContext): Promise<ModelProvider>;
  /** A raw OpenAI client for this request context (titles, transcription, images). */
  clientFor(context: TContext): Promise<OpenAI>;
  /** The API the providers speak. */
  readonly api: ModelApi;
}

/** Creates per-request model access: one OpenAI client and provider per API key, cached. */
export function createModelAccess<TContext>(options: ModelAccessOptions<TContext>): ModelAccess<TContext> {
  const api = options.api ?? 'responses';
  const maxCached = options.maxCachedClients ?? 100;
  const cache = new Map<string, { client: OpenAI; provider: OpenAIProvider }>();

  const entryFor = async (context: TContext) => {
    const apiKey = (await options.getApiKey?.(context)) ?? options.apiKey;
    if (!apiKey) {
      throw new ConfigurationError(
        'no OpenAI API key is configured for this request (set apiKey, or return one from getApiKey)',
      );
    }
    const cached = cache.get(apiKey);
    if (cached) {
      cache.delete(apiKey);
      cache.set(apiKey, cached);
      return cached;
    }
    const client = new OpenAI({
      apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      timeout: options.timeoutMs ?? 60_000,
      maxRetries: options.maxRetries ?? 2,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const provider = new OpenAIProvider({ openAIClient: client, useResponses: api === 'responses' });
    const entry = { client, provider };
    cache.set(apiKey, entry);
    if (cache.size > maxCached) cache.delete(cache.keys().next().value!);
    return entry;
  };

  return {
    api,
    providerFor: async (context) => (await entryFor(context)).provider,
    clientFor: async (context) => (await entryFor(context)).client,
  };
}
