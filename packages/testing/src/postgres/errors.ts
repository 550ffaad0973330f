/**
 * Errors of the Postgres harness.
 *
 * `@relaykit/testing` cannot import `RelayKitError` from `@relaykit/sse-protocol` (that package tests itself with
 * this one, so the import would be a dependency cycle). These classes carry the same stable `code` values
 * RelayKit uses so that assertions and logs read the same way.
 */

/** A test service (Postgres) is required but cannot be reached. `code` is `store_unavailable`. */
export class TestServiceUnavailableError extends Error {
  readonly code = 'store_unavailable' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TestServiceUnavailableError';
  }
}
