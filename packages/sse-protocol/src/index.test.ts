import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/sse-protocol', () => {
  expect(Object.keys(api).sort()).toEqual([
    'ConfigurationError',
    'ProviderError',
    'RELAYKIT_ERROR_CODES',
    'RelayKitError',
    'RequestError',
    'StoreError',
    'httpStatusForCode',
    'isRelayKitError',
  ]);
});
