/** One entry of `/api/usage`'s `recentErrors`. */
export interface RecentErrorEntry {
  /** When it failed (ISO 8601). */
  at: string;
  code: string;
  message: string;
  model?: string;
  /** The failed request's id (the `x-request-id` its answer carried); `null` or absent when unknown. */
  requestId?: string | null;
}

/**
 * The usage page's recent errors: when, code, model and message, and under the message the failed request's id
 * ("Request req_…", monospace, selected whole with one click) so a user can quote it or find the answer it got.
 */
export function RecentErrors({ errors }: { errors: readonly RecentErrorEntry[] }) {
  if (errors.length === 0) return <p>No failed calls.</p>;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls; keyboard users must reach it
    <div className="table-scroll" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Code</th>
            <th scope="col">Model</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((entry, index) => (
            <tr key={entry.requestId ? `${entry.requestId}-${index}` : `${entry.at}-${index}`}>
              <td>{new Date(entry.at).toLocaleString()}</td>
              <td>{entry.code}</td>
              <td>{entry.model ?? '—'}</td>
              <td>
                {entry.message}
                {entry.requestId ? (
                  <small className="request-id" data-testid="recent-error-request-id">
                    Request{' '}
                    <code title="The request id: quote it when you report this error">{entry.requestId}</code>
                  </small>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
