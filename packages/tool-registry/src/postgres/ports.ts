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
   * Whether the engine enforces `statement_timeout`. PGlite does not (it runs in one WebAssembly thread), so the
   * pack also refuses `pg_sleep` there; a slow query still blocks an embedded database until it ends.
   */
  readonly enforcesStatementTimeout: boolean;
  /**
   * Runs `fn` in one transaction (`READ ONLY` when asked), committing when it resolves and rolling back when it
   * rejects. When `signal` aborts, the driver cancels the running statement if it can.
   */
  transaction<T>(
    options: { readOnly: boolean; signal?: AbortSignal },
    fn: (tx: SqlTransaction) => Promise<T>,
  ): Promise<T>;
}
