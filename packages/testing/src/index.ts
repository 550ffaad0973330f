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
export {
  type FakeUploadedFile,
  offlineTranscript,
  TRANSCRIPTION_FILE_EXTENSIONS,
} from './openai/audio-transcriptions';
export { encodePng } from './openai/images';
export { FLAGGED_WORDS } from './openai/moderations';
export {
  type ReplayedResponse,
  type ReplayOptions,
  type ReplayRequest,
  replayFixture,
} from './openai/replay';
export {
  FakeEndpoint,
  FakeErrorReply,
  FakeFaults,
  FakeMatch,
  FakeReply,
  type FakeReplyFunction,
  type FakeRequestInfo,
  FakeRule,
  FakeScript,
  FakeToolCall,
  FakeUsageOptions,
  offlineReplyText,
} from './openai/script';
export {
  createFakeOpenAI,
  DEFAULT_FAKE_MODELS,
  type FakeOpenAI,
  type FakeOpenAICall,
  type FakeOpenAIOptions,
} from './openai/server';
export { countInputTokens, countTokens, MESSAGE_OVERHEAD_TOKENS, splitIntoTokens } from './openai/tokens';
export {
  isProcessTreeAlive,
  type ProcessTree,
  type SpawnProcessTreeOptions,
  spawnProcessTree,
} from './process-tree';
