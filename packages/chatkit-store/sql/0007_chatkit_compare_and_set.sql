-- @relaykit/chatkit-store 0007: compare-and-set on one item, so one writer of many wins.
--
-- The server claims a paused run (tool approvals) by changing or deleting its hidden item only when the item is still
-- what it read. Two server instances answering the same approval at the same instant both read the same item; the
-- `update`/`delete` below is one statement whose `where` compares the stored JSON with the expected one, so the second
-- writer waits for the first one's row lock, re-reads the row, no longer matches, and writes nothing (READ COMMITTED
-- re-checks the condition on the new row version). Exactly one call answers true.

-- Replaces the caller's item `p_expected ->> 'id'` of a live thread with `p_next`, or deletes it when `p_next` is null,
-- only when its stored JSON equals `p_expected`. Answers true when it wrote, false otherwise (changed, gone, another
-- user's). A `p_next` with another id → PT400; the checks of chatkit_add_thread_item apply to `p_next`.
create or replace function public.chatkit_compare_and_set_item(p_thread_id text, p_expected jsonb,
  p_next jsonb default null, p_max_bytes integer default 1048576) returns boolean
language plpgsql volatile security invoker set search_path = '' set timezone = 'UTC' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_id text := p_expected ->> 'id';
begin
  if p_expected is null or jsonb_typeof(p_expected) <> 'object' or coalesce(v_id, '') = '' then
    raise exception 'chatkit: compareAndSetItem needs the expected item with its id' using errcode = 'PT400';
  end if;
  if p_next is null or p_next = 'null'::jsonb then
    delete from public.chatkit_thread_items i
      where i.id = v_id and i.thread_id = p_thread_id and i.user_id = v_user and i.data = p_expected
        and exists (select 1 from public.chatkit_threads t
                    where t.id = p_thread_id and t.user_id = v_user and t.deleted_at is null);
    return found;
  end if;
  perform public.chatkit_check_item(p_thread_id, p_next, p_max_bytes);
  if p_next ->> 'id' is distinct from v_id then
    raise exception 'chatkit: compareAndSetItem replaces item %, not %', v_id, p_next ->> 'id' using errcode = 'PT400';
  end if;
  update public.chatkit_thread_items i
    set data = p_next, type = p_next ->> 'type', created_at = (p_next ->> 'created_at')::timestamptz
    where i.id = v_id and i.thread_id = p_thread_id and i.user_id = v_user and i.data = p_expected
      and exists (select 1 from public.chatkit_threads t
                  where t.id = p_thread_id and t.user_id = v_user and t.deleted_at is null);
  return found;
end
$$;

-- Privileges, as in 0001: signed-in users and the service role call the function; anon does not.
do $$
declare
  f regprocedure;
begin
  for f in select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname = 'chatkit_compare_and_set_item' loop
    execute format('revoke execute on function %s from public, anon', f);
    execute format('grant execute on function %s to authenticated, service_role', f);
  end loop;
end
$$;
