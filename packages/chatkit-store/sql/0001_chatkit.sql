-- @relaykit/chatkit-store 0001: ChatKit threads, items, attachments and feedback with row-level security.
--
-- Every operation is a `security invoker` SQL function, so row-level security applies and each store call is one
-- round trip. A row is visible and writable only when `user_id = auth.uid()`; `service_role` bypasses RLS, yet the
-- functions still scope every query to `auth.uid()` explicitly, so a service caller acts for the user in its claims.
--
-- Timestamps without an offset (the reference server's naive form) are read as UTC.
--
-- Errors raised by the functions use PostgREST's `PTxxx` SQLSTATE convention (HTTP status xxx):
--   PT400 invalid_request, PT401 unauthorized, PT404 not_found, PT413 payload_too_large.

-- Supabase platform pieces, created only when missing (a no-op on a real Supabase project).
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

do $$
begin
  if not exists (select 1 from pg_namespace where nspname = 'auth') then
    create schema auth;
    grant usage on schema auth to anon, authenticated, service_role;
  end if;
  if to_regprocedure('auth.uid()') is null then
    create function auth.uid() returns uuid language sql stable as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
      )::uuid
    $f$;
    grant execute on function auth.uid() to anon, authenticated, service_role;
  end if;
  if to_regprocedure('auth.role()') is null then
    create function auth.role() returns text language sql stable as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim.role', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
      )::text
    $f$;
    grant execute on function auth.role() to anon, authenticated, service_role;
  end if;
  if to_regprocedure('auth.jwt()') is null then
    create function auth.jwt() returns jsonb language sql stable as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
      )::jsonb
    $f$;
    grant execute on function auth.jwt() to anon, authenticated, service_role;
  end if;
end
$$;

-- Tables ------------------------------------------------------------------------------------------------------

create table if not exists public.chatkit_threads (
  id text primary key,
  user_id uuid not null default auth.uid(),
  title text,
  status jsonb not null default '{"type":"active"}'::jsonb,
  metadata jsonb not null default '{}'::jsonb,
  allowed_image_domains text[],
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  seq bigint generated always as identity unique
);

-- Keyset index: every threads page is one range scan of (user_id, created_at, seq) over live threads.
create index if not exists chatkit_threads_user_keyset
  on public.chatkit_threads (user_id, created_at, seq) where deleted_at is null;
create index if not exists chatkit_threads_deleted
  on public.chatkit_threads (deleted_at) where deleted_at is not null;

create table if not exists public.chatkit_thread_items (
  id text primary key,
  thread_id text not null references public.chatkit_threads (id) on delete cascade,
  user_id uuid not null default auth.uid(),
  type text not null,
  created_at timestamptz not null,
  seq bigint generated always as identity unique,
  data jsonb not null
);

-- Keyset index: every items page is one range scan of (thread_id, created_at, seq).
create index if not exists chatkit_thread_items_thread_keyset
  on public.chatkit_thread_items (thread_id, created_at, seq);
create index if not exists chatkit_thread_items_user on public.chatkit_thread_items (user_id);

create table if not exists public.chatkit_attachments (
  id text primary key,
  user_id uuid not null default auth.uid(),
  thread_id text references public.chatkit_threads (id) on delete set null,
  type text not null,
  data jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists chatkit_attachments_user on public.chatkit_attachments (user_id);
create index if not exists chatkit_attachments_thread on public.chatkit_attachments (thread_id);

create table if not exists public.chatkit_feedback (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid(),
  thread_id text not null references public.chatkit_threads (id) on delete cascade,
  item_id text not null,
  kind text not null check (kind in ('positive', 'negative')),
  created_at timestamptz not null default now(),
  unique (thread_id, item_id, user_id)
);
create index if not exists chatkit_feedback_user on public.chatkit_feedback (user_id);

-- Row-level security ---------------------------------------------------------------------------------------------
-- Rows are the owner's alone; a child row (item, attachment, feedback) may only be written into the owner's thread.

alter table public.chatkit_threads enable row level security;
alter table public.chatkit_thread_items enable row level security;
alter table public.chatkit_attachments enable row level security;
alter table public.chatkit_feedback enable row level security;

drop policy if exists chatkit_threads_owner on public.chatkit_threads;
create policy chatkit_threads_owner on public.chatkit_threads for all to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
drop policy if exists chatkit_thread_items_owner on public.chatkit_thread_items;
create policy chatkit_thread_items_owner on public.chatkit_thread_items for all to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and exists (
    select 1 from public.chatkit_threads t where t.id = thread_id and t.user_id = (select auth.uid())));
