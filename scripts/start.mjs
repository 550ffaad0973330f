#!/usr/bin/env node
// The README's main command. Until the reference app lands (apps/web), it lists the packages and what each owns.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => JSON.parse(readFileSync(join(root, 'packages', entry.name, 'package.json'), 'utf8')));

console.log('RelayKit packages in this workspace:\n');
for (const pkg of packages)
  console.log(`  ${pkg.name.padEnd(26)} ${pkg.version.padEnd(8)} ${pkg.description}`);
console.log(
  '\nThe reference app (apps/web) is not built yet, so there is nothing to start.\n' +
    'When it lands, this command will start it on embedded defaults (PGlite and an offline demo model) and print its URL.',
);
