import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/supabase-edge', () => {
  expect(Object.keys(api).sort()).toEqual([
    'MISSING_EDGE_AUTH_MESSAGE',
    'RelayKitError',
    'createEdgeHandler',
    'createEnvironmentAuthenticator',
    'createVaultApiKeyResolver',
    'isRelayKitError',
    'readEdgeConfig',
    'runtimeWaitUntil',
  ]);
});
