-- @relaykit/chatkit-store 0005: conversation memory for the OpenAI Agents SDK (its `Session` interface), per user.
--
-- A session belongs to the user who wrote it first: sessions are keyed by (user_id, id), so two users may use the same
-- session id and each sees only their own items. Row-level security holds every row to `user_id = auth.uid()`, and
-- every function is `security invoker` and scopes its queries to `auth.uid()` explicitly (as 0001 does), so a
-- `service_role` caller acts for the user in its claims.
--
-- Items are the SDK's input items, kept as jsonb in order (`position`). Writers of one session are serialised by a
-- lock on its row, so concurrent `addItems` calls never interleave and `popItem` removes exactly the newest item.
-- Errors use the PostgREST `PTxxx` convention of 0001: PT400 invalid_request, PT401 unauthorized.

create table if not exists public.chatkit_agent_sessions (
  user_id uuid not null default auth.uid(),
  id text not null check (length(id) between 1 and 255),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, id)
);

create table if not exists public.chatkit_agent_session_items (
  user_id uuid not null,
  session_id text not null,
  position bigint not null,
  item jsonb not null,
  created_at timestamptz not null default now(),
  primary key (user_id, session_id, position),
  foreign key (user_id, session_id) references public.chatkit_agent_sessions (user_id, id) on delete cascade
);

alter table public.chatkit_agent_sessions enable row level security;
alter table public.chatkit_agent_session_items enable row level security;

drop policy if exists chatkit_agent_sessions_owner on public.chatkit_agent_sessions;
create policy chatkit_agent_sessions_owner on public.chatkit_agent_sessions for all to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
drop policy if exists chatkit_agent_session_items_owner on public.chatkit_agent_session_items;
create policy chatkit_agent_session_items_owner on public.chatkit_agent_session_items for all to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

revoke all on public.chatkit_agent_sessions, public.chatkit_agent_session_items from anon;
grant select, insert, update, delete on public.chatkit_agent_sessions, public.chatkit_agent_session_items
  to authenticated, service_role;

create or replace function public.chatkit_agent_session_check_id(p_session_id text) returns void
language plpgsql immutable security invoker set search_path = '' as $$
begin
  if p_session_id is null or length(p_session_id) not between 1 and 255 then
    raise exception 'chatkit: a session id is a string of 1 to 255 characters' using errcode = 'PT400';
  end if;
end
$$;

-- The newest `p_limit` items of the caller's session, oldest first (all of them when p_limit is null; none when it is
-- 0 or less). Another user's session, or a missing one, has no items.
create or replace function public.chatkit_agent_session_items(p_session_id text, p_limit integer default null)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
begin
  perform public.chatkit_agent_session_check_id(p_session_id);
  if p_limit is not null and p_limit <= 0 then
    return '[]'::jsonb;
  end if;
  return (
    select coalesce(jsonb_agg(i.item order by i.position), '[]'::jsonb)
    from (select item, position from public.chatkit_agent_session_items
          where user_id = v_user and session_id = p_session_id
          order by position desc limit p_limit) i
  );
end
$$;

-- Appends items (a jsonb array of objects) to the caller's session, creating it on first use. The session row is
-- locked first, so concurrent appends to one session run one after the other and keep each call's items together.
create or replace function public.chatkit_agent_session_add_items(p_session_id text, p_items jsonb) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_next bigint;
begin
  perform public.chatkit_agent_session_check_id(p_session_id);
  if p_items is null or jsonb_typeof(p_items) <> 'array' then
    raise exception 'chatkit: session items must be a JSON array' using errcode = 'PT400';
  end if;
  if exists (select 1 from jsonb_array_elements(p_items) e where jsonb_typeof(e.value) <> 'object') then
    raise exception 'chatkit: every session item must be a JSON object' using errcode = 'PT400';
  end if;
  if jsonb_array_length(p_items) = 0 then
    return;
  end if;
  insert into public.chatkit_agent_sessions as s (user_id, id) values (v_user, p_session_id)
  on conflict (user_id, id) do update set updated_at = now();
  select coalesce(max(position), 0) + 1 into v_next from public.chatkit_agent_session_items
    where user_id = v_user and session_id = p_session_id;
  insert into public.chatkit_agent_session_items (user_id, session_id, position, item)
  select v_user, p_session_id, v_next + e.ordinality - 1, e.value
  from jsonb_array_elements(p_items) with ordinality as e(value, ordinality);
end
$$;

-- Removes and returns the newest item of the caller's session (null when it has none), atomically.
create or replace function public.chatkit_agent_session_pop_item(p_session_id text) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_item jsonb;
begin
  perform public.chatkit_agent_session_check_id(p_session_id);
  perform 1 from public.chatkit_agent_sessions where user_id = v_user and id = p_session_id for update;
  if not found then
    return null;
  end if;
  delete from public.chatkit_agent_session_items i
    where i.user_id = v_user and i.session_id = p_session_id
      and i.position = (select max(position) from public.chatkit_agent_session_items
                        where user_id = v_user and session_id = p_session_id)
    returning i.item into v_item;
  return v_item;
end
$$;

-- Deletes the caller's session and all its items; a missing session is a no-op.
create or replace function public.chatkit_agent_session_clear(p_session_id text) returns void
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
begin
  perform public.chatkit_agent_session_check_id(p_session_id);
  delete from public.chatkit_agent_sessions where user_id = v_user and id = p_session_id;
end
$$;

-- Privileges: signed-in users and the service role call the functions; anon does not.
do $$
declare
  f regprocedure;
begin
  for f in select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname like 'chatkit\_agent\_session%' loop
    execute format('revoke execute on function %s from public, anon', f);
    execute format('grant execute on function %s to authenticated, service_role', f);
  end loop;
end
$$;
