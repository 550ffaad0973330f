import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pg = await postgresAvailability(); // prints why it skips; throws in CI (RELAYKIT_REQUIRE_SERVICES=1)

describe.skipIf(!pg.available)('my RLS policy', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(); // a fresh database with Supabase's roles and auth.uid()
    await db.sql`create table notes (owner uuid default auth.uid(), body text)`;
    await db.sql`alter table notes enable row level security`;
    await db.sql`create policy own on notes to authenticated using (owner = auth.uid()) with check (owner = auth.uid())`;
  });
  afterAll(() => db.close()); // drops the database

  it('hides other users’ rows', async () => {
    await db.asUser(crypto.randomUUID(), (tx) => tx`insert into notes (body) values ('secret')`);
    expect(await db.asUser(crypto.randomUUID(), (tx) => tx`select * from notes`)).toHaveLength(0);
  });
});
