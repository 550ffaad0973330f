-- @relaykit/sse-protocol: durable log of resumable streams (the Postgres StreamLog driver).
-- Events are stored in batches (one row per flush of the producer's write buffer), so a 1,000-token reply costs a
-- few dozen inserts, while every event keeps its own sequence number (first_sequence + position in the batch).
-- Readers are woken by NOTIFY on channel `relaykit_stream_log`. The payload is JSON: {"s": stream id, "st": state,
-- "f": first sequence, "l": last sequence, "e": [events]}; "e" is left out when the batch would not fit in a
-- notification (8,000 bytes), and then readers read the table. A caught-up reader needs no query at all.
-- Only the service role (and the owner) may touch these tables: RLS is on and no policy is granted.

create table if not exists public.relaykit_stream_logs (
  stream_id text primary key,
  state text not null default 'active' check (state in ('active', 'done', 'cancelled')),
  last_sequence bigint not null default 0,
  done_ttl_ms bigint not null,
  active_ttl_ms bigint not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

create index if not exists relaykit_stream_logs_expires_at on public.relaykit_stream_logs (expires_at);

create table if not exists public.relaykit_stream_log_batches (
  stream_id text not null references public.relaykit_stream_logs (stream_id) on delete cascade,
  first_sequence bigint not null,
  last_sequence bigint not null,
  events text[] not null,
  primary key (stream_id, first_sequence)
);

alter table public.relaykit_stream_logs enable row level security;
alter table public.relaykit_stream_log_batches enable row level security;

-- Starts a stream; false when a live stream with this id exists (an expired one is replaced).
create or replace function public.relaykit_stream_log_create(p_stream_id text, p_done_ttl_ms bigint, p_active_ttl_ms bigint)
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  delete from public.relaykit_stream_logs where stream_id = p_stream_id and expires_at <= now();
  insert into public.relaykit_stream_logs (stream_id, done_ttl_ms, active_ttl_ms, expires_at)
  values (p_stream_id, p_done_ttl_ms, p_active_ttl_ms, now() + p_active_ttl_ms * interval '1 millisecond')
  on conflict (stream_id) do nothing;
  return found;
end;
$$;

-- Appends one batch (events p_first .. p_first + n - 1), optionally finishing the stream as p_finish.
-- Returns the state after the call: 'missing' (unknown or expired), 'gap' (p_first is not last_sequence + 1),
-- or the stream's state (a cancelled stream takes no more events).
create or replace function public.relaykit_stream_log_append(
  p_stream_id text, p_first bigint, p_events text[], p_finish text default null
)
returns text
language plpgsql
set search_path = ''
as $$
declare
  v_log public.relaykit_stream_logs%rowtype;
  v_count bigint := coalesce(cardinality(p_events), 0);
  v_payload text;
begin
  select * into v_log from public.relaykit_stream_logs
  where stream_id = p_stream_id and expires_at > now() for update;
  if not found then return 'missing'; end if;
  if v_log.state <> 'active' then return v_log.state; end if;
  if p_first <> v_log.last_sequence + 1 then return 'gap'; end if;
  -- Commit without waiting for the WAL flush: a NOTIFYing commit holds a database-wide lock until it ends, so
  -- synchronous commits of concurrent streams would queue behind each other's fsync. A crash may lose the last
  -- fraction of a second of a live stream's events (the finished thread items live in the ChatKit store).
  perform set_config('synchronous_commit', 'off', true);
  if v_count > 0 then
    insert into public.relaykit_stream_log_batches (stream_id, first_sequence, last_sequence, events)
    values (p_stream_id, p_first, p_first + v_count - 1, p_events);
  end if;
  update public.relaykit_stream_logs set
    last_sequence = v_log.last_sequence + v_count,
    state = coalesce(p_finish, state),
    expires_at = now() + (case when p_finish is null then active_ttl_ms else done_ttl_ms end) * interval '1 millisecond'
  where stream_id = p_stream_id;
  v_payload := json_build_object(
    's', p_stream_id, 'st', coalesce(p_finish, 'active'), 'f', p_first, 'l', p_first + v_count - 1,
    'e', coalesce(p_events, array[]::text[])
  )::text;
  if octet_length(v_payload) >= 7900 then
    v_payload := json_build_object(
      's', p_stream_id, 'st', coalesce(p_finish, 'active'), 'f', p_first, 'l', p_first + v_count - 1
    )::text;
  end if;
  perform pg_notify('relaykit_stream_log', v_payload);
  return coalesce(p_finish, 'active');
end;
$$;

-- Cancels an active stream. Returns the state after the call, or 'missing'.
create or replace function public.relaykit_stream_log_cancel(p_stream_id text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  v_state text;
begin
  update public.relaykit_stream_logs set
    state = 'cancelled',
    expires_at = now() + done_ttl_ms * interval '1 millisecond'
  where stream_id = p_stream_id and expires_at > now() and state = 'active'
  returning state into v_state;
  if found then
    perform pg_notify('relaykit_stream_log', json_build_object('s', p_stream_id, 'st', 'cancelled')::text);
    return v_state;
  end if;
  select state into v_state from public.relaykit_stream_logs where stream_id = p_stream_id and expires_at > now();
  return coalesce(v_state, 'missing');
end;
$$;

-- Reads up to p_limit events after p_after in one round trip:
-- {"state": ..., "last": n, "events": [[sequence, data], ...]}, or null when the stream is unknown or expired.
create or replace function public.relaykit_stream_log_read(p_stream_id text, p_after bigint, p_limit integer default 1000)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'state', l.state,
    'last', l.last_sequence,
    'events', coalesce((
      select jsonb_agg(jsonb_build_array(e.sequence, e.data) order by e.sequence)
      from (
        select b.first_sequence + u.position - 1 as sequence, u.data
        from public.relaykit_stream_log_batches b
        cross join lateral unnest(b.events) with ordinality as u(data, position)
        where b.stream_id = l.stream_id and b.last_sequence > p_after and b.first_sequence + u.position - 1 > p_after
        order by 1
        limit p_limit
      ) e
    ), '[]'::jsonb)
  )
  from public.relaykit_stream_logs l
  where l.stream_id = p_stream_id and l.expires_at > now();
$$;

-- Deletes expired streams (their batches go with them). Returns how many streams were deleted.
create or replace function public.relaykit_stream_log_prune()
returns integer
language sql
set search_path = ''
as $$
  with deleted as (delete from public.relaykit_stream_logs where expires_at <= now() returning 1)
  select count(*)::integer from deleted;
$$;

revoke all on public.relaykit_stream_logs, public.relaykit_stream_log_batches from public;
revoke execute on function
  public.relaykit_stream_log_create(text, bigint, bigint),
  public.relaykit_stream_log_append(text, bigint, text[], text),
  public.relaykit_stream_log_cancel(text),
  public.relaykit_stream_log_read(text, bigint, integer),
  public.relaykit_stream_log_prune()
from public;

-- On Supabase (roles exist) only service_role may use the log; elsewhere these statements are skipped.
do $$
declare
  v_role text;
begin
  foreach v_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = v_role) then
      execute format('revoke all on public.relaykit_stream_logs, public.relaykit_stream_log_batches from %I', v_role);
      execute format('revoke execute on function public.relaykit_stream_log_create(text, bigint, bigint), '
        'public.relaykit_stream_log_append(text, bigint, text[], text), public.relaykit_stream_log_cancel(text), '
        'public.relaykit_stream_log_read(text, bigint, integer), public.relaykit_stream_log_prune() from %I', v_role);
    end if;
  end loop;
  if exists (select 1 from pg_roles where rolname = 'service_role') then
    grant select, insert, update, delete on public.relaykit_stream_logs, public.relaykit_stream_log_batches to service_role;
    grant execute on function public.relaykit_stream_log_create(text, bigint, bigint),
      public.relaykit_stream_log_append(text, bigint, text[], text), public.relaykit_stream_log_cancel(text),
      public.relaykit_stream_log_read(text, bigint, integer), public.relaykit_stream_log_prune() to service_role;
  end if;
end;
$$;
