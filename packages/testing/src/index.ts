/**
 * `@relaykit/testing`: test doubles for RelayKit and its users. The fake OpenAI server, fixture replay and the
 * Supabase-shaped Postgres harness land with their issue; until then this entry is intentionally empty.
 */
export {};
