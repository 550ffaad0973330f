import { expect, it } from 'vitest';
import * as api from './cookies';

it('pins the exported names of @relaykit/next/cookies', () => {
  expect(Object.keys(api).sort()).toEqual(['createSupabaseCookieAuthenticator']);
});
