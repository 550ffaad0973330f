/** downloadImage against a small local node:http server (redirect chains, wrong content types, oversized bodies). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodePng } from '@relaykit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadImage } from './download';

const png = encodePng(8, 6, 'dl');
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const hops = /^\/hop\/(\d+)$/.exec(url.pathname);
    if (hops) {
      const left = Number(hops[1]);
      response.writeHead(302, { location: left === 0 ? '/image.png' : `/hop/${left - 1}` }).end();
    } else if (url.pathname === '/image.png')
      response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else if (url.pathname === '/html')
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    else if (url.pathname === '/liar') response.writeHead(200, { 'content-type': 'image/jpeg' }).end(png);
    else if (url.pathname === '/fake-png')
      response.writeHead(200, { 'content-type': 'image/png' }).end('not a png at all');
    else if (url.pathname === '/chunked-big') {
      response.writeHead(200, { 'content-type': 'image/png', 'transfer-encoding': 'chunked' });
      response.write(png);
      response.end(Buffer.alloc(4096));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function rejection(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('downloadImage', () => {
  it('follows up to 3 redirects by hand and checks the bytes', async () => {
    const image = await downloadImage(`${origin}/hop/2`); // 3 redirects in all
    expect(image).toMatchObject({ mimeType: 'image/png', width: 8, height: 6 });
    expect(image.bytes.byteLength).toBe(png.byteLength);
  });

  it('refuses a fourth redirect', async () => {
    expect(await rejection(downloadImage(`${origin}/hop/3`))).toMatchObject({
      code: 'provider_error',
      details: { reason: 'too_many_redirects' },
    });
  });

  it('refuses a body that is not an image, a lying content type and bytes without an image header', async () => {
    expect(await rejection(downloadImage(`${origin}/html`))).toMatchObject({
      details: { reason: 'not_an_image' },
    });
    expect(await rejection(downloadImage(`${origin}/liar`))).toMatchObject({
      details: { reason: 'content_type_mismatch' },
    });
    expect(await rejection(downloadImage(`${origin}/fake-png`))).toMatchObject({
      details: { reason: 'not_an_image' },
    });
  });

  it('caps the size by content-length and while streaming', async () => {
    expect(await rejection(downloadImage(`${origin}/image.png`, { maxBytes: 10 }))).toMatchObject({
      code: 'payload_too_large',
    });
    expect(
      await rejection(downloadImage(`${origin}/chunked-big`, { maxBytes: png.byteLength + 100 })),
    ).toMatchObject({
      code: 'payload_too_large',
    });
  });

  it('maps a 404 to provider_error and refuses non-http URLs', async () => {
    expect(await rejection(downloadImage(`${origin}/missing`))).toMatchObject({
      code: 'provider_error',
      details: { status: 404 },
    });
    expect(await rejection(downloadImage('file:///etc/passwd'))).toMatchObject({ code: 'provider_error' });
  });
});
