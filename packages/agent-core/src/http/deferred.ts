import { ConfigurationError, isRelayKitError, RelayKitError } from '@relaykit/sse-protocol';
import type { RequestAuthenticator } from './auth';
import { errorResponse } from './errors';
import { type AdapterAuth, resolveAuthenticator } from './guard';
import { requestIdOf } from './request-id';

/**
 * Options of {@link createDeferredAuthenticator}.
 */
export interface DeferredAuthenticatorOptions {
  /** Reads the auth settings (for example from the environment); `undefined` when they are missing. */
  resolve: () => AdapterAuth | undefined;
  /**
   * The message of the `configuration` error a request gets while the settings are missing. It reaches the client:
   * name the settings to set, never their values.
   */
  missing: string;
  /** Called with each `configuration` error before it is thrown (once per failing request): log it here. */
  onConfigurationError?: (error: RelayKitError) => void;
}

/**
 * An authenticator whose settings are read at the first request instead of when the module loads, so building or
 * importing an app without secrets (`next build`, a function's cold start) never fails. While the settings are
 * missing or invalid, every request fails with a typed `configuration` error (HTTP 500 through `errorResponse`,
 * with the client-safe `missing` message), reported to `onConfigurationError`; the settings are read again on the
 * next request. Once they resolve, the authenticator is built once and reused.
 */
export function createDeferredAuthenticator(options: DeferredAuthenticatorOptions): RequestAuthenticator {
  let authenticate: RequestAuthenticator | undefined;
  return async (request) => {
    if (authenticate === undefined) {
      try {
        const auth = options.resolve();
        if (auth === undefined) throw new ConfigurationError(options.missing);
        authenticate = resolveAuthenticator(auth, 'createDeferredAuthenticator');
      } catch (error) {
        const configuration = isRelayKitError(error)
          ? error
          : new ConfigurationError(options.missing, { cause: error });
        options.onConfigurationError?.(configuration);
        throw configuration;
      }
    }
    return authenticate(request);
  };
}

/** Options of {@link createDeferredHandler}. */
export interface DeferredHandlerOptions {
  /** Called with each error of `build` (once per failing request) before it is answered: log it here. */
  onBuildError?: (error: unknown) => void;
}

/**
 * A request handler built at its first request: `build` reads the configuration and creates the server (stores,
 * model access, the adapter's handler), so loading the module never throws. While `build` fails, each request answers
 * the error through `errorResponse`: a RelayKit error with its own status and client-safe message (a
 * `ConfigurationError` is 500 `configuration`), anything else as 500 `configuration` "The service failed to start."
 * (its message may hold secrets, so only `onBuildError` sees it). A failed build is retried by the next request; a
 * successful one is reused.
 */
export function createDeferredHandler(
  build: () => ((request: Request) => Promise<Response>) | Promise<(request: Request) => Promise<Response>>,
  options: DeferredHandlerOptions = {},
): (request: Request) => Promise<Response> {
  let built: Promise<(request: Request) => Promise<Response>> | undefined;
  return async (request) => {
    built ??= Promise.resolve().then(build);
    const attempt = built;
    let handler: (request: Request) => Promise<Response>;
    try {
      handler = await attempt;
    } catch (error) {
      if (built === attempt) built = undefined;
      options.onBuildError?.(error);
      return errorResponse(
        isRelayKitError(error) ? error : new RelayKitError('configuration', 'The service failed to start.'),
        { requestId: requestIdOf(request) },
      );
    }
    return handler(request);
  };
}
