import { expect, it } from 'vitest';
import * as cli from './cli';

it('pins the exported names of @relaykit/testing/cli', () => {
  expect(Object.keys(cli).sort()).toEqual(['runFakeOpenAICli', 'runFakeOpenAICliProcess']);
});
