import { encodePng } from '@relaykit/testing';
import { describe, expect, it } from 'vitest';
import { readImageInfo } from './image-info';

function jpeg(width: number, height: number): Uint8Array {
  // SOI, APP0 (JFIF, 16 bytes), SOF0 with height/width, EOI: a header a decoder would read.
  return new Uint8Array([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x10,
    0x4a,
    0x46,
    0x49,
    0x46,
    0x00,
    0x01,
    0x01,
    0x00,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
    0xff,
    0xd9,
  ]);
}

function riff(chunk: string, payload: number[]): Uint8Array {
  const bytes = new Uint8Array(12 + 8 + payload.length);
  bytes.set(new TextEncoder().encode('RIFF'), 0);
  bytes.set(new TextEncoder().encode('WEBP'), 8);
  bytes.set(new TextEncoder().encode(chunk), 12);
  bytes.set(payload, 20);
  return bytes;
}

describe('readImageInfo', () => {
  it('reads PNG IHDR of a real PNG', () => {
    expect(readImageInfo(encodePng(37, 21, 'x'))).toEqual({
      mimeType: 'image/png',
      extension: 'png',
      width: 37,
      height: 21,
    });
  });

  it('reads the JPEG SOF0 frame header after APP0', () => {
    expect(readImageInfo(jpeg(1792, 1024))).toEqual({
      mimeType: 'image/jpeg',
      extension: 'jpg',
      width: 1792,
      height: 1024,
    });
  });

  it('reads WebP VP8, VP8L and VP8X headers', () => {
    // VP8: (chunk size left 0) 3-byte frame tag, start code, 14-bit little-endian width/height.
    const lossy = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x00, 0x04, 0x00, 0x06]);
    expect(readImageInfo(lossy)).toMatchObject({ mimeType: 'image/webp', width: 1024, height: 1536 });
    // VP8L: signature 0x2f then 14-bit (width-1), 14-bit (height-1).
    const w = 99;
    const h = 49;
    const bits = w | (h << 14);
    const lossless = riff('VP8L', [
      0x2f,
      bits & 0xff,
      (bits >> 8) & 0xff,
      (bits >> 16) & 0xff,
      bits >>> 24,
      0,
      0,
      0,
      0,
      0,
    ]);
    expect(readImageInfo(lossless)).toMatchObject({ width: 100, height: 50 });
    // VP8X: flags + reserved (4 bytes), then 24-bit (width-1) and (height-1).
    const extended = riff('VP8X', [0x10, 0, 0, 0, 0xff, 0x03, 0, 0xff, 0x05, 0]);
    expect(readImageInfo(extended)).toMatchObject({ width: 1024, height: 1536 });
  });

  it('returns undefined for text, truncated headers and GIF', () => {
    expect(readImageInfo(new TextEncoder().encode('<html>not an image</html>'))).toBeUndefined();
    expect(readImageInfo(encodePng(4, 4).subarray(0, 20))).toBeUndefined();
    expect(readImageInfo(new TextEncoder().encode('GIF89a\x01\x00\x01\x00'))).toBeUndefined();
  });
});
