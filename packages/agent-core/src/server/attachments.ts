import type { ChatKitStore } from '@relaykit/chatkit-store';
import type { BlobStore } from '@relaykit/image-gen';
import { type Attachment, ConfigurationError, RequestError } from '@relaykit/sse-protocol';
import type { AttachmentStore } from './types';

/** Default cap of {@link createBlobAttachmentStore}: 20 MiB per attachment. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

/** Server-only data a blob attachment keeps in `Attachment.metadata` (never sent to the client). */
export interface BlobAttachmentMetadata {
  /** Where the bytes live in the blob store. */
  blob_path: string;
  /** The size declared in `attachments.create`; the upload must match it. */
  declared_size: number;
  /** Set once the bytes are stored. */
  uploaded: boolean;
}

/** Options of {@link createBlobAttachmentStore}. */
export interface BlobAttachmentStoreOptions<TContext> {
  /** Where the bytes go: any `BlobStore` of `@relaykit/image-gen` (memory, filesystem, Supabase Storage). */
  blobs: BlobStore;
  /** The URL the client uploads the bytes to, e.g. `/api/chatkit/attachments/${id}` (your upload route). */
  uploadUrl: (attachmentId: string, context: TContext) => string;
  /** Upload method told to the client. Default `POST` (multipart `file`, what the ChatKit client sends). */
  uploadMethod?: 'POST' | 'PUT';
  /** Extra headers the client sends with the upload (e.g. a CSRF token). */
  uploadHeaders?: (attachmentId: string, context: TContext) => Record<string, string>;
  /** Largest accepted attachment. Default {@link DEFAULT_ATTACHMENT_MAX_BYTES}. */
  maxBytes?: number;
  /** Accepted MIME types; `image/*` style wildcards allowed. Default: any type. */
  allowedMimeTypes?: readonly string[];
  /**
   * The ChatKit store. When given, `deleteAttachment` first loads the attachment as the caller, so one user can never
   * delete another user's bytes (`not_found`).
   */
  store?: Pick<ChatKitStore<TContext>, 'loadAttachment'>;
  /** Folder of the blobs. Default `chatkit-attachments`. */
  pathPrefix?: string;
  /** Attachment ids. Default `atc_` + 16 hex digits. */
  generateId?: () => string;
}

/** The media type of a MIME type: lower-cased, cut at the first `;`. */
export function mediaTypeOf(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

/** True when `mimeType` matches one of `patterns` (`image/png`, `image/*`, `*\/*`). */
export function isMimeTypeAllowed(mimeType: string, patterns: readonly string[] | undefined): boolean {
  if (!patterns) return true;
  const media = mediaTypeOf(mimeType);
  return patterns.some((pattern) => {
    const wanted = mediaTypeOf(pattern);
    if (wanted === '*/*') return true;
    if (wanted.endsWith('/*')) return media.startsWith(wanted.slice(0, -1));
    return media === wanted;
  });
}

/** The blob metadata of an attachment created by {@link createBlobAttachmentStore}, or `undefined`. */
export function blobAttachmentMetadata(attachment: Attachment): BlobAttachmentMetadata | undefined {
  const metadata = attachment.metadata as Partial<BlobAttachmentMetadata> | null | undefined;
  if (!metadata || typeof metadata.blob_path !== 'string' || typeof metadata.declared_size !== 'number')
    return undefined;
  return {
    blob_path: metadata.blob_path,
    declared_size: metadata.declared_size,
    uploaded: metadata.uploaded === true,
  };
}

/** The client view of an attachment: no server-only `metadata`, no null fields. */
export function toWireAttachment(attachment: Attachment): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attachment))
    if (key !== 'metadata' && value !== null && value !== undefined) out[key] = value;
  return out;
}

/**
 * An {@link AttachmentStore} for ChatKit's two-phase upload (docs/specs/chatkit-protocol.md §7) over a `BlobStore`. `attachments.create`
 * checks the declared size (`payload_too_large`) and MIME type (`invalid_request` naming it) and answers an
 * attachment whose `upload_descriptor` tells the client where to send the bytes (`uploadUrl(id)`); the bytes are
 * then accepted by {@link createAttachmentUploadHandler}. Images get a `preview_url` (`blobs.url(path)`).
 * `deleteAttachment` removes the bytes.
 *
 * @example
 * const blobs = createMemoryBlobStore({ allowedContentTypes: ['image/png', 'application/pdf'] });
 * const attachments = createBlobAttachmentStore({ blobs, store, uploadUrl: (id) => `/api/attachments/${id}` });
 * const server = createChatKitServer({ store, respond, attachments });
 */
export function createBlobAttachmentStore<TContext>(
  options: BlobAttachmentStoreOptions<TContext>,
): AttachmentStore<TContext> {
  if (!options?.blobs) throw new ConfigurationError('createBlobAttachmentStore needs blobs (a BlobStore)');
  if (typeof options.uploadUrl !== 'function')
    throw new ConfigurationError('createBlobAttachmentStore needs uploadUrl(attachmentId)');
  const maxBytes = options.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
  const prefix = (options.pathPrefix ?? 'chatkit-attachments').replace(/\/+$/, '');
  const generateId =
    options.generateId ?? (() => `atc_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`);
  const pathOf = (attachmentId: string) => `${prefix}/${attachmentId}`;

  return {
    async createAttachment(input, context) {
      const name = typeof input.name === 'string' ? input.name.trim() : '';
      if (name === '') throw new RequestError('invalid_request', 'An attachment needs a name.');
      if (!Number.isInteger(input.size) || input.size <= 0)
        throw new RequestError('invalid_request', 'An attachment needs a positive integer size.', {
          details: { size: input.size },
        });
      if (input.size > maxBytes)
        throw new RequestError(
          'payload_too_large',
          `The attachment is ${input.size} bytes; the limit is ${maxBytes}.`,
          { details: { size: input.size, maxBytes } },
        );
      const mediaType = mediaTypeOf(input.mime_type ?? '');
      if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mediaType))
        throw new RequestError('invalid_request', `Invalid MIME type ${JSON.stringify(input.mime_type)}.`, {
          details: { mime_type: input.mime_type },
        });
      if (!isMimeTypeAllowed(mediaType, options.allowedMimeTypes))
        throw new RequestError('invalid_request', `Attachments of type ${mediaType} are not accepted.`, {
          details: { mime_type: input.mime_type, allowed: options.allowedMimeTypes },
        });
      const id = generateId();
      const path = pathOf(id);
      const metadata: BlobAttachmentMetadata = {
        blob_path: path,
        declared_size: input.size,
        uploaded: false,
      };
      const base = {
        id,
        name,
        mime_type: mediaType,
        upload_descriptor: {
          url: options.uploadUrl(id, context),
          method: options.uploadMethod ?? 'POST',
          headers: options.uploadHeaders?.(id, context) ?? {},
        },
        metadata: { ...metadata },
      };
      if (!mediaType.startsWith('image/')) return { ...base, type: 'file' };
      // A URL known before the upload lets the client show the image at once; signed URLs are refreshed on upload.
      const previewUrl = await options.blobs.url(path).catch(() => '');
      return { ...base, type: 'image', preview_url: previewUrl };
    },
    async deleteAttachment(attachmentId, context) {
      if (options.store) await options.store.loadAttachment(attachmentId, context);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(attachmentId))
        throw new RequestError('not_found', `Attachment ${attachmentId} does not exist.`);
      await options.blobs.remove(pathOf(attachmentId));
    },
  };
}
