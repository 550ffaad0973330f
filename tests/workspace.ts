import { type ExecFileSyncOptions, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A workspace package as the repo tests see it. */
export interface WorkspacePackage {
  /** Folder name under `packages/`. */
  folder: string;
  /** Absolute path of the package folder. */
  path: string;
  /** Parsed package.json. */
  manifest: PackageManifest;
}

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  license?: string;
  sideEffects?: boolean;
  files?: string[];
  engines?: Record<string, string>;
  exports?: Record<string, string | { types?: string; import?: string; default?: string }>;
  scripts?: Record<string, string>;
  publishConfig?: { access?: string; provenance?: boolean };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
}

/** Every publishable package under `packages/`. */
export function workspacePackages(): WorkspacePackage[] {
  return readdirSync(join(repoRoot, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const path = join(repoRoot, 'packages', entry.name);
      const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as PackageManifest;
      return { folder: entry.name, path, manifest };
    });
}

/** Runs a command and returns its stdout; throws with stdout and stderr attached on failure. */
export function run(command: string, args: string[], options: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe', ...options }).toString();
  } catch (error) {
    const failure = error as { stdout?: Buffer | string; stderr?: Buffer | string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed: ${failure.message}\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`,
    );
  }
}
