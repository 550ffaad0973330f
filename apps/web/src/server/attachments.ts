import { join } from 'node:path';
import {
  type AttachmentStore,
  createBlobAttachmentStore,
  errorResponse,
  type HistoryConverterOptions,
  type RequestAuthenticator,
} from '@relaykit/agent-core';
import type { ChatKitStore, ChatKitStoreContext } from '@relaykit/chatkit-store';
import type { BlobStore } from '@relaykit/image-gen';
import { createFilesystemBlobStore } from '@relaykit/image-gen/filesystem';
import { RequestError } from '@relaykit/sse-protocol';

/** Where the browser uploads and loads an attachment: `/api/chatkit/attachments/<id>` (POST/PUT, GET). */
export const ATTACHMENT_BASE_URL = '/api/chatkit/attachments/';

/** What the composer may attach: images, PDFs and plain text, up to 10 MiB each. */
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'application/pdf',
  'text/plain',
  'text/markdown',
  'text/csv',
];
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The attachments' bytes: files under `<dataDir>/attachments`, URLs that point at the app's own route. */
export function createAttachmentBlobs(dataDir: string): BlobStore {
  const files = createFilesystemBlobStore({
    root: join(dataDir, 'attachments'),
    allowedContentTypes: ATTACHMENT_TYPES,
    maxBytes: ATTACHMENT_MAX_BYTES,
  });
  // `chatkit-attachments/<id>` → `/api/chatkit/attachments/<id>` (the route checks the owner before serving).
  return { ...files, url: async (path) => `${ATTACHMENT_BASE_URL}${path.split('/').at(-1)}` };
}

/** ChatKit's two-phase upload for the app: `attachments.create`, then the bytes to the upload route. */
export function createAppAttachmentStore(
  blobs: BlobStore,
  store: ChatKitStore<ChatKitStoreContext>,
): AttachmentStore<ChatKitStoreContext> {
  return createBlobAttachmentStore<ChatKitStoreContext>({
    blobs,
    store,
    uploadUrl: (id) => `${ATTACHMENT_BASE_URL}${id}`,
    allowedMimeTypes: ATTACHMENT_TYPES,
    maxBytes: ATTACHMENT_MAX_BYTES,
  });
}

/**
 * How attachments reach the model: a line naming each file. (The model cannot fetch the app's URLs; a production app
 * would send images as data URLs and files through the Files API.)
 */
export const attachmentHistory: HistoryConverterOptions = {
  attachmentToContent: (attachment) => [
    {
      type: 'input_text',
      text: `[The user attached ${attachment.type === 'image' ? 'an image' : 'a file'}: ${attachment.name} (${attachment.mime_type})]`,
    },
  ],
};

/**
 * A `Content-Disposition` for any file name (RFC 6266): an ASCII `filename` fallback and the exact name as UTF-8 in
 * `filename*`. A header value holds only bytes, so a name with characters above U+00FF must not go in as is.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name.replace(/[\ud800-\udfff]/gu, '\ufffd')).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * `GET /api/chatkit/attachments/<id>`: the bytes of one of the caller's attachments (the store loads it as the caller,
 * so another user's id is the 404 of a missing one). Images are served inline, anything else as a download, never
 * sniffed.
 */
export function createAttachmentFileHandler(
  blobs: BlobStore,
  store: ChatKitStore<ChatKitStoreContext>,
  authenticate: RequestAuthenticator,
  onUnexpectedError?: (error: unknown) => void,
) {
  return async (request: Request): Promise<Response> => {
    try {
      const user = await authenticate(request);
      // Ids are plain ASCII: the raw segment is checked as is, so a malformed escape (`%E0%A4%A`) is a 404, not a throw.
      const id = new URL(request.url).pathname.split('/').filter(Boolean).at(-1) ?? '';
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id))
        throw new RequestError('not_found', 'There is no such attachment.');
      const attachment = await store.loadAttachment(id, { userId: user.userId });
      const path = (attachment.metadata as { blob_path?: unknown } | null | undefined)?.blob_path;
      const blob = typeof path === 'string' ? await blobs.get(path) : undefined;
      if (!blob) throw new RequestError('not_found', 'The attachment has no bytes yet.');
      const inline = attachment.mime_type.startsWith('image/');
      return new Response(blob.bytes as Uint8Array<ArrayBuffer>, {
        headers: {
          'content-type': attachment.mime_type,
          'content-length': String(blob.size),
          'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', attachment.name),
          'cache-control': 'private, max-age=3600',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
        },
      });
    } catch (error) {
      return errorResponse(error, onUnexpectedError ? { onUnexpectedError } : {});
    }
  };
}
