-- @relaykit/usage-tracker 0001: token usage and cost accounting.
--
-- Table openai_usage (one row per model call), views openai_usage_summary (per user) and openai_daily_stats
-- (per UTC day), and the functions every driver calls: usage_record, usage_summary, usage_daily_stats.
-- Money is stored as integer micro-dollars (cost_micros); estimated_cost (numeric dollars) is derived from it.
-- A NULL cost_micros means the model was unpriced: it is never counted as $0 silently (see unpriced_requests).
--
-- RLS: a signed-in user reads only their own rows; only the service role (BYPASSRLS) writes.
-- The first block creates Supabase's API roles and auth.uid() only when they are missing, so the embedded
-- PGlite driver works and the same migration is a no-op on a real Supabase project.

do $usage_platform$
declare
  role_name text;
begin
  foreach role_name in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = role_name) then
      begin
        execute format('create role %I nologin noinherit', role_name);
      exception when duplicate_object or unique_violation then
        null;
      end;
    end if;
  end loop;
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'service_role' and rolbypassrls) then
    alter role service_role bypassrls;
  end if;
  if not exists (select 1 from pg_catalog.pg_namespace where nspname = 'auth') then
    create schema auth;
    grant usage on schema auth to anon, authenticated, service_role;
  end if;
  if not exists (
    select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'auth' and p.proname = 'uid'
  ) then
    execute $fn$
      create function auth.uid() returns uuid language sql stable as $body$
        select coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $body$
    $fn$;
    grant execute on function auth.uid() to anon, authenticated, service_role;
  end if;
end
$usage_platform$;

grant usage on schema public to anon, authenticated, service_role;

create table if not exists public.openai_usage (
  id uuid primary key default gen_random_uuid(),
  user_id text not null check (octet_length(user_id) between 1 and 256),
  organization_id text check (organization_id is null or octet_length(organization_id) between 1 and 256),
  type text not null check (type in ('chat', 'image', 'tool', 'embedding')),
  model text not null check (octet_length(model) between 1 and 256),
  prompt_tokens bigint not null default 0 check (prompt_tokens >= 0),
  cached_tokens bigint not null default 0 check (cached_tokens >= 0),
  cache_write_tokens bigint not null default 0 check (cache_write_tokens >= 0),
  completion_tokens bigint not null default 0 check (completion_tokens >= 0),
  reasoning_tokens bigint not null default 0 check (reasoning_tokens >= 0),
  total_tokens bigint generated always as (prompt_tokens + completion_tokens) stored,
  images integer not null default 0 check (images >= 0),
  requests integer not null default 1 check (requests >= 0),
  cost_micros bigint check (cost_micros is null or cost_micros >= 0),
  estimated_cost numeric(18, 6) generated always as (cost_micros / 1000000.0) stored,
  request_id text check (request_id is null or octet_length(request_id) between 1 and 256),
  request_data jsonb,
  response_data jsonb,
  metadata jsonb not null default '{}'::jsonb,
  error text,
  created_at timestamptz not null default now()
);

create unique index if not exists openai_usage_request_id_key on public.openai_usage (request_id);
create index if not exists openai_usage_user_created_idx on public.openai_usage (user_id, created_at desc);
create index if not exists openai_usage_created_idx on public.openai_usage (created_at);

alter table public.openai_usage enable row level security;

drop policy if exists openai_usage_select_own on public.openai_usage;
create policy openai_usage_select_own on public.openai_usage
  for select to authenticated
  using (user_id = (select auth.uid())::text);

revoke all on public.openai_usage from public, anon, authenticated;
grant select on public.openai_usage to authenticated;
grant all on public.openai_usage to service_role;

-- Per user (security_invoker: RLS of openai_usage applies to whoever reads the view).
create or replace view public.openai_usage_summary with (security_invoker = true) as
select
  user_id,
  count(*) filter (where type = 'chat')::bigint as chat_requests,
  count(*) filter (where type = 'image')::bigint as image_requests,
  count(*)::bigint as total_requests,
  coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens,
  coalesce(sum(completion_tokens), 0)::bigint as completion_tokens,
  coalesce(sum(total_tokens), 0)::bigint as total_tokens,
  coalesce(sum(cached_tokens), 0)::bigint as cached_tokens,
  coalesce(sum(reasoning_tokens), 0)::bigint as reasoning_tokens,
  coalesce(sum(images), 0)::bigint as images,
  coalesce(sum(cost_micros), 0)::bigint as cost_micros,
  (coalesce(sum(cost_micros), 0) / 1000000.0)::numeric(18, 6) as estimated_cost,
  count(*) filter (where cost_micros is null)::bigint as unpriced_requests,
  count(*) filter (where error is not null)::bigint as failed_requests,
  max(created_at) as last_request_at
from public.openai_usage
group by user_id;

