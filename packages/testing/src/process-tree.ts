/**
 * Child processes for tests, stopped with everything they started. A test that spawns a server through a wrapper
 * (a `pnpm`/`npx` shim, a `node bin.cjs` launcher, `next start`) and kills only the wrapper leaves the real server
 * running after the suite. Each process here gets its own process group (`detached`), and `stop()` signals the whole
 * group (`process.kill(-pid)`), then waits until no member is left.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** Options of {@link spawnProcessTree}. */
export interface SpawnProcessTreeOptions {
  cwd?: string;
  /** The complete environment of the process. Default: this process's environment. */
  env?: Record<string, string | undefined>;
  /**
   * Resolve `ready` once the output (stdout and stderr together) matches this pattern; without it `ready` resolves
   * at once. `ready` rejects with the output so far when the process exits first or `readyTimeoutMs` passes.
   */
  ready?: RegExp;
  /** How long to wait for `ready`. Default 120 000 ms: starting servers on a loaded machine takes its time. */
  readyTimeoutMs?: number;
}

/** A running process group. */
export interface ProcessTree {
  readonly child: ChildProcess;
  /** The process id, which is also the id of its process group. */
  readonly pid: number;
  /** The first match of `ready` in the output. */
  readonly ready: Promise<RegExpMatchArray | null>;
  /** Everything the process printed so far (stdout and stderr, interleaved as received). */
  output(): string;
  /**
   * Sends SIGTERM to the whole group, waits up to `graceMs` (default 10 000) for every member to exit, then sends
   * SIGKILL and waits again. Resolves once no process of the group is left. Safe to call twice.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** Whether any process of the group led by `pid` is still alive (signal 0 probes without signalling). */
export function isProcessTreeAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessTreeAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Every group still running, killed if the test process exits without stopping them. */
const running = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of running) signalGroup(pid, 'SIGKILL');
  });
}

/**
 * Spawns `command` in a new process group, with stdout and stderr captured. Stop it with `stop()`; a group left
 * running when the test process exits is killed then.
 */
export function spawnProcessTree(
  command: string,
  args: string[],
  options: SpawnProcessTreeOptions = {},
): ProcessTree {
  const child = spawn(command, args, {
    cwd: options.cwd,
    ...(options.env === undefined ? {} : { env: options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`could not start ${command}: ${JSON.stringify(args)}`);
  }
  running.add(pid);
  installExitHook();
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<RegExpMatchArray | null>((resolve, reject) => {
    if (options.ready === undefined) {
      resolve(null);
      return;
    }
    const pattern = options.ready;
    const timer = setTimeout(
      () =>
        reject(
          new Error(`${command} was not ready after ${options.readyTimeoutMs ?? 120_000} ms:\n${output}`),
        ),
      options.readyTimeoutMs ?? 120_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`));
    });
  });
  // Keep collecting output after `ready` (and when no pattern was given).
  if (options.ready === undefined) {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
  }
  ready.catch(() => {});
  let stopping: Promise<void> | undefined;
  return {
    child,
    pid,
    ready,
    output: () => output,
    stop: (stopOptions = {}) => {
      stopping ??= (async () => {
        signalGroup(pid, 'SIGTERM');
        if (!(await waitUntilGone(pid, stopOptions.graceMs ?? 10_000))) {
          signalGroup(pid, 'SIGKILL');
          await waitUntilGone(pid, 10_000);
        }
        running.delete(pid);
      })();
      return stopping;
    },
  };
}
