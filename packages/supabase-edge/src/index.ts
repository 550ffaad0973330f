/**
 * `@relaykit/supabase-edge`: Supabase Edge Function (Deno) handlers for RelayKit. The handler is a plain
 * `(request: Request) => Promise<Response>` for `Deno.serve`; auth, body limits, rate limits and the
 * error → status mapping come from the shared glue in `@relaykit/agent-core`, CORS and the runtime hooks from here.
 */
export type {
  AdapterAuth,
  AdapterContext,
  AuthenticatedUser,
  CorsOptions,
  RelayKitConfig,
  WaitUntil,
} from '@relaykit/agent-core/http';
export {
  isRelayKitError,
  RelayKitError,
  type RelayKitErrorCode,
  type RelayKitErrorJSON,
} from '@relaykit/sse-protocol';
export {
  createEnvironmentAuthenticator,
  type EdgeConfig,
  type EdgeEnvironment,
  type EnvironmentAuthenticatorOptions,
  MISSING_EDGE_AUTH_MESSAGE,
  type OpenAIKeySource,
  readEdgeConfig,
} from './config';
export {
  createEdgeHandler,
  type EdgeAuth,
  type EdgeHandlerOptions,
  runtimeWaitUntil,
} from './edge-handler';
export {
  createVaultApiKeyResolver,
  type VaultApiKeyResolver,
  type VaultApiKeyResolverOptions,
  type VaultRpcClient,
  type VaultRpcError,
  type VaultRpcResponse,
} from './vault';
