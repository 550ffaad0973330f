/**
 * Tells the answer of the latest request from stale ones: `begin()` before each request returns its ticket, and only
 * the ticket of the most recent `begin()` is current. Opening thread A then B quickly must show B's items, even when
 * A's answer arrives last.
 */
export interface LatestRequest {
  /** Starts a request; every earlier ticket becomes stale. */
  begin(): number;
  /** Whether `ticket` belongs to the most recent request. */
  isCurrent(ticket: number): boolean;
}

/** A new {@link LatestRequest} (keep one per kind of request, e.g. in a React ref). */
export function createLatestRequest(): LatestRequest {
  let latest = 0;
  return {
    begin: () => ++latest,
    isCurrent: (ticket) => ticket === latest,
  };
}
