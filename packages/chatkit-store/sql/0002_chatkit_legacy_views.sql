-- @relaykit/chatkit-store 0002: read-only views in the table shapes teams already have, over the ChatKit tables.
--
-- `security_invoker = true` makes each view run with the caller's rights, so the RLS of the ChatKit tables applies:
-- a signed-in user sees only their own rows. The views are read-only; write through the chatkit_* functions.
-- Differences from the hand-built tables: session ids are ChatKit thread ids (text, `thr_…`), not uuids.
-- To move existing rows in, see docs/architecture/chatkit-store.md ("Migrating from ai_chat_sessions").

-- Scenario A: ai_chat_sessions (one row per live thread).
create or replace view public.ai_chat_sessions with (security_invoker = true) as
select
  t.id,
  t.user_id,
  t.title,
  (t.status ->> 'type') = 'active' as is_active,
  t.created_at,
  t.updated_at
from public.chatkit_threads t
where t.deleted_at is null;

-- Scenario A: ai_chat_messages (user and assistant messages; text parts joined). `agent_type` comes from the item
-- (`data.agent_type`) or else the thread metadata; `metadata` carries {tokens_used, processing_time, model} when the
-- writer stored them in the item's `metadata` key.
create or replace view public.ai_chat_messages with (security_invoker = true) as
select
  i.id,
  i.thread_id as session_id,
  i.user_id,
  coalesce(
    (select string_agg(part ->> 'text', '' order by ordinality)
     from jsonb_array_elements(coalesce(i.data -> 'content', '[]'::jsonb)) with ordinality as c(part, ordinality)
     where part ? 'text'),
    ''
  ) as content,
  case i.type when 'user_message' then 'user' else 'assistant' end as role,
  coalesce(i.data ->> 'agent_type', t.metadata ->> 'agent_type') as agent_type,
  jsonb_strip_nulls(jsonb_build_object(
    'tokens_used', i.data -> 'metadata' -> 'tokens_used',
    'processing_time', i.data -> 'metadata' -> 'processing_time',
    'model', i.data -> 'metadata' -> 'model'
  )) as metadata,
  i.created_at
from public.chatkit_thread_items i
join public.chatkit_threads t on t.id = i.thread_id and t.deleted_at is null
where i.type in ('user_message', 'assistant_message');

-- Scenario C: assistant_threads (user_id, thread_id).
create or replace view public.assistant_threads with (security_invoker = true) as
select t.user_id, t.id as thread_id, t.created_at
from public.chatkit_threads t
where t.deleted_at is null;

revoke all on public.ai_chat_sessions, public.ai_chat_messages, public.assistant_threads from anon;
grant select on public.ai_chat_sessions, public.ai_chat_messages, public.assistant_threads
  to authenticated, service_role;
