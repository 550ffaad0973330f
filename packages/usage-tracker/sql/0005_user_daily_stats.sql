-- @relaykit/usage-tracker 0005: one user's daily totals, for that user's usage dashboard.
--
-- usage_daily_stats (0001) is platform-wide: under RLS a signed-in user sees only their own rows, but a service-role
-- connection sees every user's. usage_user_daily_stats filters by p_user_id, so a server holding the service role
-- still answers only the caller's days. Same columns (openai_daily_stats); users is 1 on every day with calls.
-- Security invoker like the others: under RLS a signed-in user asking for someone else gets no rows.

create or replace function public.usage_user_daily_stats(p_user_id text, p_from timestamptz, p_to timestamptz)
returns setof public.openai_daily_stats
language sql stable
set search_path = ''
as $$
  select
    (u.created_at at time zone 'utc')::date,
    count(*)::bigint,
    count(distinct u.user_id)::bigint,
    coalesce(sum(u.prompt_tokens), 0)::bigint,
    coalesce(sum(u.completion_tokens), 0)::bigint,
    coalesce(sum(u.total_tokens), 0)::bigint,
    coalesce(sum(u.cost_micros), 0)::bigint,
    (coalesce(sum(u.cost_micros), 0) / 1000000.0)::numeric(18, 6),
    (coalesce(sum(u.cost_micros), 0) / count(*))::bigint,
    count(*) filter (where u.cost_micros is null)::bigint,
    count(*) filter (where u.error is not null)::bigint
  from public.openai_usage u
  where u.user_id = p_user_id and u.created_at >= p_from and u.created_at < p_to
  group by 1
  order by 1
$$;

revoke all on function public.usage_user_daily_stats(text, timestamptz, timestamptz) from public, anon;
grant execute on function public.usage_user_daily_stats(text, timestamptz, timestamptz) to authenticated, service_role;
