-- @relaykit/supabase-edge 0001: OpenAI API keys kept in Supabase Vault, never in a plain-text column.
--
-- The project key is the Vault secret named `openai_api_key` (create it once in the dashboard or with
-- `select vault.create_secret('sk-...', 'openai_api_key');`). A user's own key (bring your own key) is the Vault
-- secret `openai_api_key:user:<user uuid>`, written only through relaykit.set_my_openai_api_key(). Vault encrypts
-- both at rest; no table readable by anon or authenticated holds a key.
--
--   relaykit.get_openai_api_key(p_user_id)   service_role only: the user's key, else the project key, else null
--   relaykit.set_my_openai_api_key(p_key)    authenticated: stores or replaces the caller's key (auth.uid())
--   relaykit.delete_my_openai_api_key()      authenticated: removes the caller's key; true when there was one
--   relaykit.has_my_openai_api_key()         authenticated: whether the caller has stored a key (never the key)
--
-- Deleting a user from auth.users deletes their stored key too (trigger relaykit_delete_openai_api_key).
--
-- Every function is `security definer` with an empty search_path, so callers need no rights on Vault at all.
-- The functions live in schema `relaykit`, which is not exposed by default: add it to the Data API's exposed schemas
-- (config.toml `[api] schemas`, or Dashboard → Settings → Data API) and call them with
-- `supabase.schema('relaykit').rpc(...)`.

-- Vault ships with every Supabase project; enable it where it is available but not enabled yet.
do $vault$
begin
  if not exists (select 1 from pg_catalog.pg_namespace where nspname = 'vault')
     and exists (select 1 from pg_catalog.pg_available_extensions where name = 'supabase_vault') then
    create extension if not exists supabase_vault cascade;
  end if;
end
$vault$;

create schema if not exists relaykit;
revoke all on schema relaykit from public;
grant usage on schema relaykit to anon, authenticated, service_role;

create or replace function relaykit.get_openai_api_key(p_user_id uuid default null) returns text
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_key text;
begin
  if p_user_id is not null then
    select s.decrypted_secret into v_key
    from vault.decrypted_secrets s
    where s.name = 'openai_api_key:user:' || p_user_id::text;
    if v_key is not null then
      return v_key;
    end if;
  end if;
  select s.decrypted_secret into v_key from vault.decrypted_secrets s where s.name = 'openai_api_key';
  return v_key;
end
$$;

create or replace function relaykit.set_my_openai_api_key(p_key text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_name text;
  v_id uuid;
begin
  if v_user is null then
    raise exception 'set_my_openai_api_key: sign in first (no user id in the JWT)' using errcode = '42501';
  end if;
  -- The key itself never goes into a message: only what is wrong with its shape.
  if p_key is null or p_key !~ '^sk-[A-Za-z0-9_-]+$' then
    raise exception 'set_my_openai_api_key: not an OpenAI API key'
      using errcode = '22023', hint = 'OpenAI API keys start with sk- and contain only letters, digits, - and _.';
  end if;
  if length(p_key) < 20 or length(p_key) > 400 then
    raise exception 'set_my_openai_api_key: an OpenAI API key is 20 to 400 characters long (got %)', length(p_key)
      using errcode = '22023';
  end if;
  v_name := 'openai_api_key:user:' || v_user::text;
  -- One writer per user at a time, so two concurrent calls cannot both create the secret.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext(v_name));
  select s.id into v_id from vault.secrets s where s.name = v_name;
  if v_id is null then
    perform vault.create_secret(p_key, v_name, 'OpenAI API key of one user (RelayKit, bring your own key)');
  else
    perform vault.update_secret(v_id, p_key);
  end if;
end
$$;

create or replace function relaykit.delete_my_openai_api_key() returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_count integer;
begin
  if v_user is null then
    raise exception 'delete_my_openai_api_key: sign in first (no user id in the JWT)' using errcode = '42501';
  end if;
  delete from vault.secrets s where s.name = 'openai_api_key:user:' || v_user::text;
  get diagnostics v_count = row_count;
  return v_count > 0;
end
$$;

create or replace function relaykit.has_my_openai_api_key() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
begin
  if v_user is null then
    raise exception 'has_my_openai_api_key: sign in first (no user id in the JWT)' using errcode = '42501';
  end if;
  return exists (select 1 from vault.secrets s where s.name = 'openai_api_key:user:' || v_user::text);
end
$$;

-- A deleted account leaves no key behind.
create or replace function relaykit.delete_openai_api_key_of_deleted_user() returns trigger
language plpgsql volatile security definer set search_path = ''
as $$
begin
  delete from vault.secrets s where s.name = 'openai_api_key:user:' || old.id::text;
  return old;
end
$$;

do $users$
begin
  if pg_catalog.to_regclass('auth.users') is not null then
    drop trigger if exists relaykit_delete_openai_api_key on auth.users;
    create trigger relaykit_delete_openai_api_key
      after delete on auth.users
      for each row execute function relaykit.delete_openai_api_key_of_deleted_user();
  end if;
end
$users$;

revoke execute on function
  relaykit.delete_openai_api_key_of_deleted_user(),
  relaykit.get_openai_api_key(uuid),
  relaykit.set_my_openai_api_key(text),
  relaykit.delete_my_openai_api_key(),
  relaykit.has_my_openai_api_key()
from public, anon, authenticated, service_role;
grant execute on function relaykit.get_openai_api_key(uuid) to service_role;
grant execute on function
  relaykit.set_my_openai_api_key(text),
  relaykit.delete_my_openai_api_key(),
  relaykit.has_my_openai_api_key()
to authenticated;
