-- @relaykit/usage-tracker 0006: a recent error carries the request id of the HTTP request that failed.
--
-- A failed request is recorded with the id its response carried (x-request-id) as metadata->>'request_id' (not the
-- request_id column: that is the record's idempotency key, unique per row, while one request may record several
-- calls). usage_recent_errors_v2 answers it as request_id and, with p_request_id, only that request's failures; the
-- partial index keeps that lookup cheap. usage_recent_errors (0003) stays as it was, for older package versions: a
-- new name rather than a changed signature, so re-applying the migrations in order never leaves two overloads.

create index if not exists openai_usage_user_error_request_idx
  on public.openai_usage (user_id, (metadata ->> 'request_id'))
  where error is not null;

-- The newest p_limit (1..100) failed calls of p_user_id, newest first; with p_request_id only those of that request.
-- Security invoker: under RLS a signed-in user reads only their own rows.
create or replace function public.usage_recent_errors_v2(
  p_user_id text,
  p_limit integer default 10,
  p_request_id text default null
)
returns table (created_at timestamptz, type text, model text, error text, error_code text, request_id text)
language plpgsql stable
set search_path = ''
as $$
begin
  -- Two statements, so the filtered one is planned with its own predicate (and can use the index above).
  if p_request_id is null then
    return query
      select u.created_at, u.type, u.model, u.error, u.metadata ->> 'error_code', u.metadata ->> 'request_id'
      from public.openai_usage u
      where u.user_id = p_user_id and u.error is not null
      order by u.created_at desc, u.id
      limit least(greatest(coalesce(p_limit, 10), 1), 100);
  else
    return query
      select u.created_at, u.type, u.model, u.error, u.metadata ->> 'error_code', u.metadata ->> 'request_id'
      from public.openai_usage u
      where u.user_id = p_user_id and u.error is not null and u.metadata ->> 'request_id' = p_request_id
      order by u.created_at desc, u.id
      limit least(greatest(coalesce(p_limit, 10), 1), 100);
  end if;
end
$$;

revoke all on function public.usage_recent_errors_v2(text, integer, text) from public, anon;
grant execute on function public.usage_recent_errors_v2(text, integer, text) to authenticated, service_role;
