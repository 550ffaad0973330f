import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetStoreContract, rateLimitStoreContract, usageStoreContract } from '../testing';
import { createPGliteStores, migratePGlite, type PGliteUsageStores } from './pglite';

describe('PGlite driver (embedded, migrations bootstrap the Supabase roles themselves)', () => {
  let db: PGlite;
  let stores: PGliteUsageStores;
  beforeAll(async () => {
    db = new PGlite();
    await migratePGlite(db);
    await migratePGlite(db); // idempotent
    stores = createPGliteStores({ db });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('created the roles and auth.uid() the policies need', async () => {
    const roles = await db.query<{ rolname: string }>(
      "select rolname from pg_roles where rolname in ('anon','authenticated','service_role') order by 1",
    );
    expect(roles.rows.map((row) => row.rolname)).toEqual(['anon', 'authenticated', 'service_role']);
    const uid = await db.query<{ uid: string | null }>('select auth.uid() as uid');
    expect(uid.rows[0]!.uid).toBeNull();
  });

  for (const check of rateLimitStoreContract(() => stores.rateLimits)) it(check.name, check.run);
  for (const check of budgetStoreContract(() => stores.budgets)) it(check.name, check.run);
  for (const check of usageStoreContract(() => stores.usage)) it(check.name, check.run);
});

describe('a PGlite database that is gone', () => {
  it('answers store_unavailable, retryable', async () => {
    const db = new PGlite();
    await migratePGlite(db);
    const stores = createPGliteStores({ db });
    await db.close();
    await expect(
      stores.usage.summary('11111111-1111-4111-8111-111111111111', { from: new Date(0), to: new Date() }),
    ).rejects.toMatchObject({ code: 'store_unavailable', retryable: true });
  });
});