-- Per UTC day.
create or replace view public.openai_daily_stats with (security_invoker = true) as
select
  (created_at at time zone 'utc')::date as day,
  count(*)::bigint as requests,
  count(distinct user_id)::bigint as users,
  coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens,
  coalesce(sum(completion_tokens), 0)::bigint as completion_tokens,
  coalesce(sum(total_tokens), 0)::bigint as total_tokens,
  coalesce(sum(cost_micros), 0)::bigint as cost_micros,
  (coalesce(sum(cost_micros), 0) / 1000000.0)::numeric(18, 6) as estimated_cost,
  (coalesce(sum(cost_micros), 0) / count(*))::bigint as average_cost_micros_per_request,
  count(*) filter (where cost_micros is null)::bigint as unpriced_requests,
  count(*) filter (where error is not null)::bigint as failed_requests
from public.openai_usage
group by 1;

revoke all on public.openai_usage_summary, public.openai_daily_stats from public, anon, authenticated;
grant select on public.openai_usage_summary, public.openai_daily_stats to authenticated, service_role;

-- Records one call. Idempotent on request_id: a retried record returns the first row's id with duplicate = true.
create or replace function public.usage_record(
  p_user_id text,
  p_type text,
  p_model text,
  p_prompt_tokens bigint default 0,
  p_cached_tokens bigint default 0,
  p_cache_write_tokens bigint default 0,
  p_completion_tokens bigint default 0,
  p_reasoning_tokens bigint default 0,
  p_images integer default 0,
  p_requests integer default 1,
  p_cost_micros bigint default null,
  p_request_id text default null,
  p_organization_id text default null,
  p_request_data jsonb default null,
  p_response_data jsonb default null,
  p_metadata jsonb default null,
  p_error text default null
) returns table (id uuid, duplicate boolean)
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid;
begin
  insert into public.openai_usage (
    user_id, organization_id, type, model, prompt_tokens, cached_tokens, cache_write_tokens,
    completion_tokens, reasoning_tokens, images, requests, cost_micros, request_id,
    request_data, response_data, metadata, error
  ) values (
    p_user_id, p_organization_id, p_type, p_model, p_prompt_tokens, p_cached_tokens, p_cache_write_tokens,
    p_completion_tokens, p_reasoning_tokens, p_images, p_requests, p_cost_micros, p_request_id,
    p_request_data, p_response_data, coalesce(p_metadata, '{}'::jsonb), p_error
  )
  on conflict (request_id) do nothing
  returning openai_usage.id into v_id;
  if v_id is not null then
    return query select v_id, false;
  else
    return query select u.id, true from public.openai_usage u where u.request_id = p_request_id;
  end if;
end
$$;

-- Per-user totals over [p_from, p_to). Security invoker: a user sees only their own rows.
create or replace function public.usage_summary(p_user_id text, p_from timestamptz, p_to timestamptz)
returns setof public.openai_usage_summary
language sql stable
set search_path = ''
as $$
  select
    u.user_id,
    count(*) filter (where u.type = 'chat')::bigint,
    count(*) filter (where u.type = 'image')::bigint,
    count(*)::bigint,
    coalesce(sum(u.prompt_tokens), 0)::bigint,
    coalesce(sum(u.completion_tokens), 0)::bigint,
    coalesce(sum(u.total_tokens), 0)::bigint,
    coalesce(sum(u.cached_tokens), 0)::bigint,
    coalesce(sum(u.reasoning_tokens), 0)::bigint,
    coalesce(sum(u.images), 0)::bigint,
    coalesce(sum(u.cost_micros), 0)::bigint,
    (coalesce(sum(u.cost_micros), 0) / 1000000.0)::numeric(18, 6),
    count(*) filter (where u.cost_micros is null)::bigint,
    count(*) filter (where u.error is not null)::bigint,
    max(u.created_at)
  from public.openai_usage u
  where u.user_id = p_user_id and u.created_at >= p_from and u.created_at < p_to
  group by u.user_id
$$;

-- Daily totals over [p_from, p_to), oldest day first.
create or replace function public.usage_daily_stats(p_from timestamptz, p_to timestamptz)
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
  where u.created_at >= p_from and u.created_at < p_to
  group by 1
  order by 1
$$;

revoke all on function public.usage_record(text, text, text, bigint, bigint, bigint, bigint, bigint, integer, integer, bigint, text, text, jsonb, jsonb, jsonb, text) from public, anon, authenticated;
grant execute on function public.usage_record(text, text, text, bigint, bigint, bigint, bigint, bigint, integer, integer, bigint, text, text, jsonb, jsonb, jsonb, text) to service_role;
revoke all on function public.usage_summary(text, timestamptz, timestamptz) from public, anon;
revoke all on function public.usage_daily_stats(timestamptz, timestamptz) from public, anon;
grant execute on function public.usage_summary(text, timestamptz, timestamptz) to authenticated, service_role;
grant execute on function public.usage_daily_stats(timestamptz, timestamptz) to authenticated, service_role;
