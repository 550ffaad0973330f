import type { ChatKitStore } from '@relaykit/chatkit-store';
import type { BlobStore } from '@relaykit/image-gen';
import { type Attachment, ConfigurationError, RequestError, readCapped } from '@relaykit/sse-protocol';
import {
  blobAttachmentMetadata,
  DEFAULT_ATTACHMENT_MAX_BYTES,
  mediaTypeOf,
  toWireAttachment,
} from '../server/attachments';
import { errorResponse, jsonResponse } from './errors';
import { requestIdOfContext } from './request-id';

/** Room for the multipart envelope (boundaries, part headers) on top of the declared size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Options of {@link createAttachmentUploadHandler}. Give `store` or `server` (its `store` is used). */
export interface AttachmentUploadHandlerOptions<TContext> {
  /** The ChatKit store holding the attachment metadata (ownership is checked through it). */
  store?: ChatKitStore<TContext>;
  /** The ChatKit server (`createChatKitServer()`), instead of `store`. */
  server?: { readonly store: ChatKitStore<TContext> };
  /** The same blob store given to `createBlobAttachmentStore`. */
  blobs: BlobStore;
  /**
   * The attachment id of an upload request. Default: the `attachment_id` query parameter, else the last path segment
   * (so `uploadUrl: (id) => \`/api/attachments/${id}\`` works as is).
   */
  attachmentId?: (request: Request) => string | undefined;
  /** Upper bound of any upload. Default {@link DEFAULT_ATTACHMENT_MAX_BYTES}. */
  maxBytes?: number;
  /** Called with unexpected (non-RelayKit) errors before they are answered as a generic 500. */
  onUnexpectedError?: (error: unknown) => void;
}

/** A Web-standard upload handler: `(request, context) => Promise<Response>`. */
export type AttachmentUploadHandler<TContext> = (request: Request, context: TContext) => Promise<Response>;

function defaultAttachmentId(request: Request): string | undefined {
  const url = new URL(request.url);
  const fromQuery = url.searchParams.get('attachment_id');
  if (fromQuery) return fromQuery;
  const last = url.pathname.split('/').filter(Boolean).at(-1);
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch (error) {
    throw new RequestError(
      'invalid_request',
      'The attachment id in the upload path is not valid percent-encoding.',
      {
        cause: error,
      },
    );
  }
}

/** Reads at most `limit` bytes of a body; more is `payload_too_large` (the stream is cancelled at once). */
function readBytes(request: Request, limit: number, declaredSize: number): Promise<Uint8Array<ArrayBuffer>> {
  return readCapped(request, limit, {
    tooLarge: () =>
      new RequestError('payload_too_large', `The upload is larger than the declared ${declaredSize} bytes.`, {
        details: { declaredSize },
      }),
  });
}

/** The uploaded bytes and their declared content type, from a multipart `file` field or a raw body. */
async function readUpload(
  request: Request,
  declaredSize: number,
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    return { bytes: await readBytes(request, declaredSize, declaredSize), contentType };
  }
  const raw = await readBytes(request, declaredSize + MULTIPART_OVERHEAD_BYTES, declaredSize);
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    throw new RequestError('invalid_request', 'The multipart upload could not be parsed.', { cause: error });
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string')
    throw new RequestError('invalid_request', 'The multipart upload needs a `file` field with the bytes.');
  return { bytes: new Uint8Array(await file.arrayBuffer()), contentType: file.type };
}

/** Checks the upload against what `attachments.create` declared. */
function checkUpload(
  attachment: Attachment,
  declaredSize: number,
  upload: { bytes: Uint8Array; contentType: string },
) {
  const size = upload.bytes.byteLength;
  if (size > declaredSize)
    throw new RequestError(
      'payload_too_large',
      `The upload is ${size} bytes; ${declaredSize} were declared.`,
      {
        details: { size, declaredSize },
      },
    );
  if (size !== declaredSize)
    throw new RequestError('invalid_request', `The upload is ${size} bytes; ${declaredSize} were declared.`, {
      details: { size, declaredSize },
    });
  const sent = mediaTypeOf(upload.contentType);
  const declared = mediaTypeOf(attachment.mime_type);
  if (sent !== '' && sent !== 'application/octet-stream' && sent !== declared)
    throw new RequestError('invalid_request', `The upload is ${sent}; ${declared} was declared.`, {
      details: { mime_type: sent, declared },
    });
}

/**
 * Accepts the bytes of a pending two-phase attachment (docs/specs/chatkit-protocol.md §7) created by `createBlobAttachmentStore`: loads the
 * attachment as the caller (another user's or an unknown id → 404), reads a multipart `file` field or the raw body
 * (PUT or POST), checks it against the declared size (more → 413, less → 400) and type (400), stores it in `blobs`
 * (a second upload → 409), and saves the attachment as uploaded: `upload_descriptor` null, images with a fresh
 * `preview_url`. Answers the attachment JSON (without `metadata`); errors go through `errorResponse`.
 *
 * @example
 * const upload = createAttachmentUploadHandler({ server, blobs });
 * // app/api/attachments/[id]/route.ts: export const POST = (request) => upload(request, { userId });
 */
export function createAttachmentUploadHandler<TContext>(
  options: AttachmentUploadHandlerOptions<TContext>,
): AttachmentUploadHandler<TContext> {
  const store = options.store ?? options.server?.store;
  if (!store) throw new ConfigurationError('createAttachmentUploadHandler needs a store (or a server)');
  if (!options.blobs) throw new ConfigurationError('createAttachmentUploadHandler needs blobs (a BlobStore)');
  const maxBytes = options.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
  const attachmentIdOf = options.attachmentId ?? defaultAttachmentId;

  return async (request, context) => {
    try {
      if (request.method !== 'POST' && request.method !== 'PUT')
        throw new RequestError('invalid_request', 'Attachment uploads must be POST or PUT.');
      const attachmentId = attachmentIdOf(request);
      if (!attachmentId) throw new RequestError('invalid_request', 'The upload names no attachment.');
      const attachment = await store.loadAttachment(attachmentId, context);
      const blob = blobAttachmentMetadata(attachment);
      if (!blob)
        throw new RequestError('invalid_request', `Attachment ${attachmentId} takes no direct upload.`, {
          details: { attachment_id: attachmentId },
        });
      if (blob.uploaded || !attachment.upload_descriptor)
        throw new RequestError('conflict', `Attachment ${attachmentId} is already uploaded.`, {
          details: { attachment_id: attachmentId },
        });
      const declaredSize = Math.min(blob.declared_size, maxBytes);
      const upload = await readUpload(request, declaredSize);
      checkUpload(attachment, blob.declared_size, upload);
      await options.blobs.put(blob.blob_path, upload.bytes, { contentType: attachment.mime_type });
      const uploaded = {
        ...attachment,
        upload_descriptor: null,
        metadata: { ...attachment.metadata, ...blob, uploaded: true },
      } as Attachment;
      if (uploaded.type === 'image') uploaded.preview_url = await options.blobs.url(blob.blob_path);
      await store.saveAttachment(uploaded, context);
      return jsonResponse(toWireAttachment(uploaded));
    } catch (error) {
      const requestId = requestIdOfContext(context);
      return errorResponse(error, {
        ...(requestId ? { requestId } : {}),
        onUnexpectedError: options.onUnexpectedError,
      });
    }
  };
}
