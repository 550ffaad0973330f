import { migrate } from '@relaykit/chatkit-store';
import { createPostgresStore } from '@relaykit/chatkit-store/postgres';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { describe } from 'vitest';
import { chatKitServerConformance } from './conformance.suite';

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('on real Postgres (RLS, authenticated role)', () => {
  let db: TestDatabase;
  chatKitServerConformance('postgres store', async () => {
    db = await createTestDatabase();
    await migrate(db.sql);
    return { store: createPostgresStore({ sql: db.sql }) as never, close: () => db.close() };
  });
});
