/**
 * The README's main command, for real: `node scripts/start.mjs` (what `pnpm start` runs) builds what the app needs
 * (a turbo cache hit after `pnpm test`'s build step), starts the app on embedded defaults and prints its URL; the URL
 * answers, every page carries the offline banner, and Ctrl-C stops the server. Runs first in `browser.test.ts`, whose
 * suites run one after the other, so the build step never rewrites `.next` under another suite's running server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, serverEnvironment } from './harness';

let child: ChildProcess | undefined;
const dataDirectory = mkdtempSync(join(tmpdir(), 'relaykit-quick-start-'));

/** Stops `pnpm start` (its process group) and removes its data: right after the test, before the next suite starts. */
function stopQuickStart(): void {
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dataDirectory, { recursive: true, force: true });
}

function waitForOutput(process: ChildProcess, pattern: RegExp, output: string[]): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      const match = output.join('').match(pattern);
      if (match) {
        process.stdout?.off('data', onData);
        resolve(match);
      }
    };
    process.stdout?.on('data', onData);
    process.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    process.once('exit', (code) =>
      reject(new Error(`start exited with ${code} before printing the URL:\n${output.join('')}`)),
    );
  });
}

describe('the quick start', () => {
  afterAll(stopQuickStart);

  it('pnpm start builds, starts the app on embedded defaults, prints its URL and stops on Ctrl-C', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: serverEnvironment({ PORT: String(port), RELAYKIT_DATA_DIR: dataDirectory }),
    });
    const output: string[] = [];
    // The URL line, then the lines that describe the model and database, ending with how to stop it.
    const [, url] = await waitForOutput(
      child,
      /RelayKit web app: (http:\/\/localhost:\d+)[\s\S]*Ctrl-C/,
      output,
    );
    expect(url).toBe(`http://localhost:${port}`);
    expect(output.join('')).toContain('offline demo model');

    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    const signIn = await fetch(`http://127.0.0.1:${port}/sign-in`);
    const page = await signIn.text();
    expect(page).toContain('Sign in as demo user');
    expect(page).toContain('offline demo model');

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    await exited;
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });
});
