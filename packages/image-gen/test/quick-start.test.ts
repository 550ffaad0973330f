import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeOpenAI } from '@relaykit/testing';
import OpenAI from 'openai';
import { expect, it, vi } from 'vitest';
import { portraits } from '../examples/quick-start';

it('the README quick start stores one portrait and a batch of two against the fake OpenAI server', async () => {
  const fake = await createFakeOpenAI();
  const folder = await mkdtemp(join(tmpdir(), 'image-gen-quick-start-'));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const { one, report } = await portraits(new OpenAI({ apiKey: 'test', baseURL: fake.url }), folder);
    expect(one).toMatchObject({ width: 1024, height: 1024, mimeType: 'image/png' });
    const bytes = await readFile(fileURLToPath(one.url));
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(report.counts).toMatchObject({ stored: 2, failed: 0 });
    expect(log.mock.calls.map((call) => call[0])).toEqual([
      'queued',
      'queued',
      'started',
      'started',
      'stored',
      'stored',
    ]);
  } finally {
    log.mockRestore();
    await fake.close();
    await rm(folder, { recursive: true, force: true });
  }
});
