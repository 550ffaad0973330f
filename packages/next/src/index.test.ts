import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/next', () => {
  expect(Object.keys(api).sort()).toEqual([
    'RelayKitError',
    'createAttachmentUploadRoute',
    'createChatKitRoute',
    'createChatStreamRoute',
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
