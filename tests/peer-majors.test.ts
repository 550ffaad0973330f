/**
 * The peer ranges accept two majors of the database clients (`postgres` ^3.4 || ^4, `@electric-sql/pglite`
 * ^0.5 || ^0.6). The packages develop against the older ones; this runs the drivers' contract suites against the newer
 * ones, installed beside them as npm aliases (`postgres-4`, `pglite-0.6` in the root devDependencies): the store and
 * usage drivers take the client instance, so the same driver code runs on either major.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from 'pglite-0.6';
import postgres from 'postgres-4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPGliteStore } from '../packages/chatkit-store/src/drivers/pglite';
import { createPostgresStore } from '../packages/chatkit-store/src/drivers/postgres';
import { migrate } from '../packages/chatkit-store/src/migrate';
import { chatKitStoreContract } from '../packages/chatkit-store/src/testing/index';
import {
  createTestDatabase,
  postgresAvailability,
  type TestDatabase,
} from '../packages/testing/src/postgres';
import { createPGliteStores, migratePGlite } from '../packages/usage-tracker/src/drivers/pglite';
import { createPostgresStores, migratePostgres } from '../packages/usage-tracker/src/drivers/postgres';
import {
  budgetStoreContract,
  rateLimitStoreContract,
  usageStoreContract,
} from '../packages/usage-tracker/src/testing';
import { repoRoot } from './workspace';

const pg = await postgresAvailability();

/**
 * The drivers are typed against postgres 3 and PGlite 0.5; the newer majors are call-compatible for everything the
 * drivers use (which is what the suites below prove), so their clients are passed through this typed cast.
 */
const sameApi = <T>(client: unknown): T => client as T;
const installed = (name: string) =>
  (
    JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

it('runs the newer majors (the aliases really are postgres 4 and PGlite 0.6)', () => {
  expect(installed('postgres-4')).toMatch(/^4\./);
  expect(installed('pglite-0.6')).toMatch(/^0\.6\./);
});

describe.skipIf(!pg.available)('postgres.js 4', () => {
  let db: TestDatabase;
  let sql: ReturnType<typeof postgres>;
  beforeAll(async () => {
    db = await createTestDatabase();
    sql = postgres(db.url, { max: 4, onnotice: () => {} });
    await migrate(sameApi(sql));
    await migratePostgres(sameApi(sql));
  });
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await db?.close();
  });
  chatKitStoreContract('chatkit-store postgres driver on postgres.js 4', async (options) => ({
    store: createPostgresStore({ ...options, sql: sameApi(sql) }),
    context: (userId: string) => ({ userId }),
  }));

  describe('usage-tracker postgres stores on postgres.js 4', () => {
    const stores = () => createPostgresStores({ sql: sameApi(sql) });
    for (const check of rateLimitStoreContract(() => stores().rateLimits)) it(check.name, check.run);
    for (const check of budgetStoreContract(() => stores().budgets)) it(check.name, check.run);
    for (const check of usageStoreContract(() => stores().usage)) it(check.name, check.run);
  });
});

describe('PGlite 0.6', () => {
  // One instance (≈2 s to open, ≈1 GB) serves both packages' suites.
  const db = new PGlite();
  afterAll(async () => {
    await db.close();
  });

  chatKitStoreContract('chatkit-store pglite driver on PGlite 0.6', async (options) => ({
    store: await createPGliteStore({ ...options, db: sameApi(db) }),
    context: (userId: string) => ({ userId }),
  }));

  describe('usage-tracker pglite stores on PGlite 0.6', () => {
    let stores: ReturnType<typeof createPGliteStores>;
    beforeAll(async () => {
      await migratePGlite(sameApi(db));
      stores = createPGliteStores({ db: sameApi(db) });
    });
    for (const check of rateLimitStoreContract(() => stores.rateLimits)) it(check.name, check.run);
    for (const check of budgetStoreContract(() => stores.budgets)) it(check.name, check.run);
    for (const check of usageStoreContract(() => stores.usage)) it(check.name, check.run);
  });
});
