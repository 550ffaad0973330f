import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeOpenAI } from '@relaykit/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readAppConfig } from '../src/server/config';

const started = vi.hoisted(() => [] as FakeOpenAI[]);
vi.mock('../src/server/fake-model', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/server/fake-model')>();
  return {
    ...original,
    startFakeModel: async (...args: Parameters<typeof original.startFakeModel>) => {
      const fake = await original.startFakeModel(...args);
      started.push(fake);
      return fake;
    },
  };
});

const { createAppRuntime } = await import('../src/server/runtime');
const { closeOnFailure } = await import('../src/server/stores');

const dataDir = mkdtempSync(join(tmpdir(), 'relaykit-web-runtime-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createAppRuntime', () => {
  it('closes the offline fake server when the database cannot be opened, then rethrows', async () => {
    const port = await closedPort();
    const config = readAppConfig({
      RELAYKIT_DATA_DIR: dataDir,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nothing`,
    });
    await expect(createAppRuntime(config)).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(started).toHaveLength(1);
    await expect(fetch(`${started[0]!.url}/models`)).rejects.toThrow();
  });
});

describe('closeOnFailure', () => {
  it('closes what was opened and rethrows the step error, even when closing fails too', async () => {
    const close = vi.fn(async () => {
      throw new Error('close failed');
    });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(closeOnFailure(async () => Promise.reject(new Error('step failed')), close)).rejects.toThrow(
      'step failed',
    );
    expect(close).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
    await expect(closeOnFailure(async () => 7, close)).resolves.toBe(7);
    expect(close).toHaveBeenCalledOnce();
  });
});
