-- @relaykit/usage-tracker 0002: rate limits and spending budgets, decided inside the database.
--
-- usage_rate_limit(): one call per decision, exact under concurrency (the key's row is locked for the decision),
-- timed by the database clock (clock_timestamp(), read after the lock), never the caller's clock. Algorithms:
--   fixed_window   at most p_limit units per aligned window of p_window_ms;
--   sliding_window previous window weighted by the part of it still inside the sliding window, plus the current one;
--   token_bucket   a bucket of p_limit tokens refilled by p_refill_rate tokens every p_window_ms.
-- p_cost weighs a call (1 per request, or tokens, or micro-dollars); a denied call consumes nothing.
--
-- usage_budget_charge(): spend caps per UTC day or month; reserve (checked) and settle (forced adjustment).
-- Both tables are reachable only through the service role (RLS on, no policy for API roles).

create table if not exists public.usage_rate_limit_counters (
  key text primary key check (octet_length(key) between 1 and 256),
  algorithm text not null,
  window_id bigint,
  used bigint,
  previous_used bigint,
  tokens bigint,
  refilled_at_ms bigint,
  expires_at timestamptz not null
);

create index if not exists usage_rate_limit_counters_expires_idx on public.usage_rate_limit_counters (expires_at);
alter table public.usage_rate_limit_counters enable row level security;
revoke all on public.usage_rate_limit_counters from public, anon, authenticated;
grant all on public.usage_rate_limit_counters to service_role;

create or replace function public.usage_rate_limit(
  p_key text,
  p_algorithm text,
  p_limit bigint,
  p_window_ms bigint,
  p_cost bigint default 1,
  p_refill_rate bigint default null
) returns table (success boolean, "limit" bigint, remaining bigint, reset_ms bigint, retry_after_ms bigint, now_ms bigint)
language plpgsql
set search_path = ''
as $$
declare
  v_state public.usage_rate_limit_counters%rowtype;
  v_now bigint;
  v_window bigint;
  v_elapsed bigint;
  v_used bigint;
  v_prev bigint;
  v_tokens bigint;
  v_refilled bigint;
  v_intervals bigint;
  v_ok boolean;
  v_remaining bigint;
  v_reset bigint;
  v_retry bigint := 0;
  v_expires bigint;
  v_needed bigint;
begin
  if p_key is null or octet_length(p_key) < 1 or octet_length(p_key) > 256 then
    raise exception 'usage_rate_limit: key must be 1 to 256 bytes' using errcode = '22023';
  end if;
  if p_algorithm is null or p_algorithm not in ('fixed_window', 'sliding_window', 'token_bucket') then
    raise exception 'usage_rate_limit: unknown algorithm %', p_algorithm using errcode = '22023';
  end if;
  if p_limit is null or p_limit < 1 or p_window_ms is null or p_window_ms < 1 or p_cost is null or p_cost < 0 then
    raise exception 'usage_rate_limit: limit and window must be positive, cost non-negative' using errcode = '22023';
  end if;
  if p_algorithm = 'token_bucket' and (p_refill_rate is null or p_refill_rate < 1) then
    raise exception 'usage_rate_limit: token_bucket needs a positive refill rate' using errcode = '22023';
  end if;

  insert into public.usage_rate_limit_counters as c (key, algorithm, expires_at)
  values (p_key, '', clock_timestamp() + make_interval(secs => p_window_ms / 1000.0))
  on conflict (key) do nothing;
  select * into v_state from public.usage_rate_limit_counters c where c.key = p_key for update;
  -- Read the clock only once the row is ours, so decisions on one key are ordered by time.
  v_now := floor(extract(epoch from clock_timestamp()) * 1000)::bigint;

  if p_algorithm = 'fixed_window' then
    v_window := v_now / p_window_ms;
    v_used := case when v_state.algorithm = p_algorithm and v_state.window_id = v_window then v_state.used else 0 end;
    v_ok := v_used + p_cost <= p_limit;
    if v_ok then v_used := v_used + p_cost; end if;
    v_remaining := greatest(p_limit - v_used, 0);
    v_reset := (v_window + 1) * p_window_ms;
    if not v_ok then v_retry := v_reset - v_now; end if;
    v_expires := v_reset;
    update public.usage_rate_limit_counters c
      set algorithm = p_algorithm, window_id = v_window, used = v_used, previous_used = null, tokens = null,
          refilled_at_ms = null, expires_at = to_timestamp(v_expires / 1000.0)
      where c.key = p_key;
  elsif p_algorithm = 'sliding_window' then
    v_window := v_now / p_window_ms;
    v_elapsed := v_now - v_window * p_window_ms;
    if v_state.algorithm = p_algorithm and v_state.window_id = v_window then
      v_used := v_state.used; v_prev := v_state.previous_used;
    elsif v_state.algorithm = p_algorithm and v_state.window_id = v_window - 1 then
      v_used := 0; v_prev := v_state.used;
    else
      v_used := 0; v_prev := 0;
    end if;
    -- estimate = prev * (window - elapsed) / window + used, compared in integers (times window).
    v_ok := v_prev * (p_window_ms - v_elapsed) + (v_used + p_cost) * p_window_ms <= p_limit * p_window_ms;
    if v_ok then v_used := v_used + p_cost; end if;
    v_remaining := greatest(floor((p_limit * p_window_ms - v_prev * (p_window_ms - v_elapsed) - v_used * p_window_ms)::numeric / p_window_ms)::bigint, 0);
    v_reset := (v_window + 1) * p_window_ms;
    if not v_ok then
      if v_used + p_cost <= p_limit and v_prev > 0 then
        -- wait until the previous window's weight has shrunk enough
        v_needed := ceil(p_window_ms - ((p_limit - v_used - p_cost) * p_window_ms)::numeric / v_prev)::bigint;
        v_retry := greatest(v_needed - v_elapsed, 1);
      else
        v_retry := v_reset - v_now;
      end if;
    end if;
    v_expires := v_reset + p_window_ms;
    update public.usage_rate_limit_counters c
      set algorithm = p_algorithm, window_id = v_window, used = v_used, previous_used = v_prev, tokens = null,
          refilled_at_ms = null, expires_at = to_timestamp(v_expires / 1000.0)
      where c.key = p_key;
  else
    if v_state.algorithm = p_algorithm and v_state.tokens is not null then
      v_intervals := greatest((v_now - v_state.refilled_at_ms) / p_window_ms, 0);
      v_tokens := least(p_limit, v_state.tokens + v_intervals * p_refill_rate);
      v_refilled := v_state.refilled_at_ms + v_intervals * p_window_ms;
      if v_tokens = p_limit then v_refilled := greatest(v_refilled, v_now - p_window_ms + 1); end if;
    else
      v_tokens := p_limit;
      v_refilled := v_now;
    end if;
    v_ok := v_tokens >= p_cost;
    if v_ok then v_tokens := v_tokens - p_cost; end if;
    v_remaining := v_tokens;
    v_reset := v_refilled + p_window_ms;
    if not v_ok then
      v_retry := greatest(v_refilled + ceil((p_cost - v_tokens)::numeric / p_refill_rate)::bigint * p_window_ms - v_now, 1);
    end if;
    v_expires := v_refilled + (ceil((p_limit - v_tokens)::numeric / p_refill_rate)::bigint + 1) * p_window_ms;
    update public.usage_rate_limit_counters c
      set algorithm = p_algorithm, window_id = null, used = null, previous_used = null, tokens = v_tokens,
          refilled_at_ms = v_refilled, expires_at = to_timestamp(v_expires / 1000.0)
      where c.key = p_key;
  end if;

  return query select v_ok, p_limit, v_remaining, v_reset, v_retry, v_now;
end
$$;

-- Deletes counters whose state no longer matters; run it from a scheduled job (pg_cron) now and then.
create or replace function public.usage_rate_limit_prune() returns bigint
language sql
set search_path = ''
as $$
  with gone as (
    delete from public.usage_rate_limit_counters c where c.expires_at < clock_timestamp() returning 1
  )
  select count(*)::bigint from gone
$$;

create table if not exists public.usage_budget_spend (
  key text not null check (octet_length(key) between 1 and 256),
  period text not null check (period in ('day', 'month')),
  period_start timestamptz not null,
  spent_micros bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (key, period, period_start)
);

alter table public.usage_budget_spend enable row level security;
revoke all on public.usage_budget_spend from public, anon, authenticated;
grant all on public.usage_budget_spend to service_role;

-- Charges p_amount_micros against the cap of the current UTC day or month (database clock), or of p_period_start
-- when given (settling a reservation made in an earlier period). Checked unless p_force: a charge that would pass
-- the cap is refused and changes nothing. A negative amount refunds (never below zero).
create or replace function public.usage_budget_charge(
  p_key text,
  p_period text,
  p_limit_micros bigint,
  p_amount_micros bigint,
  p_force boolean default false,
  p_period_start timestamptz default null
) returns table (success boolean, limit_micros bigint, spent_micros bigint, period_start timestamptz, reset_ms bigint, now_ms bigint)
language plpgsql
set search_path = ''
as $$
declare
  v_start timestamptz;
  v_spent bigint;
  v_now timestamptz := clock_timestamp();
begin
  if p_key is null or octet_length(p_key) < 1 or octet_length(p_key) > 256 then
    raise exception 'usage_budget_charge: key must be 1 to 256 bytes' using errcode = '22023';
  end if;
  if p_period is null or p_period not in ('day', 'month') then
    raise exception 'usage_budget_charge: period must be day or month' using errcode = '22023';
  end if;
  if p_limit_micros is null or p_limit_micros < 0 or p_amount_micros is null then
    raise exception 'usage_budget_charge: limit must be non-negative and amount given' using errcode = '22023';
  end if;
  v_start := coalesce(p_period_start, date_trunc(p_period, v_now at time zone 'utc') at time zone 'utc');

  insert into public.usage_budget_spend as b (key, period, period_start, spent_micros)
  values (p_key, p_period, v_start, 0)
  on conflict on constraint usage_budget_spend_pkey do nothing;

  update public.usage_budget_spend b
    set spent_micros = greatest(b.spent_micros + p_amount_micros, 0), updated_at = v_now
    where b.key = p_key and b.period = p_period and b.period_start = v_start
      and (p_force or p_amount_micros <= 0 or b.spent_micros + p_amount_micros <= p_limit_micros)
    returning b.spent_micros into v_spent;

  if v_spent is null then
    select b.spent_micros into v_spent from public.usage_budget_spend b
      where b.key = p_key and b.period = p_period and b.period_start = v_start;
    return query select false, p_limit_micros, v_spent, v_start,
      floor(extract(epoch from (v_start at time zone 'utc' + ('1 ' || p_period)::interval) at time zone 'utc') * 1000)::bigint,
      floor(extract(epoch from v_now) * 1000)::bigint;
  else
    return query select true, p_limit_micros, v_spent, v_start,
      floor(extract(epoch from (v_start at time zone 'utc' + ('1 ' || p_period)::interval) at time zone 'utc') * 1000)::bigint,
      floor(extract(epoch from v_now) * 1000)::bigint;
  end if;
end
$$;

revoke all on function public.usage_rate_limit(text, text, bigint, bigint, bigint, bigint) from public, anon, authenticated;
revoke all on function public.usage_rate_limit_prune() from public, anon, authenticated;
revoke all on function public.usage_budget_charge(text, text, bigint, bigint, boolean, timestamptz) from public, anon, authenticated;
grant execute on function public.usage_rate_limit(text, text, bigint, bigint, bigint, bigint) to service_role;
grant execute on function public.usage_rate_limit_prune() to service_role;
grant execute on function public.usage_budget_charge(text, text, bigint, bigint, boolean, timestamptz) to service_role;
