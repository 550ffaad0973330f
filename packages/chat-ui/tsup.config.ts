import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { relaykitTsup } from '../../tooling/tsup.base.ts';

/**
 * Two entries: `index` (React components and hooks; marked `'use client'` for the Next.js App Router) and `client`
 * (the framework-free protocol client, state reducer and export functions, usable on a server). The stylesheet is
 * shipped as the file `dist/styles.css`, not imported by the JavaScript.
 */
export default relaykitTsup(
  { index: 'src/index.ts', client: 'src/client.ts' },
  {
    async onSuccess() {
      copyFileSync('src/styles.css', 'dist/styles.css');
      const index = readFileSync('dist/index.js', 'utf8');
      if (!index.startsWith("'use client';")) writeFileSync('dist/index.js', `'use client';\n${index}`);
    },
  },
);
