/** The "SQL tools run as the caller" contract on the PGlite driver the apps use (a worker) and on real Postgres. */

import { setTracingDisabled } from '@openai/agents';
import { createTestDatabase, postgresAvailability } from '@relaykit/testing/postgres';
import { beforeAll } from 'vitest';
import { pgliteWorkerConnection, postgresJsConnection } from '../src/postgres';
import { CALLER_SETUP_SQL, describeCallerContract } from './caller-contract';

beforeAll(() => {
  setTracingDisabled(true);
});

// A bare PGlite: the contract's setup installs the Supabase roles and auth.uid() itself.
describeCallerContract('PGlite (worker)', async () => {
  const connection = pgliteWorkerConnection({
    database: { pgliteModule: import.meta.resolve('@electric-sql/pglite'), setupSql: CALLER_SETUP_SQL },
  });
  return { connection, close: () => connection.close() };
});

const pg = await postgresAvailability();

if (pg.available)
  describeCallerContract('Postgres', async () => {
    const db = await createTestDatabase();
    await db.sql.unsafe(CALLER_SETUP_SQL);
    return { connection: postgresJsConnection(db.sql), close: () => db.close() };
  });