drop policy if exists chatkit_attachments_owner on public.chatkit_attachments;
create policy chatkit_attachments_owner on public.chatkit_attachments for all to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and (thread_id is null or exists (
    select 1 from public.chatkit_threads t where t.id = thread_id and t.user_id = (select auth.uid()))));
drop policy if exists chatkit_feedback_owner on public.chatkit_feedback;
create policy chatkit_feedback_owner on public.chatkit_feedback for all to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and exists (
    select 1 from public.chatkit_threads t where t.id = thread_id and t.user_id = (select auth.uid())));

revoke all on public.chatkit_threads, public.chatkit_thread_items, public.chatkit_attachments,
  public.chatkit_feedback from anon;
grant select, insert, update, delete on public.chatkit_threads, public.chatkit_thread_items,
  public.chatkit_attachments, public.chatkit_feedback to authenticated, service_role;
grant usage, select on all sequences in schema public to authenticated, service_role;

-- Helpers --------------------------------------------------------------------------------------------------------

create or replace function public.chatkit_current_user() returns uuid
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_user uuid := auth.uid();
begin
  if v_user is null then
    raise exception 'chatkit: no authenticated user (auth.uid() is null)' using errcode = 'PT401';
  end if;
  return v_user;
end
$$;

create or replace function public.chatkit_iso(p_at timestamptz) returns text
language sql immutable security invoker set search_path = '' as $$
  select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

create or replace function public.chatkit_thread_json(t public.chatkit_threads) returns jsonb
language sql immutable security invoker set search_path = '' as $$
  select jsonb_build_object(
    'id', t.id,
    'title', t.title,
    'created_at', public.chatkit_iso(t.created_at),
    'status', t.status,
    'allowed_image_domains', to_jsonb(t.allowed_image_domains),
    'metadata', t.metadata
  )
$$;

-- Threads --------------------------------------------------------------------------------------------------------

-- Upserts thread metadata (any `items` key is ignored). A soft-deleted thread with the same id is revived.
create or replace function public.chatkit_save_thread(p_thread jsonb) returns jsonb
language plpgsql volatile security invoker set search_path = '' set timezone = 'UTC' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_row public.chatkit_threads;
begin
  if p_thread is null or jsonb_typeof(p_thread) <> 'object' or coalesce(p_thread ->> 'id', '') = '' then
    raise exception 'chatkit: a thread needs a non-empty string id' using errcode = 'PT400';
  end if;
  insert into public.chatkit_threads as t
    (id, user_id, title, status, metadata, allowed_image_domains, created_at, updated_at, deleted_at)
  values (
    p_thread ->> 'id',
    v_user,
    p_thread ->> 'title',
    coalesce(nullif(p_thread -> 'status', 'null'::jsonb), '{"type":"active"}'::jsonb),
    coalesce(nullif(p_thread -> 'metadata', 'null'::jsonb), '{}'::jsonb),
    case when jsonb_typeof(p_thread -> 'allowed_image_domains') = 'array'
      then array(select jsonb_array_elements_text(p_thread -> 'allowed_image_domains')) end,
    coalesce((p_thread ->> 'created_at')::timestamptz, now()),
    now(),
    null
  )
  on conflict (id) do update set
    title = excluded.title,
    status = excluded.status,
    metadata = excluded.metadata,
    allowed_image_domains = excluded.allowed_image_domains,
    created_at = excluded.created_at,
    updated_at = now(),
    deleted_at = null
  where t.user_id = v_user
  returning * into v_row;
  if v_row.id is null then
    raise exception 'chatkit: thread % belongs to another user', p_thread ->> 'id' using errcode = '42501';
  end if;
  return public.chatkit_thread_json(v_row);
end
$$;

create or replace function public.chatkit_load_thread(p_thread_id text) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_row public.chatkit_threads;
begin
  select * into v_row from public.chatkit_threads
    where id = p_thread_id and user_id = v_user and deleted_at is null;
  if v_row.id is null then
    raise exception 'chatkit: thread % not found', p_thread_id using errcode = 'PT404';
  end if;
  return public.chatkit_thread_json(v_row);
