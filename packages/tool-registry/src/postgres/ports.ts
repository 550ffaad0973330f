/** Rows and column metadata of one statement. */
export interface SqlRows {
  rows: Record<string, unknown>[];
  /** Result columns in order, with their type OIDs. */
  columns: Array<{ name: string; typeOid: number }>;
}

/** A transaction the database tools run statements in. */
export interface SqlTransaction {
  /** Runs one statement with `$1`-style parameters. */
  query(text: string, params?: readonly unknown[]): Promise<SqlRows>;
}

/**
 * The database connection the Postgres tool pack runs on: a narrow port with one driver per client
 * (`postgresJsConnection` for postgres.js, `pgliteConnection` for PGlite).
 */
export interface SqlConnection {
  /** The driver's name, for messages. */
  readonly kind: string;
  /**
   * Whether a statement can be stopped at its deadline: Postgres enforces `statement_timeout`; `pgliteWorkerConnection`
   * ends its worker. A PGlite on the app's own thread (`pgliteConnection`) cannot be stopped, so the pack also refuses
   * `pg_sleep` there, and a slow query blocks that thread (and every other use of that database) until it ends.
   */
  readonly enforcesStatementTimeout: boolean;
  /**
   * How long opening the database may take before a transaction can start, when the driver opens it on demand
   * (`pgliteWorkerConnection` starts a worker on first use and after a runaway statement). The pack adds it to its
   * tool deadlines, so opening never counts against a statement's time. Unset: 0.
   */
  readonly openTimeoutMs?: number;
  /**
   * Runs `fn` in one transaction (`READ ONLY` when asked), committing when it resolves and rolling back when it
   * rejects. When `signal` aborts, the driver cancels the running statement if it can. `timeoutMs` is the longest the
   * transaction may run: a driver whose engine enforces `statement_timeout` may leave it to the server (the caller
   * sets it); a driver that can stop a runaway statement some other way (`pgliteWorkerConnection` ends its worker)
   * enforces it itself and fails the call with `timeout`.
   */
  transaction<T>(
    options: { readOnly: boolean; signal?: AbortSignal; timeoutMs?: number },
    fn: (tx: SqlTransaction) => Promise<T>,
  ): Promise<T>;
}
