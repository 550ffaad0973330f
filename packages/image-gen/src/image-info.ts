import { ProviderError } from '@relaykit/sse-protocol';

/** The image formats RelayKit stores: what OpenAI's Images API produces and Supabase buckets usually allow. */
export type ImageMimeType = 'image/png' | 'image/jpeg' | 'image/webp';

/** What the header of an image says about it. */
export interface ImageInfo {
  mimeType: ImageMimeType;
  /** File extension without a dot: `png`, `jpg` or `webp`. */
  extension: 'png' | 'jpg' | 'webp';
  width: number;
  height: number;
}

const EXTENSIONS: Record<ImageMimeType, ImageInfo['extension']> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};

/** The file extension for a supported image MIME type. */
export function extensionFor(mimeType: ImageMimeType): ImageInfo['extension'] {
  return EXTENSIONS[mimeType];
}

function u16be(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}
function u32be(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
function u16le(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}
function u24le(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
}
function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(bytes: Uint8Array): ImageInfo | undefined {
  if (bytes.length < 24 || !PNG_SIGNATURE.every((byte, index) => bytes[index] === byte)) return undefined;
  if (ascii(bytes, 12, 4) !== 'IHDR') return undefined;
  return { mimeType: 'image/png', extension: 'png', width: u32be(bytes, 16), height: u32be(bytes, 20) };
}

function jpeg(bytes: Uint8Array): ImageInfo | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    const length = u16be(bytes, at + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isStartOfFrame)
      return {
        mimeType: 'image/jpeg',
        extension: 'jpg',
        height: u16be(bytes, at + 5),
        width: u16be(bytes, at + 7),
      };
    if (marker === 0xda || length < 2) return undefined; // start of scan before any frame header
    at += 2 + length;
  }
  return undefined;
}

function webp(bytes: Uint8Array): ImageInfo | undefined {
  if (bytes.length < 30 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP') return undefined;
  const chunk = ascii(bytes, 12, 4);
  const info = (width: number, height: number): ImageInfo => ({
    mimeType: 'image/webp',
    extension: 'webp',
    width,
    height,
  });
  if (chunk === 'VP8 ') {
    // frame tag (3 bytes) + start code 9d 01 2a, then 14-bit width and height.
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return undefined;
    return info(u16le(bytes, 26) & 0x3fff, u16le(bytes, 28) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return undefined;
    const [b0, b1, b2, b3] = [bytes[21]!, bytes[22]!, bytes[23]!, bytes[24]!];
    return info(1 + (b0 | ((b1 & 0x3f) << 8)), 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0f) << 10)));
  }
  if (chunk === 'VP8X') return info(1 + u24le(bytes, 24), 1 + u24le(bytes, 27));
  return undefined;
}

/**
 * Reads the format and pixel size from an image's header (PNG IHDR, JPEG SOF, WebP VP8/VP8L/VP8X) without decoding
 * it. Returns `undefined` for anything else (including truncated headers).
 */
export function readImageInfo(bytes: Uint8Array): ImageInfo | undefined {
  const info = png(bytes) ?? jpeg(bytes) ?? webp(bytes);
  if (!info || info.width < 1 || info.height < 1) return undefined;
  return info;
}

/** Like {@link readImageInfo}, but throws `provider_error` when the bytes are not a PNG, JPEG or WebP image. */
export function requireImageInfo(bytes: Uint8Array, source: string): ImageInfo {
  const info = readImageInfo(bytes);
  if (!info)
    throw new ProviderError('provider_error', `${source} is not a PNG, JPEG or WebP image`, {
      details: { reason: 'not_an_image', bytes: bytes.length },
    });
  return info;
}
