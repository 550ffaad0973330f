/**
 * A local npm registry for the release rehearsal: verdaccio (pinned in the root devDependencies), started in its own
 * process on a free port, storage in a temporary folder, no uplinks. It serves `@relaykit/*` only; consumers scope that
 * name to it in `.npmrc` (`@relaykit:registry=`) and get every other package from their usual registry.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ProcessTree, spawnProcessTree } from '../packages/testing/src/process-tree';
import { repoRoot } from './workspace';

/** A running registry. */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** A token of a user that may publish `@relaykit/*`. */
  readonly token: string;
  /** The `.npmrc` lines that send `@relaykit/*` (and its auth) here. */
  readonly npmrc: string;
  readonly process: ProcessTree;
  stop(): Promise<void>;
}

/** Runs inside the registry process: listen on a free port, create the publishing user, print the port and token. */
const RUNNER = `
import { runServer } from 'verdaccio';
const config = JSON.parse(process.argv[1]);
const server = await runServer(config);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const response = await fetch('http://127.0.0.1:' + port + '/-/user/org.couchdb.user:rehearsal', {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'rehearsal', password: 'rehearsal-password', email: 'rehearsal@relaykit.local' }),
});
const { token } = await response.json();
console.log('REGISTRY ' + port + ' ' + token);
`;

/** Starts verdaccio with its storage under `dir`. */
export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  writeFileSync(join(dir, 'htpasswd'), '');
  const config = {
    self_path: dir,
    storage: join(dir, 'storage'),
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 10 } },
    uplinks: {},
    packages: {
      '@relaykit/*': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
      '**': { access: '$all' },
    },
    web: { enable: false },
    max_body_size: '100mb',
    log: { type: 'stdout', format: 'pretty', level: 'warn' },
  };
  const tree = spawnProcessTree(
    process.execPath,
    ['--input-type=module', '-e', RUNNER, JSON.stringify(config)],
    { cwd: repoRoot, env: { ...process.env, NODE_ENV: 'production' }, ready: /REGISTRY (\d+) (\S+)/ },
  );
  const match = await tree.ready.catch(async (error: unknown) => {
    await tree.stop();
    throw error;
  });
  const port = Number(match?.[1]);
  const token = match?.[2] ?? '';
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    token,
    npmrc: `@relaykit:registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`,
    process: tree,
    stop: () => tree.stop(),
  };
}
