-- @relaykit/chatkit-store 0004: full-text search over the caller's own threads.
--
-- `chatkit_search_threads(query, limit)` matches thread titles and the text of user and assistant messages (Postgres
-- full-text search, the `simple` configuration so every language is matched word by word; each word of the query
-- also matches as a prefix, so "deplo" finds "deployment"). It is `security invoker`: row-level security applies,
-- and the function scopes to `auth.uid()` as every chatkit_* function does. Answers
-- `{ data: [{ thread, snippet, rank }], has_more }`, best match first; the snippet marks matches with `**`.
-- Errors: PT400 for a limit outside 1..100, PT401 without a user.

-- The searchable text of an item's JSON: the `text` of its content parts (user and assistant messages).
create or replace function public.chatkit_item_search_text(p_data jsonb) returns text
language sql immutable parallel safe security invoker set search_path = '' as $$
  select coalesce(string_agg(part ->> 'text', ' '), '')
  from jsonb_array_elements(case when jsonb_typeof(p_data -> 'content') = 'array' then p_data -> 'content'
                                 else '[]'::jsonb end) as part
  where jsonb_typeof(part -> 'text') = 'string'
$$;

create index if not exists chatkit_thread_items_search
  on public.chatkit_thread_items
  using gin (to_tsvector('simple'::regconfig, public.chatkit_item_search_text(data)))
  where type in ('user_message', 'assistant_message');
create index if not exists chatkit_threads_title_search
  on public.chatkit_threads using gin (to_tsvector('simple'::regconfig, coalesce(title, '')))
  where deleted_at is null;

-- The query's words (letters and digits), each as a prefix, all required: "Deploy the app" → 'deploy':* & 'the':* & 'app':*.
create or replace function public.chatkit_search_query(p_query text) returns tsquery
language sql immutable parallel safe security invoker set search_path = '' as $$
  select case when count(*) = 0 then null
              else to_tsquery('simple', string_agg(quote_literal(word) || ':*', ' & ')) end
  from (select distinct word from regexp_split_to_table(lower(coalesce(p_query, '')), '[^[:alnum:]]+') as word
        where word <> '' limit 16) words
$$;

create or replace function public.chatkit_search_threads(p_query text, p_limit integer default 20) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_user uuid := public.chatkit_current_user();
  v_query tsquery := public.chatkit_search_query(p_query);
  v_rows jsonb;
  v_count integer;
begin
  if p_limit is null or p_limit < 1 or p_limit > 100 then
    raise exception 'chatkit: search limit must be from 1 to 100' using errcode = 'PT400';
  end if;
  if v_query is null then
    return jsonb_build_object('data', '[]'::jsonb, 'has_more', false);
  end if;
  with item_hits as (
    select i.thread_id, i.data, i.created_at,
           ts_rank(to_tsvector('simple'::regconfig, public.chatkit_item_search_text(i.data)), v_query) as rank
    from public.chatkit_thread_items i
    where i.user_id = v_user and i.type in ('user_message', 'assistant_message')
      and to_tsvector('simple'::regconfig, public.chatkit_item_search_text(i.data)) @@ v_query
  ),
  best_items as (
    select distinct on (thread_id) thread_id, data, rank
    from item_hits order by thread_id, rank desc, created_at desc
  ),
  hits as (
    select t as thread_row, t.created_at, t.seq, b.data as best_item,
           coalesce(b.rank, 0)
             + case when to_tsvector('simple'::regconfig, coalesce(t.title, '')) @@ v_query then 1 else 0 end as rank
    from public.chatkit_threads t
    left join best_items b on b.thread_id = t.id
    where t.user_id = v_user and t.deleted_at is null
      and (b.thread_id is not null or to_tsvector('simple'::regconfig, coalesce(t.title, '')) @@ v_query)
    order by rank desc, t.created_at desc, t.seq desc
    limit p_limit + 1
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'thread', public.chatkit_thread_json(h.thread_row),
           'snippet', ts_headline('simple'::regconfig,
             coalesce(nullif(public.chatkit_item_search_text(h.best_item), ''), (h.thread_row).title, ''),
             v_query, 'StartSel=**, StopSel=**, MaxWords=24, MinWords=8, ShortWord=1, MaxFragments=1'),
           'rank', h.rank)
         order by h.rank desc, h.created_at desc, h.seq desc), '[]'::jsonb),
         count(*)
    into v_rows, v_count
    from hits h;
  if v_count > p_limit then
    return jsonb_build_object('data', v_rows - p_limit, 'has_more', true);
  end if;
  return jsonb_build_object('data', v_rows, 'has_more', false);
end
$$;

revoke execute on function public.chatkit_item_search_text(jsonb) from public, anon;
revoke execute on function public.chatkit_search_query(text) from public, anon;
revoke execute on function public.chatkit_search_threads(text, integer) from public, anon;
grant execute on function public.chatkit_item_search_text(jsonb) to authenticated, service_role;
grant execute on function public.chatkit_search_query(text) to authenticated, service_role;
grant execute on function public.chatkit_search_threads(text, integer) to authenticated, service_role;
