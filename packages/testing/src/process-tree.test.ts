import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { isProcessTreeAlive, spawnProcessTree } from './process-tree';

/** The pids of the process group `pgid`, from `ps`. */
function groupMembers(pgid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, group]) => group === pgid)
    .map(([pid]) => pid ?? 0);
}

it('stops a wrapper and the server it started (the whole process group), not just the wrapper', async () => {
  // A shell (the "wrapper") that starts a long-lived grandchild (the "server") and waits for it.
  const tree = spawnProcessTree('sh', ['-c', 'sleep 600 & echo "started $!"; wait'], {
    ready: /started (\d+)/,
  });
  const match = await tree.ready;
  const grandchild = Number(match?.[1]);
  expect(groupMembers(tree.pid)).toEqual(expect.arrayContaining([tree.pid, grandchild]));
  await tree.stop();
  expect(isProcessTreeAlive(tree.pid)).toBe(false);
  expect(groupMembers(tree.pid)).toEqual([]);
  await tree.stop(); // twice is fine
});

it('rejects ready with the output when the process exits first', async () => {
  const tree = spawnProcessTree('sh', ['-c', 'echo boom >&2; exit 3'], { ready: /never/ });
  await expect(tree.ready).rejects.toThrow(/exited with 3 before it was ready:\nboom/);
  await tree.stop();
});
