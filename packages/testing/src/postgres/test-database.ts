import type { Sql, TransactionSql } from 'postgres';
import { type TestServiceEnvironment, testDatabaseUrl } from './availability';
import {
  claimsFor,
  SET_LOCAL_ROLE_AND_CLAIMS_SQL,
  SUPABASE_PLATFORM_SQL,
  type SupabaseRole,
} from './platform-sql';
import { SUPABASE_VAULT_STAND_IN_SQL } from './vault-sql';

/** Options of `asUser`: extra JWT claims merged into `request.jwt.claims` (`sub` and `role` always win). */
export interface AsUserOptions {
  claims?: Record<string, unknown>;
}

/** Options of {@link createTestDatabase}. */
export interface CreateTestDatabaseOptions {
  /** Server to create the database on; defaults to `env.RELAYKIT_TEST_DATABASE_URL`, then the local default. */
  url?: string;
  /** Where to read `RELAYKIT_TEST_DATABASE_URL`; defaults to the process environment. */
  env?: TestServiceEnvironment;
  /** Prefix of the database name. Default `relaykit_t_`. */
  namePrefix?: string;
  /** Pool size of `sql`. Default 4. */
  max?: number;
}

/** A fresh, isolated database with Supabase's platform installed, on a real Postgres server. */
export interface TestDatabase {
  readonly kind: 'postgres';
  /** Name of the isolated database (dropped by `close()`). */
  readonly name: string;
  /** Connection string of the isolated database. */
  readonly url: string;
  /** postgres.js client connected as the server's superuser, like Supabase migrations. */
  readonly sql: Sql;
  /** Runs `fn` in one transaction as role `authenticated` with claims `{ sub: userId, role: 'authenticated' }`. */
  asUser<T>(userId: string, fn: (tx: TransactionSql) => Promise<T>, options?: AsUserOptions): Promise<T>;
  /** Runs `fn` in one transaction as role `anon` with claims `{ role: 'anon' }`. */
  asAnon<T>(fn: (tx: TransactionSql) => Promise<T>): Promise<T>;
  /** Runs `fn` in one transaction as role `service_role` (bypasses RLS) with claims `{ role: 'service_role' }`. */
  asService<T>(fn: (tx: TransactionSql) => Promise<T>): Promise<T>;
  /** Closes the pool and drops the database (`with (force)`). Safe to call twice. */
  close(): Promise<void>;
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function randomSuffix(): string {
  return crypto.randomUUID().replaceAll('-', '').slice(0, 16);
}

/**
 * Creates one fresh database on the test server (`relaykit_t_<random>`), installs {@link SUPABASE_PLATFORM_SQL}
 * and a stand-in for Supabase Vault (schema `vault`: `vault.secrets`, `vault.create_secret`, `vault.update_secret`,
 * `vault.decrypted_secrets`, encrypted with pgcrypto; see `vault-sql.ts`) and returns a {@link TestDatabase}. Call it once per test file (`beforeAll`) and `close()` it in `afterAll`.
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = options.url ?? testDatabaseUrl(options.env);
  const name = `${options.namePrefix ?? 'relaykit_t_'}${randomSuffix()}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new TypeError(
      `createTestDatabase: invalid database name ${JSON.stringify(name)} (lowercase letters, digits, _)`,
    );
  }
  const { default: postgres } = await import('postgres');
  const admin = () => postgres(serverUrl, { max: 1, onnotice: () => {} });

  const creator = admin();
  try {
    await creator.unsafe(`create database "${name}"`);
  } finally {
    await creator.end({ timeout: 5 });
  }

  const url = databaseUrl(serverUrl, name);
  const sql = postgres(url, { max: options.max ?? 4, onnotice: () => {} });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await sql.end({ timeout: 5 });
    const dropper = admin();
    try {
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await dropper.end({ timeout: 5 });
    }
  };

  try {
    await sql.unsafe(SUPABASE_PLATFORM_SQL);
    await sql.unsafe(SUPABASE_VAULT_STAND_IN_SQL);
  } catch (error) {
    await close();
    throw error;
  }

  const as = async <T>(
    role: SupabaseRole,
    claims: Record<string, unknown>,
    fn: (tx: TransactionSql) => Promise<T>,
  ) =>
    (await sql.begin(async (tx) => {
      await tx.unsafe(SET_LOCAL_ROLE_AND_CLAIMS_SQL, [role, JSON.stringify(claims)]);
      return fn(tx);
    })) as T;

  return {
    kind: 'postgres',
    name,
    url,
    sql,
    asUser: (userId, fn, asOptions) =>
      as('authenticated', claimsFor('authenticated', userId, asOptions?.claims), fn),
    asAnon: (fn) => as('anon', claimsFor('anon'), fn),
    asService: (fn) => as('service_role', claimsFor('service_role'), fn),
    close,
  };
}
