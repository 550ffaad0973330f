import { RequestError } from '@relaykit/sse-protocol';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Throws `invalid_request` unless `path` is a relative `/`-separated key of safe segments (no `..`, no `//`). */
export function assertBlobPath(path: string): void {
  if (
    typeof path !== 'string' ||
    path.length === 0 ||
    path.length > 1024 ||
    !path.split('/').every((segment) => SEGMENT.test(segment) && !segment.includes('..'))
  )
    throw new RequestError('invalid_request', `invalid storage path ${JSON.stringify(path)}`, {
      details: { field: 'path' },
    });
}

/** A 64-bit content fingerprint (two FNV-1a 32-bit passes), hex. Synchronous, so paths cost no I/O. */
export function contentFingerprint(bytes: Uint8Array): string {
  let first = 0x811c9dc5;
  let second = 0x01000193 ^ bytes.length;
  for (const byte of bytes) {
    first = Math.imul(first ^ byte, 0x01000193) >>> 0;
    second = Math.imul(second ^ byte ^ 0x5a, 0x01000193) >>> 0;
  }
  return first.toString(16).padStart(8, '0') + second.toString(16).padStart(8, '0');
}

/** Options of {@link versionedImagePath}. */
export interface VersionedImagePathOptions {
  /** The kind of row the image belongs to, e.g. `students`. */
  entity: string;
  /** The row's id. */
  id: string;
  bytes: Uint8Array;
  extension: string;
  /** Epoch ms; default now. */
  at?: number;
}

/**
 * `<entity>/<id>/<timestamp>-<fingerprint>.<ext>`, e.g. `students/42/20261123T161500123Z-3f9a1c0b2d4e5f60.png`:
 * versioned by time and addressed by content, so a regeneration never lands on the path a page is showing.
 */
export function versionedImagePath(options: VersionedImagePathOptions): string {
  const stamp = new Date(options.at ?? Date.now()).toISOString().replace(/[-:]/g, '').replace('.', '');
  const hash = contentFingerprint(options.bytes);
  const path = `${options.entity}/${options.id}/${stamp}-${hash}.${options.extension}`;
  assertBlobPath(path);
  return path;
}
