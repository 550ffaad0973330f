/** The Vault stand-in of `createTestDatabase()`: Supabase Vault's API surface and privileges, on real Postgres. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailability } from './availability';
import { createTestDatabase, type TestDatabase } from './test-database';
import { SUPABASE_VAULT_STAND_IN_SQL } from './vault-sql';

const pg = await postgresAvailability();
const USER = '33333333-3333-4333-8333-333333333333';
const SECRET = 'sk-vault-stand-in-0123456789abcdef';

/** The `id` column of the first row (what `select vault.create_secret(...) as id` returns). */
const idOf = (rows: readonly Record<string, unknown>[]) => String(rows[0]?.id);

describe.skipIf(!pg.available)('Vault stand-in (createTestDatabase)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('create_secret stores ciphertext; decrypted_secrets gives it back with name and description', async () => {
    const id = idOf(
      await db.sql`select vault.create_secret(${SECRET}, 'stand_in_one', 'a test secret') as id`,
    );
    const [row] =
      await db.sql`select name, description, secret, decrypted_secret, key_id from vault.decrypted_secrets where id = ${id}`;
    expect(row).toMatchObject({
      name: 'stand_in_one',
      description: 'a test secret',
      decrypted_secret: SECRET,
    });
    expect(row?.secret).not.toContain(SECRET);
    expect(row?.secret).not.toContain('vault-stand-in');
    expect(Buffer.from(String(row?.secret), 'base64').length).toBeGreaterThan(SECRET.length);
  });

  it('defaults: no name, empty description', async () => {
    const id = idOf(await db.sql`select vault.create_secret('only-a-secret') as id`);
    const [row] =
      await db.sql`select name, description, decrypted_secret from vault.decrypted_secrets where id = ${id}`;
    expect(row).toEqual({ name: null, description: '', decrypted_secret: 'only-a-secret' });
  });

  it('update_secret changes only what it is given and bumps updated_at', async () => {
    const id = idOf(await db.sql`select vault.create_secret('v1', 'stand_in_update', 'first') as id`);
    const [before] = await db.sql`select secret, updated_at from vault.secrets where id = ${id}`;
    await db.sql`select vault.update_secret(${id}, 'v2')`;
    const [after] =
      await db.sql`select name, description, secret, decrypted_secret, updated_at from vault.decrypted_secrets where id = ${id}`;
    expect(after).toMatchObject({ name: 'stand_in_update', description: 'first', decrypted_secret: 'v2' });
    expect(after?.secret).not.toBe(before?.secret);
    expect(after?.updated_at).toBeInstanceOf(Date);
    expect(Number(after?.updated_at)).toBeGreaterThanOrEqual(Number(before?.updated_at));
    await db.sql`select vault.update_secret(${id}, new_name => 'stand_in_renamed', new_description => 'second')`;
    const [renamed] =
      await db.sql`select name, description, decrypted_secret from vault.decrypted_secrets where id = ${id}`;
    expect(renamed).toEqual({ name: 'stand_in_renamed', description: 'second', decrypted_secret: 'v2' });
  });

  it('names are unique; a null secret is refused', async () => {
    await db.sql`select vault.create_secret('a', 'stand_in_unique')`;
    await expect(db.sql`select vault.create_secret('b', 'stand_in_unique')`).rejects.toMatchObject({
      code: '23505',
    });
    await expect(db.sql`select vault.create_secret(null)`).rejects.toMatchObject({ code: '22004' });
  });

  it('a ciphertext copied onto another row does not decrypt there', async () => {
    const one = idOf(await db.sql`select vault.create_secret('bound-to-one') as id`);
    const two = idOf(await db.sql`select vault.create_secret('bound-to-two') as id`);
    await db.sql`update vault.secrets set secret = (select secret from vault.secrets where id = ${one}) where id = ${two}`;
    const [row] = await db.sql`select decrypted_secret from vault.decrypted_secrets where id = ${two}`;
    expect(row).toEqual({ decrypted_secret: null });
  });

  it('service_role may read, create, update and delete', async () => {
    await db.asService(async (tx) => {
      const id = idOf(await tx`select vault.create_secret('from-service', 'stand_in_service') as id`);
      await tx`select vault.update_secret(${id}, 'from-service-2')`;
      const [row] = await tx`select decrypted_secret from vault.decrypted_secrets where id = ${id}`;
      expect(row).toEqual({ decrypted_secret: 'from-service-2' });
      await tx`delete from vault.secrets where id = ${id}`;
    });
  });

  it('service_role cannot read the server key', async () => {
    await expect(db.asService((tx) => tx`select key from vault._stand_in_server_key`)).rejects.toMatchObject({
      code: '42501',
    });
  });

  it.each([
    ['anon', (query: (tx: never) => Promise<unknown>) => db.asAnon(query as never)],
    ['authenticated', (query: (tx: never) => Promise<unknown>) => db.asUser(USER, query as never)],
  ] as const)('%s gets permission denied on the schema, the view and the functions', async (_role, as) => {
    for (const statement of [
      'select decrypted_secret from vault.decrypted_secrets',
      'select secret from vault.secrets',
      "select vault.create_secret('x')",
      "select vault.update_secret(gen_random_uuid(), 'x')",
    ]) {
      await expect(
        as((tx: { unsafe: (text: string) => Promise<unknown> }) => tx.unsafe(statement)),
        statement,
      ).rejects.toMatchObject({ code: '42501' });
    }
  });

  it('is idempotent: installing again keeps the key, so existing secrets still decrypt', async () => {
    const id = idOf(await db.sql`select vault.create_secret('survives-reinstall') as id`);
    await db.sql.unsafe(SUPABASE_VAULT_STAND_IN_SQL);
    const [row] = await db.sql`select decrypted_secret from vault.decrypted_secrets where id = ${id}`;
    expect(row).toEqual({ decrypted_secret: 'survives-reinstall' });
  });
});
