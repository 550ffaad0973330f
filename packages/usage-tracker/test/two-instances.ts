import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./proof/limit-burst.mjs', import.meta.url));

function runInstance(args: string[]): Promise<{ admitted: number; denied: number; failures: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`instance exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

/**
 * Runs two separate Node processes ("instances") that each fire `perInstance` simultaneous limit() calls for the
 * same key (limit 10) against the built package, and returns both reports.
 */
export async function burstFromTwoInstances(
  driver: 'postgres' | 'redis',
  url: string,
  key: string,
  perInstance: number,
) {
  if (!existsSync(new URL('../dist/index.js', import.meta.url)))
    throw new Error(
      'the two-process proof runs the built package: run `pnpm --filter @relaykit/usage-tracker build` first',
    );
  const startAt = String(Date.now() + 1_500);
  return Promise.all([
    runInstance([driver, url, key, String(perInstance), startAt]),
    runInstance([driver, url, key, String(perInstance), startAt]),
  ]);
}
