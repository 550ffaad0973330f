import { ConfigurationError, RelayKitError } from '@relaykit/sse-protocol';

/**
 * The end-to-end environment lacks something the suite needs (Chromium, a Postgres server) on a machine where
 * skipping is forbidden (`CI` or `RELAYKIT_REQUIRE_SERVICES=1`). `code` is `configuration`.
 */
export class E2EEnvironmentError extends ConfigurationError {
  override name = 'E2EEnvironmentError';
}

/**
 * The app under test could not be built, did not become healthy, or exited early. `code` is `timeout` when it
 * never answered `/api/health` in time, `internal` otherwise. The message carries the server's last log lines.
 */
export class WebServerError extends RelayKitError {
  override name = 'WebServerError';
  declare readonly code: 'internal' | 'timeout';
  constructor(code: 'internal' | 'timeout', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
