/**
 * `@relaykit/testing`: test doubles for RelayKit and its users: recorded OpenAI fixtures, a faithful
 * OpenAI-compatible fake server, and a Supabase-shaped Postgres harness (`@relaykit/testing/postgres`).
 */
export {
  listOpenAIFixtures,
  OPENAI_FIXTURES_DIR,
  type OpenAIFixture,
  type OpenAIFixtureFormat,
  readOpenAIFixture,
} from './fixtures';
