import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/next', () => {
  expect(Object.keys(api).sort()).toEqual([
    'MISSING_AUTH_MESSAGE',
    'RelayKitError',
    'createAttachmentUploadRoute',
    'createChatKitRoute',
    'createChatStreamRoute',
    'createEnvironmentAuthenticator',
    'createHealthRoute',
    'createImageRoutes',
    'createNextWaitUntil',
    'createThreadSearchRoute',
    'createUsageRoute',
    'isRelayKitError',
    'nextWaitUntil',
    'readRelayKitConfig',
  ]);
});
