import { ConfigurationError, RequestError, StoreError } from '@relaykit/sse-protocol';

/** The error part of a supabase-js (PostgREST) response. */
export interface VaultRpcError {
  message: string;
  code?: string;
}

/** The response of a supabase-js `rpc()` call (`{ data, error, status }`). */
export interface VaultRpcResponse {
  data: unknown;
  error: VaultRpcError | null;
  status?: number;
}

/**
 * What the resolver needs of a supabase-js client: `rpc()` on the schema that holds the functions, e.g.
 * `createClient(SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY).schema('relaykit')`. Any object with the same shape works
 * (an adapter over a Postgres pool, a test double).
 */
export interface VaultRpcClient {
  rpc(fn: string, args?: Record<string, unknown>): PromiseLike<VaultRpcResponse>;
}

/** Options of {@link createVaultApiKeyResolver}. */
export interface VaultApiKeyResolverOptions<TContext> {
  /** A service-role client scoped to the functions' schema: `supabase.schema('relaykit')`. */
  rpc: VaultRpcClient;
  /** The key to use when Vault has none for the user nor for the project (usually `OPENAI_API_KEY`). */
  fallbackApiKey?: string;
  /** How long a looked-up key (or its absence) is reused, per user, in milliseconds. Default 60 000; 0 turns caching off. */
  ttlMs?: number;
  /** The clock, in milliseconds (tests). Default `Date.now`. */
  now?: () => number;
  /** The user a request context belongs to. Default `context.userId`; `undefined` asks for the project key. */
  userId?: (context: TContext) => string | undefined;
  /** The function to call. Default `get_openai_api_key` (migration `sql/0001_openai_keys.sql`). */
  functionName?: string;
  /** How many users' keys to keep at most (the oldest is dropped first). Default 1 000. */
  maxEntries?: number;
}

/** Looks up OpenAI keys in Vault for `createModelAccess({ getApiKey })`. */
export interface VaultApiKeyResolver<TContext> {
  /**
   * The key for the context's user: their own Vault key, else the project's Vault key (`openai_api_key`), else
   * `fallbackApiKey`, else `undefined` (then `createModelAccess` uses its `apiKey`). A bound function: pass it as is.
   */
  getApiKey: (context: TContext) => Promise<string | undefined>;
  /** Forgets the cached key of one user (after they changed it), or of everyone. */
  invalidate: (userId?: string) => void;
}

interface CacheEntry {
  key: string | null;
  expiresAt: number;
}

