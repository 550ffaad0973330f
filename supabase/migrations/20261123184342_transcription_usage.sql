-- @relaykit/usage-tracker 0004: speech-to-text calls are recorded as their own kind, 'transcription'.
--
-- Widens openai_usage.type's check (declared inline by 0001, so Postgres named it openai_usage_type_check) in one
-- statement. Idempotent: dropping a missing constraint is a no-op and the widened one is added under the same name.

alter table public.openai_usage
  drop constraint if exists openai_usage_type_check,
  add constraint openai_usage_type_check check (type in ('chat', 'image', 'tool', 'embedding', 'transcription'));
