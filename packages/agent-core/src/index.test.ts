import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/agent-core', () => {
  expect(Object.keys(api).sort()).toEqual(['RelayKitError', 'isRelayKitError']);
});
