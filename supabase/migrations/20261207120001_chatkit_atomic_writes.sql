-- @relaykit/chatkit-store 0003: the multi-write steps of a ChatKit turn, each one function (so one transaction).
--
-- A turn that writes more than once (a new thread and its first user message, a message and the attachments it links,
-- a retry that deletes every later item, a client tool output that completes one call and drops the other pending
-- ones) calls one of these functions. A function runs inside the caller's transaction (each driver call is one; a
-- PostgREST rpc is one), and any error undoes every write it made: a thread never exists without its first message,
-- and a retry is never half applied. They are `security invoker` and reuse the 0001 functions, so RLS and every check
-- of the single-write functions apply unchanged.

-- Checks that `p_value` is a JSON array (null counts as empty) and returns it.
create or replace function public.chatkit_json_array(p_value jsonb, p_what text) returns jsonb
language plpgsql immutable security invoker set search_path = '' as $$
begin
  if p_value is null or p_value = 'null'::jsonb then
    return '[]'::jsonb;
  end if;
  if jsonb_typeof(p_value) <> 'array' then
    raise exception 'chatkit: % must be a JSON array', p_what using errcode = 'PT400';
  end if;
  return p_value;
end
$$;

-- Adds items to one of the caller's live threads and links attachments to it (their thread_id is set), all or nothing.
-- Attachments are saved first, then the items in array order (so they keep that order in pages).
create or replace function public.chatkit_add_thread_items(p_thread_id text, p_items jsonb,
  p_attachments jsonb default '[]'::jsonb, p_max_bytes integer default 1048576) returns void
language plpgsql volatile security invoker set search_path = '' set timezone = 'UTC' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_items jsonb := public.chatkit_json_array(p_items, 'items');
  v_attachments jsonb := public.chatkit_json_array(p_attachments, 'attachments');
  v_value jsonb;
begin
  if not exists (select 1 from public.chatkit_threads
                 where id = p_thread_id and user_id = v_user and deleted_at is null) then
    raise exception 'chatkit: thread % not found', p_thread_id using errcode = 'PT404';
  end if;
  for v_value in select value from jsonb_array_elements(v_attachments) loop
    if jsonb_typeof(v_value) <> 'object' then
      raise exception 'chatkit: an attachment must be a JSON object' using errcode = 'PT400';
    end if;
    perform public.chatkit_save_attachment(v_value || jsonb_build_object('thread_id', p_thread_id));
  end loop;
  for v_value in select value from jsonb_array_elements(v_items) with ordinality as e(value, position)
                 order by position loop
    perform public.chatkit_add_thread_item(p_thread_id, v_value, p_max_bytes);
  end loop;
end
$$;

-- Saves a thread (an upsert, as chatkit_save_thread) together with its first items and attachments, all or nothing.
-- Returns the thread as chatkit_save_thread does.
create or replace function public.chatkit_create_thread_with_items(p_thread jsonb, p_items jsonb,
  p_attachments jsonb default '[]'::jsonb, p_max_bytes integer default 1048576) returns jsonb
language plpgsql volatile security invoker set search_path = '' set timezone = 'UTC' as $$
declare
  v_thread jsonb;
begin
  v_thread := public.chatkit_save_thread(p_thread);
  perform public.chatkit_add_thread_items(v_thread ->> 'id', p_items, p_attachments, p_max_bytes);
  return v_thread;
end
$$;

-- Deletes every item after `p_item_id` in the thread's (created_at, seq) order: what a retry removes before answering
-- that item again. Unknown thread or item → PT404. Returns the number of items deleted.
create or replace function public.chatkit_delete_items_after(p_thread_id text, p_item_id text) returns integer
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_created timestamptz;
  v_seq bigint;
  v_count integer;
begin
  update public.chatkit_threads set updated_at = now()
    where id = p_thread_id and user_id = v_user and deleted_at is null;
  if not found then
    raise exception 'chatkit: thread % not found', p_thread_id using errcode = 'PT404';
  end if;
  select created_at, seq into v_created, v_seq from public.chatkit_thread_items
    where id = p_item_id and thread_id = p_thread_id and user_id = v_user;
  if v_seq is null then
    raise exception 'chatkit: item % not found in thread %', p_item_id, p_thread_id using errcode = 'PT404';
  end if;
  delete from public.chatkit_thread_items
    where thread_id = p_thread_id and user_id = v_user and (created_at, seq) > (v_created, v_seq);
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- Saves a client tool call (normally now `completed`, with its output) and deletes every other pending client tool
-- call of the thread, all or nothing: what `threads.add_client_tool_output` writes. Returns the number deleted.
create or replace function public.chatkit_complete_client_tool_call(p_thread_id text, p_item jsonb,
  p_max_bytes integer default 1048576) returns integer
language plpgsql volatile security invoker set search_path = '' set timezone = 'UTC' as $$
declare
  v_count integer;
begin
  if p_item is null or jsonb_typeof(p_item) <> 'object' or p_item ->> 'type' is distinct from 'client_tool_call' then
    raise exception 'chatkit: the item must be a client_tool_call' using errcode = 'PT400';
  end if;
  perform public.chatkit_add_thread_item(p_thread_id, p_item, p_max_bytes);
  delete from public.chatkit_thread_items
    where thread_id = p_thread_id and user_id = auth.uid() and type = 'client_tool_call'
      and id <> p_item ->> 'id' and coalesce(data ->> 'status', 'pending') = 'pending';
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- Privileges, as in 0001: signed-in users and the service role call the functions; anon does not.
do $$
declare
  f regprocedure;
begin
  for f in select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname in ('chatkit_json_array', 'chatkit_add_thread_items',
             'chatkit_create_thread_with_items', 'chatkit_delete_items_after',
             'chatkit_complete_client_tool_call') loop
    execute format('revoke execute on function %s from public, anon', f);
    execute format('grant execute on function %s to authenticated, service_role', f);
  end loop;
end
$$;
