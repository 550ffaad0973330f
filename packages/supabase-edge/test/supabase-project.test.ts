/**
 * The `supabase/` project: every migration in filename order, then `seed.sql`, on a fresh database of the test
 * harness (Supabase's roles and `auth` helpers), and `config.toml` states `verify_jwt` for each function.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script of the repo, without type declarations
import { deployDenoJson, functionNames, workspaceDenoJson } from '../../../scripts/functions.mjs';

const supabaseDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'supabase');
const ADA = '00000000-0000-4000-8000-00000000a0a0';
const BEN = '00000000-0000-4000-8000-00000000b0b0';
const FUNCTIONS = ['ai-chat-system', 'health-agent', 'chatkit'];

describe('supabase/config.toml', () => {
  const config = readFileSync(join(supabaseDir, 'config.toml'), 'utf8');

  it('names the project and uses the Supabase CLI default ports', () => {
    expect(config).toMatch(/^project_id = "relaykit"$/m);
    expect(config).toMatch(/\[api\][^[]*\nport = 54321\n/);
    expect(config).toMatch(/\[db\][^[]*\nport = 54322\n/);
    expect(config).toMatch(/\[studio\][^[]*\nport = 54323\n/);
  });

  it.each(FUNCTIONS)('states verify_jwt for %s, with a comment why, and points at its deno.json', (name) => {
    const section = new RegExp(
      `\\[functions\\.${name}\\]\\n((?:#[^\\n]*\\n)+)((?:[a-z_]+ = [^\\n]*\\n)+)`,
    ).exec(config);
    expect(section, `[functions.${name}] with a leading comment`).not.toBeNull();
    const body = section?.[2] ?? '';
    expect(body).toMatch(/^verify_jwt = (true|false)$/m);
    expect(body).toContain(`import_map = "./functions/${name}/deno.json"`);
    expect(body).toContain(`entrypoint = "./functions/${name}/index.ts"`);
  });
});

/** The bare module specifiers a function's sources import (its own index.ts and `_shared/`). */
function bareImports(name: string): Set<string> {
  const files = [
    join(supabaseDir, 'functions', name, 'index.ts'),
    ...readdirSync(join(supabaseDir, 'functions', '_shared')).map((file) =>
      join(supabaseDir, 'functions', '_shared', file),
    ),
  ];
  const specifiers = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const specifier = match[1] ?? '';
      if (!specifier.startsWith('.')) specifiers.add(specifier);
    }
  }
  return specifiers;
}

