-- Demo data for local development (`supabase db reset` runs it after the migrations). Never run it in production.
-- Two demo users with fixed UUIDs:
--   ada@relaykit.dev  00000000-0000-4000-8000-00000000a0a0  scenario A (ai-chat-system, chatkit)
--   ben@relaykit.dev  00000000-0000-4000-8000-00000000b0b0  scenario B (health-agent)
-- Local password for both: relaykit-demo. Every statement is idempotent.

do $seed_users$
begin
  if exists (
    select 1 from information_schema.columns
    where table_schema = 'auth' and table_name = 'users' and column_name = 'encrypted_password'
  ) then
    -- A real Supabase auth schema: users that can sign in with email and password.
    execute $sql$
      insert into auth.users (
        instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
        raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
        confirmation_token, recovery_token, email_change, email_change_token_new
      )
      select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
             extensions.crypt('relaykit-demo', extensions.gen_salt('bf')), now(),
             '{"provider":"email","providers":["email"]}'::jsonb, u.meta, now(), now(), '', '', '', ''
      from (values
        ('00000000-0000-4000-8000-00000000a0a0'::uuid, 'ada@relaykit.dev', '{"name":"Ada (workflow demo)"}'::jsonb),
        ('00000000-0000-4000-8000-00000000b0b0'::uuid, 'ben@relaykit.dev', '{"name":"Ben (health demo)"}'::jsonb)
      ) as u (id, email, meta)
      on conflict (id) do nothing
    $sql$;
    execute $sql$
      insert into auth.identities (id, user_id, provider_id, provider, identity_data, last_sign_in_at, created_at, updated_at)
      select u.id, u.id, u.id::text, 'email', jsonb_build_object('sub', u.id::text, 'email', u.email), now(), now(), now()
      from auth.users u
      where u.id in ('00000000-0000-4000-8000-00000000a0a0', '00000000-0000-4000-8000-00000000b0b0')
      on conflict do nothing
    $sql$;
  else
    -- The minimal auth.users of a test harness (@relaykit/testing/postgres).
    insert into auth.users (id, email, raw_app_meta_data, raw_user_meta_data)
    values
      ('00000000-0000-4000-8000-00000000a0a0', 'ada@relaykit.dev', '{"provider":"email"}', '{"name":"Ada (workflow demo)"}'),
      ('00000000-0000-4000-8000-00000000b0b0', 'ben@relaykit.dev', '{"provider":"email"}', '{"name":"Ben (health demo)"}')
    on conflict (id) do nothing;
  end if;
end
$seed_users$;

-- Scenario A: one earlier conversation of Ada's, answered by the workflow designer.
insert into public.chatkit_threads (id, user_id, title, metadata, created_at, updated_at)
values (
  'thr_demo_workflow', '00000000-0000-4000-8000-00000000a0a0', 'Nightly export workflow',
  '{"scenario":"ai-chat-system","agentType":"workflow_designer"}', '2026-11-22T09:00:00Z', '2026-11-22T09:00:05Z'
)
on conflict (id) do nothing;

insert into public.chatkit_thread_items (id, thread_id, user_id, type, created_at, data)
values
  (
    'msg_demo_workflow_1', 'thr_demo_workflow', '00000000-0000-4000-8000-00000000a0a0', 'user_message',
    '2026-11-22T09:00:00Z',
    '{"id":"msg_demo_workflow_1","type":"user_message","thread_id":"thr_demo_workflow","created_at":"2026-11-22T09:00:00Z","content":[{"type":"input_text","text":"Design a workflow that exports orders every night."}],"attachments":[],"inference_options":{}}'
  ),
  (
    'msg_demo_workflow_2', 'thr_demo_workflow', '00000000-0000-4000-8000-00000000a0a0', 'assistant_message',
    '2026-11-22T09:00:05Z',
    '{"id":"msg_demo_workflow_2","type":"assistant_message","thread_id":"thr_demo_workflow","created_at":"2026-11-22T09:00:05Z","content":[{"type":"output_text","text":"Three steps: a 02:00 cron trigger, a query of yesterday''s orders, and an upload of the CSV to storage.","annotations":[]}]}'
  )
on conflict (id) do nothing;

-- A little usage history for the usage and billing views (one chat for each user).
insert into public.openai_usage (
  user_id, type, model, prompt_tokens, completion_tokens, cost_micros, request_id, metadata, created_at
)
values
  (
    '00000000-0000-4000-8000-00000000a0a0', 'chat', 'gpt-5-mini', 412, 186, 475, 'seed_req_ada_1',
    '{"scenario":"ai-chat-system","agentType":"workflow_designer"}', '2026-11-22T09:00:05Z'
  ),
  (
    '00000000-0000-4000-8000-00000000b0b0', 'chat', 'gpt-5-mini', 230, 61, 180, 'seed_req_ben_1',
    '{"scenario":"health-agent","deviceId":"watch-1"}', '2026-11-22T07:00:03Z'
  )
on conflict (request_id) do nothing;
