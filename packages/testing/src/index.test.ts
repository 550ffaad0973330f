import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/testing', () => {
  expect(Object.keys(api).sort()).toEqual(['OPENAI_FIXTURES_DIR', 'listOpenAIFixtures', 'readOpenAIFixture']);
});
