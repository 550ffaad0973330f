import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/testing', () => {
  expect(Object.keys(api).sort()).toEqual(
    [
      'DEFAULT_FAKE_MODELS',
      'FLAGGED_WORDS',
      'FakeEndpoint',
      'FakeErrorReply',
      'FakeFaults',
      'FakeMatch',
      'FakeReply',
      'FakeRule',
      'FakeScript',
      'FakeToolCall',
      'FakeUsageOptions',
      'MESSAGE_OVERHEAD_TOKENS',
      'OPENAI_FIXTURES_DIR',
      'countInputTokens',
      'countTokens',
      'createFakeOpenAI',
      'encodePng',
      'isProcessTreeAlive',
      'listOpenAIFixtures',
      'offlineReplyText',
      'offlineTranscript',
      'TRANSCRIPTION_FILE_EXTENSIONS',
      'readOpenAIFixture',
      'replayFixture',
      'spawnProcessTree',
      'splitIntoTokens',
    ].sort(),
  );
});
