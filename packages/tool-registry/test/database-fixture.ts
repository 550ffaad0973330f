/** The schema, data and checksum query the database tool pack tests share (real Postgres and PGlite). */

export const ALICE = '11111111-1111-4111-8111-111111111111';
export const BOB = '22222222-2222-4222-8222-222222222222';

export const MIGRATION = `
create table public.widgets (
  id serial primary key,
  name text not null,
  dropdown text,
  deleted_at timestamptz,
  owner uuid
);
insert into public.widgets (name, dropdown, deleted_at) values
  ('alpha', 'menu', null), ('beta', 'select', '2026-01-01T00:00:00Z'), ('gamma', null, null);
create table public.notes (
  id serial primary key,
  user_id uuid not null,
  body text not null
);
alter table public.notes enable row level security;
create policy notes_owner_select on public.notes for select to authenticated using (user_id = auth.uid());
insert into public.notes (user_id, body) values
  ('${ALICE}', 'alice one'), ('${ALICE}', 'alice two'), ('${BOB}', 'bob secret');
create table public.orders (
  id serial primary key,
  widget_id int not null references public.widgets (id),
  amount numeric(10, 2) check (amount >= 0),
  unique (widget_id, amount)
);
create sequence public.counter;
create function public.bump() returns int language sql volatile as
  $$ insert into public.widgets (name) values ('bumped') returning id $$;
create function public.evil_definer() returns int language plpgsql security definer as
  $$ begin delete from public.widgets; return 1; end $$;
`;

/** A checksum of the schema (relations, columns, constraints, policies, functions, roles) and of all data. */
export const CHECKSUM_SQL = `
select md5(string_agg(line, E'\\n' order by line)) as checksum from (
  select format('col %s.%s.%s %s %s %s', table_schema, table_name, column_name, data_type, is_nullable, column_default) as line
    from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema')
  union all
  select format('rel %s.%s %s rls=%s', n.nspname, c.relname, c.relkind, c.relrowsecurity)
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
  union all
  select format('con %s %s', conname, pg_get_constraintdef(oid)) from pg_constraint
    where connamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  union all
  select format('pol %s.%s %s %s', schemaname, tablename, policyname, qual) from pg_policies
  union all
  select 'fn ' || p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname not in ('pg_catalog', 'information_schema')
  union all
  select format('role %s super=%s bypass=%s', rolname, rolsuper, rolbypassrls) from pg_roles
  union all
  select format('acl %s %s', c.relname, c.relacl) from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public'
  union all
  select 'widgets ' || md5(coalesce(string_agg(w::text, ',' order by w.id), '')) from public.widgets w
  union all
  select 'notes ' || md5(coalesce(string_agg(x::text, ',' order by x.id), '')) from public.notes x
  union all
  select 'orders ' || md5(coalesce(string_agg(o::text, ',' order by o.id), '')) from public.orders o
  union all
  select format('seq %s %s', last_value, is_called) from public.counter
  union all
  select format('lo %s', count(*)) from pg_largeobject_metadata
) lines`;