/** A lookup in flight; `stale` once `invalidate` ran for its user (the answer is then not cached). */
interface PendingLookup {
  lookup: Promise<string | null>;
  stale: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROJECT = '';

/**
 * Creates a bring-your-own-key resolver over Supabase Vault: `getApiKey(context)` calls
 * `get_openai_api_key(p_user_id)` (service role only, `security definer`) through `rpc`, caches the answer per user
 * for `ttlMs`, shares one lookup between concurrent requests of a user and falls back to `fallbackApiKey`.
 * Keys are never logged, and never put into errors or their details.
 *
 * @example
 * ```ts
 * const supabase = createClient(SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, { auth: { persistSession: false } });
 * const keys = createVaultApiKeyResolver<AdapterContext>({ rpc: supabase.schema('relaykit'), fallbackApiKey: OPENAI_API_KEY });
 * const modelAccess = createModelAccess<AdapterContext>({ getApiKey: keys.getApiKey });
 * ```
 */
export function createVaultApiKeyResolver<TContext = { userId?: string }>(
  options: VaultApiKeyResolverOptions<TContext>,
): VaultApiKeyResolver<TContext> {
  if (typeof options?.rpc?.rpc !== 'function') {
    throw new ConfigurationError(
      "createVaultApiKeyResolver needs rpc: a service-role supabase-js client's schema('relaykit') (anything with rpc())",
    );
  }
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 1000;
  if (!Number.isFinite(ttlMs) || ttlMs < 0)
    throw new ConfigurationError('createVaultApiKeyResolver: ttlMs must be a number of milliseconds ≥ 0');
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new ConfigurationError('createVaultApiKeyResolver: maxEntries must be a whole number ≥ 1');
  const rpc = options.rpc;
  const now = options.now ?? Date.now;
  const functionName = options.functionName ?? 'get_openai_api_key';
  const userIdOf =
    options.userId ?? ((context: TContext) => (context as { userId?: string } | undefined)?.userId);
  const cache = new Map<string, CacheEntry>();
  const pending = new Map<string, PendingLookup>();

  const lookUp = async (userId: string): Promise<string | null> => {
    let response: VaultRpcResponse;
    try {
      response = await rpc.rpc(functionName, { p_user_id: userId === PROJECT ? null : userId });
    } catch (cause) {
      throw new StoreError('store_unavailable', 'The OpenAI key lookup in Vault failed (rpc threw).', {
        cause,
        retryable: true,
      });
    }
    if (response.error) throw lookupError(functionName, response);
    const { data } = response;
    if (data === null || data === undefined) return null;
    if (typeof data !== 'string' || data.trim() === '') {
      throw new StoreError('store_error', `${functionName} answered something other than a key or null.`);
    }
    return data;
  };

  const cachedKey = async (userId: string): Promise<string | null> => {
    const hit = cache.get(userId);
    if (hit && hit.expiresAt > now()) return hit.key;
    if (hit) cache.delete(userId);
    const inFlight = pending.get(userId);
    if (inFlight) return inFlight.lookup;
    // `invalidate` marks an in-flight lookup stale: its (possibly old) answer is returned but never cached.
    const entry: PendingLookup = {
      stale: false,
      lookup: lookUp(userId).finally(() => {
        if (pending.get(userId) === entry) pending.delete(userId);
      }),
    };
    pending.set(userId, entry);
    const key = await entry.lookup;
    if (ttlMs > 0 && !entry.stale) {
      cache.set(userId, { key, expiresAt: now() + ttlMs });
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    }
    return key;
  };

  return {
    getApiKey: async (context) => {
      const userId = userIdOf(context);
      if (userId !== undefined && !UUID.test(userId)) {
        throw new RequestError(
          'invalid_request',
          'The user id must be a UUID to look up an OpenAI key in Vault.',
        );
      }
      const key = await cachedKey(userId?.toLowerCase() ?? PROJECT);
      return key ?? options.fallbackApiKey;
    },
    invalidate: (userId) => {
      const ids = userId === undefined ? [...pending.keys()] : [userId.toLowerCase()];
      for (const id of ids) {
        const inFlight = pending.get(id);
        if (inFlight) inFlight.stale = true;
        pending.delete(id);
      }
      if (userId === undefined) cache.clear();
      else cache.delete(userId.toLowerCase());
    },
  };
}

/** A typed error for a failed lookup, naming the likely fix; never the key, never the response body's data. */
function lookupError(functionName: string, response: VaultRpcResponse): StoreError | ConfigurationError {
  const code = response.error?.code ?? '';
  const status = response.status ?? 0;
  const cause = { code, status, message: response.error?.message };
  if (code === 'PGRST106' || code === 'PGRST202' || code === '42883') {
    return new ConfigurationError(
      `${functionName} was not found: apply @relaykit/supabase-edge's migration 0001_openai_keys.sql and expose schema relaykit (config.toml [api] schemas) to the Data API (${code}).`,
      { cause },
    );
  }
  if (code === '42501' || status === 401 || status === 403 || code.startsWith('PGRST3')) {
    return new ConfigurationError(
      `${functionName} was refused: call it with a service-role client (SUPABASE_SERVICE_ROLE_KEY) (${code || status}).`,
      { cause },
    );
  }
  const unavailable = status === 0 || status >= 500;
  return new StoreError(
    unavailable ? 'store_unavailable' : 'store_error',
    `The OpenAI key lookup in Vault failed (${code || status || 'no response'}).`,
    { cause, retryable: unavailable },
  );
}
