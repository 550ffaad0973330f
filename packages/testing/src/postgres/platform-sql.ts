/**
 * The part of a Supabase project that our SQL relies on, installed into a plain Postgres (or PGlite) database:
 * the API roles, the `auth` helpers reading `request.jwt.claims`, minimal `auth.users` and `storage` tables, and
 * Supabase's default privileges on schema `public`.
 *
 * Every statement is idempotent, so the bootstrap can run again on the same database, and role creation tolerates
 * a concurrent test file creating the same cluster-wide role at the same moment.
 *
 * The `auth.uid()`, `auth.role()` and `auth.jwt()` bodies are those of Supabase's own migrations (they read the
 * legacy per-claim settings first, then `request.jwt.claims`, and treat an empty setting like a missing one, because
 * after a `set local` transaction the setting is `''`, not NULL).
 */
export const SUPABASE_PLATFORM_SQL = `
do $platform$
declare
  role_name text;
begin
  foreach role_name in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = role_name) then
      begin
        execute format(
          'create role %I nologin noinherit%s',
          role_name,
          case when role_name = 'service_role' then ' bypassrls' else '' end
        );
      exception when duplicate_object or unique_violation then
        null; -- another session created it concurrently
      end;
    end if;
  end loop;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'service_role' and rolbypassrls) then
    alter role service_role bypassrls;
  end if;
end
$platform$;

create schema if not exists auth;
create schema if not exists storage;
create schema if not exists extensions;

grant usage on schema public to anon, authenticated, service_role;
grant usage on schema auth to anon, authenticated, service_role;
grant usage on schema storage to anon, authenticated, service_role;
grant usage on schema extensions to anon, authenticated, service_role;

alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to anon, authenticated, service_role;

create table if not exists auth.users (
  id uuid primary key,
  email text,
  raw_app_meta_data jsonb not null default '{}'::jsonb,
  raw_user_meta_data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
grant select on auth.users to service_role;

create table if not exists storage.buckets (
  id text primary key,
  name text not null unique,
  owner uuid,
  public boolean not null default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table if not exists storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  metadata jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_accessed_at timestamptz not null default now(),
  unique (bucket_id, name)
);

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
`;

/** The Supabase API roles a harness can act as. */
export type SupabaseRole = 'anon' | 'authenticated' | 'service_role';

/** The JWT claims `asUser`/`asAnon`/`asService` install for a role (merged with caller-supplied claims). */
export function claimsFor(role: SupabaseRole, userId?: string, extra: Record<string, unknown> = {}) {
  const claims: Record<string, unknown> = { ...extra };
  if (userId !== undefined) claims.sub = userId;
  claims.role = role;
  return claims;
}

/**
 * One statement that switches the current transaction to `role` with `claims` as `request.jwt.claims`,
 * the way PostgREST does it (`set_config(..., true)` is `set local`). Parameters: `$1` role, `$2` claims JSON.
 */
export const SET_LOCAL_ROLE_AND_CLAIMS_SQL =
  "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)";
