-- @relaykit/usage-tracker 0003: a user's recent failed calls, for the usage dashboard.
--
-- Failed calls are openai_usage rows whose error is set (usage_record's p_error); their code, when the caller gave
-- one, is metadata->>'error_code'. Security invoker: under RLS a signed-in user reads only their own rows.

create index if not exists openai_usage_user_errors_idx
  on public.openai_usage (user_id, created_at desc) where error is not null;

-- The newest p_limit (1..100) failed calls of p_user_id, newest first.
create or replace function public.usage_recent_errors(p_user_id text, p_limit integer default 10)
returns table (created_at timestamptz, type text, model text, error text, error_code text)
language sql stable
set search_path = ''
as $$
  select u.created_at, u.type, u.model, u.error, u.metadata ->> 'error_code'
  from public.openai_usage u
  where u.user_id = p_user_id and u.error is not null
  order by u.created_at desc, u.id
  limit least(greatest(coalesce(p_limit, 10), 1), 100)
$$;

revoke all on function public.usage_recent_errors(text, integer) from public, anon;
grant execute on function public.usage_recent_errors(text, integer) to authenticated, service_role;