describe('supabase/functions', () => {
  const functionsManifest = JSON.parse(
    readFileSync(join(supabaseDir, 'functions', 'package.json'), 'utf8'),
  ) as { dependencies: Record<string, string> };

  it('the generator lists exactly the functions this test knows', () => {
    expect(functionNames()).toEqual([...FUNCTIONS].sort());
  });

  it.each(FUNCTIONS)('%s: deno.json is the workspace form (node scripts/functions.mjs importmap)', (name) => {
    const denoJson = JSON.parse(readFileSync(join(supabaseDir, 'functions', name, 'deno.json'), 'utf8'));
    expect(denoJson).toEqual(workspaceDenoJson());
  });

  it.each(FUNCTIONS)('%s: every import is a dependency of the functions package', (name) => {
    for (const specifier of bareImports(name)) {
      const pkg = specifier.startsWith('@')
        ? specifier.split('/').slice(0, 2).join('/')
        : specifier.split('/')[0];
      expect(functionsManifest.dependencies[pkg ?? ''], `${name} imports ${specifier}`).toBeDefined();
    }
  });

  it.each(FUNCTIONS)(
    '%s: the deploy import map pins every import to npm: at this checkout’s versions',
    (name) => {
      const { imports } = deployDenoJson() as { imports: Record<string, string> };
      for (const specifier of bareImports(name)) {
        expect(imports[specifier], `${name} imports ${specifier}`).toBeDefined();
      }
      for (const [specifier, target] of Object.entries(imports)) {
        const match = /^npm:((?:@[^/@]+\/)?[^/@]+)@(\^?)(\d+\.\d+\.\d+)(\/.*)?$/.exec(target);
        expect(match, `${specifier} → ${target}`).not.toBeNull();
        const [, pkg, caret, version, subpath] = match ?? [];
        expect(specifier).toBe(`${pkg}${subpath ?? ''}`);
        if (pkg?.startsWith('@relaykit/')) {
          const manifest = JSON.parse(
            readFileSync(
              join(supabaseDir, '..', 'packages', pkg.slice('@relaykit/'.length), 'package.json'),
              'utf8',
            ),
          ) as { version: string };
          expect(`${caret}${version}`, `${pkg}'s range`).toBe(`^${manifest.version}`);
        } else {
          expect(version, `${pkg}'s pin`).toBe(functionsManifest.dependencies[pkg ?? '']);
        }
      }
    },
  );

  it.each(FUNCTIONS)('%s: index.ts is thin and never imports workspace paths', (name) => {
    const source = readFileSync(join(supabaseDir, 'functions', name, 'index.ts'), 'utf8');
    expect(source).not.toMatch(/packages\/|workspace:|node_modules/);
    expect(source.split('\n').length).toBeLessThan(80);
    expect(source).toContain("from '../_shared/server.ts'");
  });
});

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('supabase/migrations + supabase/seed.sql on the test harness database', () => {
  let db: TestDatabase;
  const migrations = readdirSync(join(supabaseDir, 'migrations'))
    .filter((file) => file.endsWith('.sql'))
    .sort();
  const seed = readFileSync(join(supabaseDir, 'seed.sql'), 'utf8');

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const file of migrations) {
      await db.sql.unsafe(readFileSync(join(supabaseDir, 'migrations', file), 'utf8'));
    }
    await db.sql.unsafe(seed);
  }, 60_000);
  afterAll(() => db?.close());

  it('has migrations from every package', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(6);
    for (const file of migrations) expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
  });

  it('creates the demo users with fixed UUIDs', async () => {
    const users = await db.sql<{ id: string; email: string }[]>`
      select id::text, email from auth.users order by email`;
    expect(users).toEqual([
      { id: ADA, email: 'ada@relaykit.dev' },
      { id: BEN, email: 'ben@relaykit.dev' },
    ]);
  });

  it('shows Ada her demo thread and items under RLS, and Ben none of them', async () => {
    const adaThreads = await db.asUser(ADA, (tx) => tx`select id, title from public.chatkit_threads`);
    expect(adaThreads).toEqual([{ id: 'thr_demo_workflow', title: 'Nightly export workflow' }]);
    const adaItems = await db.asUser(
      ADA,
      (tx) => tx`select type, data from public.chatkit_thread_items order by created_at`,
    );
    expect(adaItems.map((row) => row.type)).toEqual(['user_message', 'assistant_message']);
    for (const row of adaItems) {
      const data = row.data as { thread_id: string; type: string };
      expect(data.thread_id).toBe('thr_demo_workflow');
      expect(data.type).toBe(row.type);
    }
    expect(await db.asUser(BEN, (tx) => tx`select id from public.chatkit_threads`)).toEqual([]);
    expect(await db.asUser(BEN, (tx) => tx`select id from public.chatkit_thread_items`)).toEqual([]);
  });

  it('seeds one usage row for each demo user', async () => {
    const rows = await db.sql<{ user_id: string; total_tokens: string }[]>`
      select user_id, total_tokens::text from public.openai_usage order by user_id`;
    expect(rows).toEqual([
      { user_id: ADA, total_tokens: '598' },
      { user_id: BEN, total_tokens: '291' },
    ]);
  });

  it('is idempotent: running seed.sql again changes nothing', async () => {
    await db.sql.unsafe(seed);
    const [counts] = await db.sql<{ users: number; threads: number; items: number; usage: number }[]>`
      select (select count(*)::int from auth.users) as users,
             (select count(*)::int from public.chatkit_threads) as threads,
             (select count(*)::int from public.chatkit_thread_items) as items,
             (select count(*)::int from public.openai_usage) as usage`;
    expect(counts).toEqual({ users: 2, threads: 1, items: 2, usage: 2 });
  });
});

describe.skipIf(!pg.available)('supabase/seed.sql on a GoTrue-shaped auth schema', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The columns GoTrue's auth.users has beyond the harness's minimal table, and auth.identities.
    await db.sql.unsafe(`
      create extension if not exists pgcrypto with schema extensions;
      alter table auth.users
        add column instance_id uuid,
        add column aud varchar(255),
        add column role varchar(255),
        add column encrypted_password varchar(255),
        add column email_confirmed_at timestamptz,
        add column confirmation_token varchar(255),
        add column recovery_token varchar(255),
        add column email_change varchar(255),
        add column email_change_token_new varchar(255);
      create table auth.identities (
        provider_id text not null,
        user_id uuid not null references auth.users (id) on delete cascade,
        identity_data jsonb not null,
        provider text not null,
        last_sign_in_at timestamptz,
        created_at timestamptz,
        updated_at timestamptz,
        id uuid primary key default gen_random_uuid(),
        unique (provider_id, provider)
      );`);
    for (const file of readdirSync(join(supabaseDir, 'migrations')).sort()) {
      await db.sql.unsafe(readFileSync(join(supabaseDir, 'migrations', file), 'utf8'));
    }
    await db.sql.unsafe(readFileSync(join(supabaseDir, 'seed.sql'), 'utf8'));
    await db.sql.unsafe(readFileSync(join(supabaseDir, 'seed.sql'), 'utf8'));
  }, 60_000);
  afterAll(() => db?.close());

  it('creates users that can sign in with the demo password, with an email identity each', async () => {
    const users = await db.sql<{ id: string; aud: string; password_ok: boolean; confirmed: boolean }[]>`
      select id::text, aud, encrypted_password = extensions.crypt('relaykit-demo', encrypted_password) as password_ok,
             email_confirmed_at is not null as confirmed
      from auth.users order by email`;
    expect(users).toEqual([
      { id: ADA, aud: 'authenticated', password_ok: true, confirmed: true },
      { id: BEN, aud: 'authenticated', password_ok: true, confirmed: true },
    ]);
    const identities = await db.sql<{ user_id: string; provider: string; email: string }[]>`
      select user_id::text, provider, identity_data ->> 'email' as email from auth.identities order by 3`;
    expect(identities).toEqual([
      { user_id: ADA, provider: 'email', email: 'ada@relaykit.dev' },
      { user_id: BEN, provider: 'email', email: 'ben@relaykit.dev' },
    ]);
  });
});