end
$$;

-- One keyset page of the caller's live threads: {data, has_more, after}. `p_after` is the id of the last thread of
-- the previous page (exclusive); ties on created_at are broken by seq so nothing is skipped. Unknown after → PT404.
-- Without a cursor the bounds are ±infinity, so every page is the same index range scan (no OR in the predicate).
create or replace function public.chatkit_load_threads(p_limit integer, p_after text default null,
  p_order text default 'desc') returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_created timestamptz;
  v_seq bigint;
  v_rows jsonb;
  v_count integer;
begin
  if p_limit is null or p_limit < 1 then
    raise exception 'chatkit: limit must be a positive integer' using errcode = 'PT400';
  end if;
  if p_order not in ('asc', 'desc') then
    raise exception 'chatkit: order must be asc or desc' using errcode = 'PT400';
  end if;
  if p_after is not null then
    select created_at, seq into v_created, v_seq from public.chatkit_threads
      where id = p_after and user_id = v_user and deleted_at is null;
    if v_seq is null then
      raise exception 'chatkit: after cursor % is not a thread of this user', p_after using errcode = 'PT404';
    end if;
  end if;
  if p_order = 'asc' then
    select coalesce(jsonb_agg(public.chatkit_thread_json(t) order by t.created_at, t.seq), '[]'::jsonb), count(*)
      into v_rows, v_count
      from (select * from public.chatkit_threads
            where user_id = v_user and deleted_at is null
              and (created_at, seq) > (coalesce(v_created, '-infinity'), coalesce(v_seq, -1))
            order by created_at, seq limit p_limit + 1) t;
  else
    select coalesce(jsonb_agg(public.chatkit_thread_json(t) order by t.created_at desc, t.seq desc), '[]'::jsonb),
           count(*)
      into v_rows, v_count
      from (select * from public.chatkit_threads
            where user_id = v_user and deleted_at is null
              and (created_at, seq) < (coalesce(v_created, 'infinity'), coalesce(v_seq, 9223372036854775807))
            order by created_at desc, seq desc limit p_limit + 1) t;
  end if;
  if v_count > p_limit then
    v_rows := v_rows - p_limit;
    return jsonb_build_object('data', v_rows, 'has_more', true, 'after', v_rows -> (p_limit - 1) ->> 'id');
  end if;
  return jsonb_build_object('data', v_rows, 'has_more', false);
end
$$;

