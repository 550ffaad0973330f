import { createMemoryStore } from '@relaykit/chatkit-store';
import { createMemoryBlobStore } from '@relaykit/image-gen';
import { createFakeOpenAI } from '@relaykit/testing';
import { expect, it } from 'vitest';
import {
  createAttachmentUploadHandler,
  createBlobAttachmentStore,
  createChatKitServer,
  createModelAccess,
  createOpenAITranscriber,
} from '../index';

it('README: two-phase attachments and dictation (input.transcribe)', async () => {
  const fake = await createFakeOpenAI();
  const baseURL = fake.url;
  // --- attachments and transcription ---
  const store = createMemoryStore();
  const blobs = createMemoryBlobStore({ allowedContentTypes: ['image/png', 'application/pdf'] });
  const modelAccess = createModelAccess({ getApiKey: () => 'sk-user-key', baseURL });
  const server = createChatKitServer({
    store,
    async *respond() {},
    attachments: createBlobAttachmentStore({ blobs, store, uploadUrl: (id) => `/api/attachments/${id}` }),
    transcribe: createOpenAITranscriber({ modelAccess, language: 'en' }),
  });
  const upload = createAttachmentUploadHandler({ server, blobs });
  const context = { userId: 'user-1' };
  const chatkit = (body: unknown) =>
    server.handle(
      new Request('http://localhost/api/chatkit', { method: 'POST', body: JSON.stringify(body) }),
      context,
    );

  // attachments.create answers the upload descriptor; the client sends the bytes there (multipart `file` or raw PUT).
  const params = { name: 'notes.pdf', size: 4, mime_type: 'application/pdf' };
  const attachment = await (await chatkit({ type: 'attachments.create', params })).json();
  const form = new FormData();
  form.set('file', new File(['%PDF'], 'notes.pdf', { type: 'application/pdf' }));
  const uploadUrl = `http://localhost${attachment.upload_descriptor.url}`;
  const uploaded = await upload(new Request(uploadUrl, { method: 'POST', body: form }), context);

  // input.transcribe: base64 audio from the composer's dictation → { text }.
  const audio_base64 = btoa('RIFF....WAVEfmt ');
  const transcript = await (
    await chatkit({ type: 'input.transcribe', params: { audio_base64, mime_type: 'audio/wav' } })
  ).json(); // { text: '…' }
  // --- end attachments and transcription ---

  expect(attachment.upload_descriptor).toEqual({
    url: `/api/attachments/${attachment.id}`,
    method: 'POST',
    headers: {},
  });
  expect(uploaded.status).toBe(200);
  expect(await uploaded.json()).toMatchObject({ id: attachment.id, type: 'file' });
  expect(transcript).toEqual({ text: '[offline demo model] transcript of 16 bytes' });
  await fake.close();
});
