/**
 * Contract of `sql/0001_openai_keys.sql` on real Postgres (the harness's Supabase roles and Vault stand-in):
 * who may read and write OpenAI keys, and that keys only ever exist encrypted.
 */
import { readFileSync } from 'node:fs';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MIGRATION = readFileSync(new URL('../sql/0001_openai_keys.sql', import.meta.url), 'utf8');
const ADA = '00000000-0000-4000-8000-0000000000a1';
const BEN = '00000000-0000-4000-8000-0000000000b2';
const CY = '00000000-0000-4000-8000-0000000000c3';
const PROJECT_KEY = 'sk-project-0123456789abcdefghijklmnop';
const ADA_KEY = 'sk-proj-ada_0123456789-abcdefghijklmnop';
const BEN_KEY = 'sk-proj-ben_0123456789-abcdefghijklmnop';

type Tx = Parameters<Parameters<TestDatabase['asService']>[0]>[0];
const pg = await postgresAvailability();

describe.skipIf(!pg.available)('sql/0001_openai_keys.sql', () => {
  let db: TestDatabase;
  const getAsService = (userId: string | null) =>
    db.asService(async (tx) => {
      const [row] = await tx`select relaykit.get_openai_api_key(${userId}::uuid) as key`;
      return row?.key as string | null;
    });
  const setAs = (userId: string, key: string | null) =>
    db.asUser(userId, (tx) => tx`select relaykit.set_my_openai_api_key(${key})`);
  const hasAs = (userId: string) =>
    db.asUser(userId, async (tx) => (await tx`select relaykit.has_my_openai_api_key() as has`)[0]?.has);

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.unsafe(MIGRATION);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('applies twice (idempotent)', async () => {
    await db.sql.unsafe(MIGRATION);
  });

  it('every function is security definer with an empty search_path', async () => {
    const rows = await db.sql`
      select p.proname as name, p.prosecdef as definer, p.proconfig as config
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'relaykit' and p.proname like '%openai_api_key%' order by 1`;
    expect(rows.map((row) => row.name)).toEqual([
      'delete_my_openai_api_key',
      'delete_openai_api_key_of_deleted_user',
      'get_openai_api_key',
      'has_my_openai_api_key',
      'set_my_openai_api_key',
    ]);
    for (const row of rows) {
      expect(row.definer, String(row.name)).toBe(true);
      expect(row.config, String(row.name)).toEqual(['search_path=""']);
    }
  });

  it('without any key stored, the service role gets null', async () => {
    expect(await getAsService(null)).toBeNull();
    expect(await getAsService(ADA)).toBeNull();
  });

  it('the service role reads the project key (Vault secret openai_api_key) for anyone without their own', async () => {
    await db.sql`select vault.create_secret(${PROJECT_KEY}, 'openai_api_key', 'project key')`;
    expect(await getAsService(null)).toBe(PROJECT_KEY);
    expect(await getAsService(CY)).toBe(PROJECT_KEY);
  });

  it.each([
    ['anon', (fn: (tx: Tx) => Promise<unknown>) => db.asAnon(fn)],
    ['authenticated', (fn: (tx: Tx) => Promise<unknown>) => db.asUser(ADA, fn)],
  ] as const)('%s gets permission denied from get_openai_api_key (for anyone)', async (_role, as) => {
    for (const target of [null, ADA, BEN]) {
      await expect(as((tx) => tx`select relaykit.get_openai_api_key(${target}::uuid)`)).rejects.toMatchObject(
        { code: '42501' },
      );
    }
  });

  it('a user stores a key; the service role reads it back for that user only', async () => {
    expect(await hasAs(ADA)).toBe(false);
    await setAs(ADA, ADA_KEY);
    expect(await hasAs(ADA)).toBe(true);
    expect(await getAsService(ADA)).toBe(ADA_KEY);
    expect(await getAsService(BEN)).toBe(PROJECT_KEY);
    expect(await getAsService(null)).toBe(PROJECT_KEY);
  });

  it('setting again replaces the key in the same Vault secret', async () => {
    await setAs(BEN, BEN_KEY);
    await setAs(BEN, `${BEN_KEY}-v2`);
    expect(await getAsService(BEN)).toBe(`${BEN_KEY}-v2`);
    const rows = await db.sql`select name from vault.secrets where name = ${`openai_api_key:user:${BEN}`}`;
    expect(rows).toHaveLength(1);
  });

  it('user A cannot read or overwrite user B’s key', async () => {
    await setAs(ADA, ADA_KEY);
    await setAs(BEN, BEN_KEY);
    // Writing only ever targets the caller's own secret.
    await setAs(ADA, 'sk-ada-tries-to-overwrite-0123456789');
    expect(await getAsService(BEN)).toBe(BEN_KEY);
    expect(await getAsService(ADA)).toBe('sk-ada-tries-to-overwrite-0123456789');
    // A has no way to read B's key: not through the getter, not through Vault.
    await expect(
      db.asUser(ADA, (tx) => tx`select relaykit.get_openai_api_key(${BEN}::uuid)`),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      db.asUser(ADA, (tx) => tx`select decrypted_secret from vault.decrypted_secrets`),
    ).rejects.toMatchObject({ code: '42501' });
    // And a user cannot spoof another user's vault entry by name through vault.create_secret either.
    await expect(
      db.asUser(ADA, (tx) => tx`select vault.create_secret('sk-x', ${`openai_api_key:user:${BEN}`})`),
    ).rejects.toMatchObject({ code: '42501' });
    await setAs(ADA, ADA_KEY);
  });

  it.each([
    ['no sk- prefix', 'pk-0123456789abcdefghijklmnop'],
    ['too short', 'sk-short'],
    ['too long', `sk-${'a'.repeat(500)}`],
    ['whitespace', 'sk-0123456789 abcdefghijklmnop'],
    ['a newline', 'sk-0123456789abcdefghijklmnop\n'],
    ['null', null],
  ])('refuses a key with %s (22023), naming the rule but never the key', async (_case, key) => {
    const error = await setAs(CY, key).then(
      () => undefined,
      (caught: unknown) => caught as { code?: string; message?: string },
    );
    expect(error?.code).toBe('22023');
    expect(error?.message).toMatch(
      /set_my_openai_api_key: (not an OpenAI API key|an OpenAI API key is 20 to 400)/,
    );
    if (key !== null) expect(error?.message).not.toContain(key.trim());
    expect(await hasAs(CY)).toBe(false);
  });

  it('anon and the service role cannot set a key; anon cannot ask whether one exists', async () => {
    await expect(
      db.asAnon((tx) => tx`select relaykit.set_my_openai_api_key(${ADA_KEY})`),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(db.asAnon((tx) => tx`select relaykit.has_my_openai_api_key()`)).rejects.toMatchObject({
      code: '42501',
    });
    await expect(
      db.asService((tx) => tx`select relaykit.set_my_openai_api_key(${ADA_KEY})`),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('an authenticated token without a user id is refused', async () => {
    await expect(
      db.sql.begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{"role":"authenticated"}', true)`;
        await tx`select relaykit.set_my_openai_api_key(${ADA_KEY})`;
      }),
    ).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('sign in first') });
  });

  it('vault.secrets holds ciphertext only', async () => {
    const rows = await db.sql`select name, secret from vault.secrets`;
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      for (const key of [PROJECT_KEY, ADA_KEY, BEN_KEY]) expect(String(row.secret)).not.toContain(key);
      expect(String(row.secret)).not.toMatch(/sk-/);
    }
  });

  it('no table or view anon or authenticated may read contains a key', async () => {
    const relations = await db.sql`
      select format('%I.%I', n.nspname, c.relname) as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'v', 'm', 'p')
        and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('authenticated', c.oid, 'select'))`;
    for (const { name } of relations) {
      const [row] = await db.sql.unsafe(
        `select count(*)::int as n from ${name} t where t::text like '%sk-%'`,
      );
      expect(row?.n, String(name)).toBe(0);
    }
    const vaultReadable = await db.sql`
      select has_table_privilege('authenticated', 'vault.secrets', 'select') as secrets,
             has_table_privilege('authenticated', 'vault.decrypted_secrets', 'select') as decrypted`;
    expect(vaultReadable).toEqual([{ secrets: false, decrypted: false }]);
  });

  it('delete removes only the caller’s key; then the project key applies again', async () => {
    expect(
      await db.asUser(ADA, async (tx) => (await tx`select relaykit.delete_my_openai_api_key() as d`)[0]?.d),
    ).toBe(true);
    expect(
      await db.asUser(ADA, async (tx) => (await tx`select relaykit.delete_my_openai_api_key() as d`)[0]?.d),
    ).toBe(false);
    expect(await hasAs(ADA)).toBe(false);
    expect(await getAsService(ADA)).toBe(PROJECT_KEY);
    expect(await getAsService(BEN)).toBe(BEN_KEY);
  });

  it('deleting the user from auth.users deletes their key', async () => {
    await db.sql`insert into auth.users (id, email) values (${BEN}, 'ben@example.com')`;
    expect(await hasAs(BEN)).toBe(true);
    await db.sql`delete from auth.users where id = ${BEN}`;
    expect(await hasAs(BEN)).toBe(false);
    expect(await getAsService(BEN)).toBe(PROJECT_KEY);
  });
});
