import type { Sql, TransactionSql } from 'postgres';
import type { SqlConnection, SqlRows } from '../ports';

/** Adapts a postgres.js client to {@link SqlConnection}; an aborted signal cancels the running statement. */
export function postgresJsConnection(sql: Sql): SqlConnection {
  return {
    kind: 'postgres.js',
    enforcesStatementTimeout: true,
    async transaction(options, fn) {
      const pending = new Set<{ cancel(): unknown }>();
      const onAbort = () => {
        for (const query of pending) query.cancel();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const run = async (tx: TransactionSql) =>
          fn({
            async query(text, params = []): Promise<SqlRows> {
              const query = tx.unsafe(text, params as never[]);
              pending.add(query);
              try {
                const result = await query;
                return {
                  rows: [...result] as Record<string, unknown>[],
                  columns: (result.columns ?? []).map((column) => ({
                    name: column.name,
                    typeOid: column.type,
                  })),
                };
              } finally {
                pending.delete(query);
              }
            },
          });
        return (await (options.readOnly ? sql.begin('read only', run) : sql.begin(run))) as Awaited<
          ReturnType<typeof fn>
        >;
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
