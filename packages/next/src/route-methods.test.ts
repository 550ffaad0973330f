import { createBlobAttachmentStore, createChatKitServer } from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createMemoryBlobStore } from '@relaykit/image-gen';
import { createMemoryStreamLog } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { createAttachmentUploadRoute } from './attachment-upload-route';
import { createChatStreamRoute } from './chat-stream-route';
import { createChatKitRoute } from './chatkit-route';
import { createHealthRoute } from './health-route';
import { createImageRoutes } from './image-routes';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const auth = { jwtSecret: SECRET };

/**
 * Next.js answers 405 itself for a method a route module does not export, so each factory must hand out only the
 * methods it means to serve. PUT (the one non-POST method that does work) is the rate-limited POST handler.
 */
describe('@relaykit/next routes export only their methods', () => {
  const store = createMemoryStore();
  const blobs = createMemoryBlobStore({ allowedContentTypes: ['application/pdf'] });
  const server = createChatKitServer({
    store,
    respond: async function* () {},
    attachments: createBlobAttachmentStore({ blobs, store, uploadUrl: (id) => `http://localhost/${id}` }),
  });

  it('POST only for the ChatKit route and both image routes', () => {
    expect(Object.keys(createChatKitRoute({ server, auth }))).toEqual(['POST']);
    const images = createImageRoutes({
      auth,
      client: { images: { generate: async () => ({}) } } as never,
      blobs: createMemoryBlobStore(),
    });
    expect(Object.keys(images.generate)).toEqual(['POST']);
    expect(Object.keys(images.batch)).toEqual(['POST']);
  });

  it('POST, GET, DELETE for the chat stream route; GET for health; no PATCH anywhere', () => {
    const chat = createChatStreamRoute({ server, auth, streamLog: createMemoryStreamLog() });
    expect(Object.keys(chat).sort()).toEqual(['DELETE', 'GET', 'POST']);
    expect(Object.keys(createHealthRoute({ checks: {} }))).toEqual(['GET']);
  });

  it('the attachment upload PUT is the same (rate-limited) handler as its POST', () => {
    const upload = createAttachmentUploadRoute({ server, blobs, auth });
    expect(Object.keys(upload).sort()).toEqual(['POST', 'PUT']);
    expect(upload.PUT).toBe(upload.POST);
  });
});
