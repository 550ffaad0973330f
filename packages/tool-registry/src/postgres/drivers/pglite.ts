import type { SqlConnection } from '../ports';

/** The part of a PGlite instance the driver uses (so this package needs no PGlite types). */
export interface PGliteLike {
  transaction<T>(
    fn: (tx: {
      query(
        text: string,
        params?: unknown[],
      ): Promise<{ rows: unknown[]; fields: Array<{ name: string; dataTypeID: number }> }>;
      exec(text: string): Promise<unknown>;
    }) => Promise<T>,
  ): Promise<T>;
}

/**
 * Adapts a PGlite instance on the app's own thread to {@link SqlConnection}. PGlite enforces neither
 * `statement_timeout` nor cancellation, so the pack refuses `pg_sleep` on it, but a runaway query (an endless recursive
 * CTE, a huge `generate_series`) still runs to its end and blocks the thread, and every other user of that database,
 * meanwhile. For SQL a model writes, use `pgliteWorkerConnection`: its own PGlite in a worker thread, stopped at
 * the deadline.
 */
export function pgliteConnection(db: PGliteLike): SqlConnection {
  return {
    kind: 'pglite',
    enforcesStatementTimeout: false,
    transaction(options, fn) {
      return db.transaction(async (tx) => {
        if (options.readOnly) await tx.exec('set transaction read only');
        return fn({
          async query(text, params = []) {
            const result = await tx.query(text, [...params]);
            return {
              rows: result.rows as Record<string, unknown>[],
              columns: result.fields.map((field) => ({ name: field.name, typeOid: field.dataTypeID })),
            };
          },
        });
      });
    },
  };
}
