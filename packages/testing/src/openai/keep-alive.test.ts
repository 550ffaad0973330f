/**
 * The fake never closes an idle keep-alive connection itself. A server that does (Node's default: after 5 s idle)
 * races a busy client that picks the socket for its next request at that moment: the request fails with "other side
 * closed" (undici does not retry a POST), which stopped the 200-stream benchmark round. The client closes idle
 * sockets on its own timer instead.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createFakeOpenAI, type FakeOpenAI } from '../index';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Sends one `GET /v1/models` on the socket and resolves with the whole response (headers and body). */
function exchange(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (Buffer.byteLength(text.slice(end + 4)) < length) return;
      socket.off('data', onData);
      socket.off('end', onEnd);
      resolve(text);
    };
    const onEnd = () => reject(new Error('the server closed the connection'));
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.write('GET /v1/models HTTP/1.1\r\nhost: fake\r\nauthorization: Bearer test\r\n\r\n');
  });
}

it('keeps an idle keep-alive connection open past 5 s and announces no Keep-Alive timeout', async () => {
  fake = await createFakeOpenAI();
  const socket = connect(fake.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const first = await exchange(socket);
  expect(first.startsWith('HTTP/1.1 200')).toBe(true);
  expect(first.toLowerCase()).toContain('\r\nconnection: keep-alive\r\n');
  expect(first.toLowerCase()).not.toContain('\r\nkeep-alive:');
  let ended = false;
  socket.once('end', () => {
    ended = true;
  });
  // Longer than Node's default keep-alive timeout (5 s), after which the old fake closed the socket.
  await new Promise((resolve) => setTimeout(resolve, 5_600));
  expect(ended).toBe(false);
  const second = await exchange(socket);
  expect(second.startsWith('HTTP/1.1 200')).toBe(true);
  socket.destroy();
}, 30_000);
