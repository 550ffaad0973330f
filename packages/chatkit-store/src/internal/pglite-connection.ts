import { PGlite } from '@electric-sql/pglite';
import { migrate } from '../migrate';
import type { SqlConnection } from './sql-connection';
import { roleParameters, SET_ROLE_TEXT, type SqlStoreRole, sqlCallText } from './sql-store';

/**
 * The given PGlite instance (left open by `close()`) or a new one (in memory, or at `dataDir`), migrated. Each call is
 * one transaction under the user's role and claims.
 */
export async function openPGlite(options: {
  db?: PGlite;
  dataDir?: string;
  role?: SqlStoreRole;
}): Promise<SqlConnection & { db: PGlite }> {
  const db = options.db ?? (options.dataDir === undefined ? new PGlite() : new PGlite(options.dataDir));
  await migrate(db);
  const role = options.role ?? 'authenticated';
  return {
    db,
    call: (fn, args, context) =>
      db.transaction(async (tx) => {
        await tx.query(SET_ROLE_TEXT, roleParameters(role, context.userId));
        const { text, params } = sqlCallText(fn, args);
        return (await tx.query<{ result: unknown }>(text, params)).rows[0]?.result ?? null;
      }),
    close: async () => {
      if (options.db === undefined) await db.close();
    },
  };
}
