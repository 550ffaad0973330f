/**
 * A stand-in for Supabase Vault (the `supabase_vault` extension) on a plain Postgres that has neither
 * `supabase_vault` nor `pgsodium`, installed by `createTestDatabase()` after `SUPABASE_PLATFORM_SQL`.
 *
 * It is NOT Supabase Vault. It follows Vault's documented API surface (https://supabase.com/docs/guides/database/vault)
 * so SQL written against Vault runs unchanged on the test harness:
 * - table `vault.secrets (id, name, description, secret, key_id, nonce, created_at, updated_at)`, `secret` holding
 *   base64 ciphertext and `name` unique when set;
 * - `vault.create_secret(new_secret, new_name default null, new_description default '', new_key_id default null)`
 *   returning the new id, and `vault.update_secret(secret_id, new_secret, new_name, new_description, new_key_id)`
 *   (every `new_*` defaults to null = unchanged; `new_key_id` is accepted and stored, as Vault ignores it too);
 * - view `vault.decrypted_secrets`: the table's columns plus `decrypted_secret`;
 * - privileges as on Supabase: nothing for `anon`/`authenticated`; `service_role` may use the schema, read and delete
 *   through the table and the view, and call the functions.
 *
 * Encryption uses pgcrypto's `pgp_sym_encrypt` (AES-256) with one random key per database, kept in
 * `vault._stand_in_server_key`, which only the superuser can read: it stands in for pgsodium's server root key, which
 * on Supabase never leaves the server either. Each plaintext is prefixed with its row id before encryption, the way
 * Vault binds a ciphertext to its row as AEAD associated data: a ciphertext copied onto another row does not decrypt
 * there (`decrypted_secret` is null). Because the key table is superuser-only, `create_secret` and `update_secret` are
 * `security definer` here (on Supabase they reach the key through pgsodium instead).
 *
 * Every statement is idempotent, like the platform bootstrap. PGlite has no pgcrypto by default, so the PGlite
 * harness does not install this.
 */
export const SUPABASE_VAULT_STAND_IN_SQL = `
create extension if not exists pgcrypto with schema extensions;
create schema if not exists vault;
revoke all on schema vault from public;

-- Stands in for pgsodium's server key: superuser only (no grants to anyone).
create table if not exists vault._stand_in_server_key (
  id boolean primary key default true check (id),
  key text not null
);
revoke all on vault._stand_in_server_key from public, anon, authenticated, service_role;
insert into vault._stand_in_server_key (key)
values (encode(extensions.gen_random_bytes(32), 'hex'))
on conflict (id) do nothing;

create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default extensions.gen_random_bytes(16),
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp
);
comment on table vault.secrets is
  'RelayKit test stand-in for Supabase Vault: table with encrypted secret column (pgcrypto, not pgsodium).';
create unique index if not exists secrets_name_idx on vault.secrets using btree (name) where name is not null;

create or replace function vault._stand_in_encrypt(p_id uuid, p_secret text) returns text
language sql volatile security definer set search_path = ''
as $$
  select encode(extensions.pgp_sym_encrypt(p_id::text || ':' || p_secret, k.key, 'cipher-algo=aes256'), 'base64')
  from vault._stand_in_server_key k
$$;

create or replace function vault._stand_in_decrypt(p_id uuid, p_ciphertext text) returns text
language sql stable security definer set search_path = ''
as $$
  select case when left(d.plain, 37) = p_id::text || ':' then substr(d.plain, 38) end
  from (
    select extensions.pgp_sym_decrypt(decode(p_ciphertext, 'base64'), k.key) as plain
    from vault._stand_in_server_key k
  ) d
$$;

create or replace view vault.decrypted_secrets as
select s.id,
       s.name,
       s.description,
       s.secret,
       vault._stand_in_decrypt(s.id, s.secret) as decrypted_secret,
       s.key_id,
       s.nonce,
       s.created_at,
       s.updated_at
from vault.secrets s;

create or replace function vault.create_secret(
  new_secret text,
  new_name text default null,
  new_description text default '',
  new_key_id uuid default null
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid := gen_random_uuid();
begin
  if new_secret is null then
    raise exception 'vault.create_secret: new_secret must not be null' using errcode = '22004';
  end if;
  insert into vault.secrets (id, name, description, secret, key_id)
  values (v_id, new_name, coalesce(new_description, ''), vault._stand_in_encrypt(v_id, new_secret), new_key_id);
  return v_id;
end
$$;

create or replace function vault.update_secret(
  secret_id uuid,
  new_secret text default null,
  new_name text default null,
  new_description text default null,
  new_key_id uuid default null
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  update vault.secrets s
  set secret = case when new_secret is null then s.secret else vault._stand_in_encrypt(s.id, new_secret) end,
      name = coalesce(new_name, s.name),
      description = coalesce(new_description, s.description),
      key_id = coalesce(new_key_id, s.key_id),
      updated_at = now()
  where s.id = secret_id;
end
$$;

revoke all on vault.secrets, vault.decrypted_secrets from public, anon, authenticated;
revoke execute on function
  vault._stand_in_encrypt(uuid, text),
  vault._stand_in_decrypt(uuid, text),
  vault.create_secret(text, text, text, uuid),
  vault.update_secret(uuid, text, text, text, uuid)
from public, anon, authenticated;

grant usage on schema vault to service_role;
grant select, delete on vault.secrets, vault.decrypted_secrets to service_role;
-- The view calls the decryption as the caller (functions in views are checked against the current user), as on
-- Supabase, where service_role may execute vault._crypto_aead_det_decrypt.
grant execute on function
  vault._stand_in_decrypt(uuid, text),
  vault.create_secret(text, text, text, uuid),
  vault.update_secret(uuid, text, text, text, uuid)
to service_role;
`;
