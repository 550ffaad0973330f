-- @relaykit/chatkit-store 0004: keyset pages that stay one index range scan under row-level security.
--
-- 0001 wrote the page bound as `(created_at, seq) < (coalesce(v_created, 'infinity'), coalesce(v_seq, ...))`. Inside a
-- PL/pgSQL function the statement gets a generic plan after a few calls; under RLS (role `authenticated`) a user qual is
-- only used as an index condition when it is leakproof, and coalesce() is not, so the bound became a filter: page 500
-- of a 10,000-thread user read and discarded 9,980 index entries (PGlite: 12x page 1). The same functions, with the
-- bounds computed into variables first, keep the bound in the index condition: every page reads `limit + 1` entries.

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
  -- The bounds are plain variables, never coalesce(...) inside the row comparison: under RLS a qual with coalesce()
  -- is not leakproof, so the planner may not use it as an index condition and filters the whole user's range instead.
  if p_order = 'asc' then
    v_created := coalesce(v_created, '-infinity');
    v_seq := coalesce(v_seq, -1);
    select coalesce(jsonb_agg(public.chatkit_thread_json(t) order by t.created_at, t.seq), '[]'::jsonb), count(*)
      into v_rows, v_count
      from (select * from public.chatkit_threads
            where user_id = v_user and deleted_at is null
              and (created_at, seq) > (v_created, v_seq)
            order by created_at, seq limit p_limit + 1) t;
  else
    v_created := coalesce(v_created, 'infinity');
    v_seq := coalesce(v_seq, 9223372036854775807);
    select coalesce(jsonb_agg(public.chatkit_thread_json(t) order by t.created_at desc, t.seq desc), '[]'::jsonb),
           count(*)
      into v_rows, v_count
      from (select * from public.chatkit_threads
            where user_id = v_user and deleted_at is null
              and (created_at, seq) < (v_created, v_seq)
            order by created_at desc, seq desc limit p_limit + 1) t;
  end if;
  if v_count > p_limit then
    v_rows := v_rows - p_limit;
    return jsonb_build_object('data', v_rows, 'has_more', true, 'after', v_rows -> (p_limit - 1) ->> 'id');
  end if;
  return jsonb_build_object('data', v_rows, 'has_more', false);
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
  -- The bounds are plain variables, never coalesce(...) inside the row comparison: under RLS a qual with coalesce()
  -- is not leakproof, so the planner may not use it as an index condition and filters the whole user's range instead.
  if p_order = 'asc' then
    v_created := coalesce(v_created, '-infinity');
    v_seq := coalesce(v_seq, -1);
    select coalesce(jsonb_agg(i.data order by i.created_at, i.seq), '[]'::jsonb), count(*) into v_rows, v_count
      from (select data, created_at, seq from public.chatkit_thread_items
            where thread_id = p_thread_id and user_id = v_user
              and (created_at, seq) > (v_created, v_seq)
            order by created_at, seq limit p_limit + 1) i;
  else
    v_created := coalesce(v_created, 'infinity');
    v_seq := coalesce(v_seq, 9223372036854775807);
    select coalesce(jsonb_agg(i.data order by i.created_at desc, i.seq desc), '[]'::jsonb), count(*)
      into v_rows, v_count
      from (select data, created_at, seq from public.chatkit_thread_items
            where thread_id = p_thread_id and user_id = v_user
              and (created_at, seq) < (v_created, v_seq)
            order by created_at desc, seq desc limit p_limit + 1) i;
  end if;
  if v_count > p_limit then
    v_rows := v_rows - p_limit;
    return jsonb_build_object('data', v_rows, 'has_more', true, 'after', v_rows -> (p_limit - 1) ->> 'id');
  end if;
  return jsonb_build_object('data', v_rows, 'has_more', false);
end
$$;