-- Soft delete: the thread disappears from every read; its items stay until chatkit_purge_deleted_threads runs.
-- Deleting a missing (or another user's) thread is a no-op.
create or replace function public.chatkit_delete_thread(p_thread_id text) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
begin
  update public.chatkit_threads set deleted_at = now(), updated_at = now()
    where id = p_thread_id and user_id = v_user and deleted_at is null;
end
$$;

-- Hard delete of the caller's soft-deleted threads (items and feedback cascade). Run as service_role to purge for
-- every user. Returns the number of threads removed.
create or replace function public.chatkit_purge_deleted_threads(p_deleted_before timestamptz default now())
returns integer
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_count integer;
begin
  delete from public.chatkit_threads
    where deleted_at is not null and deleted_at <= p_deleted_before
      and (auth.uid() is null or user_id = auth.uid());
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- Items ----------------------------------------------------------------------------------------------------------

create or replace function public.chatkit_check_item(p_thread_id text, p_item jsonb, p_max_bytes integer)
returns void
language plpgsql immutable security invoker set search_path = '' as $$
begin
  if p_item is null or jsonb_typeof(p_item) <> 'object' then
    raise exception 'chatkit: an item must be a JSON object' using errcode = 'PT400';
  end if;
  if coalesce(p_item ->> 'id', '') = '' or coalesce(p_item ->> 'type', '') = ''
     or coalesce(p_item ->> 'created_at', '') = '' then
    raise exception 'chatkit: an item needs id, type and created_at' using errcode = 'PT400';
  end if;
  if (p_item ->> 'thread_id') is distinct from p_thread_id then
    raise exception 'chatkit: item % has thread_id % but was written to thread %',
      p_item ->> 'id', p_item ->> 'thread_id', p_thread_id using errcode = 'PT400';
  end if;
  if p_max_bytes is not null and octet_length(p_item::text) > p_max_bytes then
    raise exception 'chatkit: item % is larger than % bytes', p_item ->> 'id', p_max_bytes using errcode = 'PT413';
  end if;
end
$$;

-- Inserts an item; idempotent for the same id in the same thread (the stored JSON is replaced).
create or replace function public.chatkit_add_thread_item(p_thread_id text, p_item jsonb,
  p_max_bytes integer default 1048576) returns void
language plpgsql volatile security invoker set search_path = '' set timezone = 'UTC' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_id text;
begin
  perform public.chatkit_check_item(p_thread_id, p_item, p_max_bytes);
  update public.chatkit_threads set updated_at = now()
    where id = p_thread_id and user_id = v_user and deleted_at is null;
  if not found then
    raise exception 'chatkit: thread % not found', p_thread_id using errcode = 'PT404';
  end if;
  insert into public.chatkit_thread_items as i (id, thread_id, user_id, type, created_at, data)
  values (p_item ->> 'id', p_thread_id, v_user, p_item ->> 'type', (p_item ->> 'created_at')::timestamptz, p_item)
  on conflict (id) do update set data = excluded.data, type = excluded.type, created_at = excluded.created_at
    where i.thread_id = excluded.thread_id and i.user_id = v_user
  returning i.id into v_id;
  if v_id is null then
    raise exception 'chatkit: item id % is already used by another thread', p_item ->> 'id' using errcode = 'PT409';
  end if;
end
$$;

-- Upsert by id within the thread.
create or replace function public.chatkit_save_item(p_thread_id text, p_item jsonb,
  p_max_bytes integer default 1048576) returns void
language plpgsql volatile security invoker set search_path = '' as $$
begin
  perform public.chatkit_add_thread_item(p_thread_id, p_item, p_max_bytes);
end
$$;

create or replace function public.chatkit_load_item(p_thread_id text, p_item_id text) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_data jsonb;
begin
  select i.data into v_data from public.chatkit_thread_items i
    join public.chatkit_threads t on t.id = i.thread_id and t.deleted_at is null
    where i.id = p_item_id and i.thread_id = p_thread_id and i.user_id = v_user;
  if v_data is null then
    raise exception 'chatkit: item % not found in thread %', p_item_id, p_thread_id using errcode = 'PT404';
  end if;
  return v_data;
end
$$;

-- Deleting a missing item is a no-op.
create or replace function public.chatkit_delete_thread_item(p_thread_id text, p_item_id text) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
begin
  delete from public.chatkit_thread_items where id = p_item_id and thread_id = p_thread_id and user_id = v_user;
end
$$;

-- One keyset page of a thread's items, hidden items included (the server layer filters them). A thread that is
-- missing or not visible gives an empty page; an unknown `p_after` item raises PT404.
create or replace function public.chatkit_load_thread_items(p_thread_id text, p_after text default null,
  p_limit integer default 20, p_order text default 'asc') returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_created timestamptz;
  v_seq bigint;
  v_rows jsonb;
  v_count integer;
begin
  if p_limit is null or p_limit < 1 then
    raise exception 'chatkit: limit must be a positive integer' using errcode = 'PT400';
  end if;
  if p_order not in ('asc', 'desc') then
    raise exception 'chatkit: order must be asc or desc' using errcode = 'PT400';
  end if;
  if not exists (select 1 from public.chatkit_threads
                 where id = p_thread_id and user_id = v_user and deleted_at is null) then
    return jsonb_build_object('data', '[]'::jsonb, 'has_more', false);
  end if;
  if p_after is not null then
    select created_at, seq into v_created, v_seq from public.chatkit_thread_items
      where id = p_after and thread_id = p_thread_id and user_id = v_user;
    if v_seq is null then
      raise exception 'chatkit: after cursor % is not an item of thread %', p_after, p_thread_id
        using errcode = 'PT404';
    end if;
  end if;
  if p_order = 'asc' then
    select coalesce(jsonb_agg(i.data order by i.created_at, i.seq), '[]'::jsonb), count(*) into v_rows, v_count
      from (select data, created_at, seq from public.chatkit_thread_items
            where thread_id = p_thread_id and user_id = v_user
              and (created_at, seq) > (coalesce(v_created, '-infinity'), coalesce(v_seq, -1))
            order by created_at, seq limit p_limit + 1) i;
  else
    select coalesce(jsonb_agg(i.data order by i.created_at desc, i.seq desc), '[]'::jsonb), count(*)
      into v_rows, v_count
      from (select data, created_at, seq from public.chatkit_thread_items
            where thread_id = p_thread_id and user_id = v_user
              and (created_at, seq) < (coalesce(v_created, 'infinity'), coalesce(v_seq, 9223372036854775807))
            order by created_at desc, seq desc limit p_limit + 1) i;
  end if;
  if v_count > p_limit then
    v_rows := v_rows - p_limit;
    return jsonb_build_object('data', v_rows, 'has_more', true, 'after', v_rows -> (p_limit - 1) ->> 'id');
  end if;
  return jsonb_build_object('data', v_rows, 'has_more', false);
end
$$;

-- Attachments ----------------------------------------------------------------------------------------------------

create or replace function public.chatkit_save_attachment(p_attachment jsonb) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_id text;
begin
  if p_attachment is null or jsonb_typeof(p_attachment) <> 'object' or coalesce(p_attachment ->> 'id', '') = ''
     or coalesce(p_attachment ->> 'type', '') = '' then
    raise exception 'chatkit: an attachment needs an id and a type' using errcode = 'PT400';
  end if;
  if (p_attachment ->> 'thread_id') is not null and not exists (
       select 1 from public.chatkit_threads where id = p_attachment ->> 'thread_id' and user_id = v_user) then
    raise exception 'chatkit: thread % not found', p_attachment ->> 'thread_id' using errcode = 'PT404';
  end if;
  insert into public.chatkit_attachments as a (id, user_id, thread_id, type, data)
  values (p_attachment ->> 'id', v_user, p_attachment ->> 'thread_id', p_attachment ->> 'type', p_attachment)
  on conflict (id) do update set data = excluded.data, type = excluded.type, thread_id = excluded.thread_id,
    updated_at = now()
    where a.user_id = v_user
  returning a.id into v_id;
  if v_id is null then
    raise exception 'chatkit: attachment % belongs to another user', p_attachment ->> 'id' using errcode = '42501';
  end if;
end
$$;

create or replace function public.chatkit_load_attachment(p_attachment_id text) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_data jsonb;
begin
  select data into v_data from public.chatkit_attachments where id = p_attachment_id and user_id = v_user;
  if v_data is null then
    raise exception 'chatkit: attachment % not found', p_attachment_id using errcode = 'PT404';
  end if;
  return v_data;
end
$$;

create or replace function public.chatkit_delete_attachment(p_attachment_id text) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
begin
  delete from public.chatkit_attachments where id = p_attachment_id and user_id = v_user;
end
$$;

-- Feedback -------------------------------------------------------------------------------------------------------

-- Records (or replaces) the caller's feedback on items of one of their threads.
create or replace function public.chatkit_add_feedback(p_thread_id text, p_item_ids text[], p_kind text)
returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
begin
  if p_kind not in ('positive', 'negative') then
    raise exception 'chatkit: feedback kind must be positive or negative' using errcode = 'PT400';
  end if;
  if not exists (select 1 from public.chatkit_threads
                 where id = p_thread_id and user_id = v_user and deleted_at is null) then
    raise exception 'chatkit: thread % not found', p_thread_id using errcode = 'PT404';
  end if;
  insert into public.chatkit_feedback as f (user_id, thread_id, item_id, kind)
  select v_user, p_thread_id, item_id, p_kind from unnest(p_item_ids) as item_id
  on conflict (thread_id, item_id, user_id) do update set kind = excluded.kind, created_at = now();
end
$$;

create or replace function public.chatkit_load_feedback(p_thread_id text) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('item_id', item_id, 'kind', kind) order by id), '[]'::jsonb)
  from public.chatkit_feedback where thread_id = p_thread_id and user_id = public.chatkit_current_user()
$$;

-- Privileges: signed-in users and the service role call the functions; anon does not.
do $$
declare
  f regprocedure;
begin
  for f in select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname like 'chatkit\_%' loop
    execute format('revoke execute on function %s from public, anon', f);
    execute format('grant execute on function %s to authenticated, service_role', f);
  end loop;
end
$$;
