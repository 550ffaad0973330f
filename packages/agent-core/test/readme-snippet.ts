import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * The code between `// --- <name> ---` and `// --- end <name> ---` in a test file, dedented, and a check that the
 * package README shows it verbatim in a `ts` block: the README's example is the code the test runs.
 */
export function expectReadmeSnippet(testFile: URL, name: string): void {
  const source = readFileSync(testFile, 'utf8');
  const start = source.indexOf(`// --- ${name} ---\n`);
  const end = source.indexOf(`// --- end ${name} ---`);
  expect(start, `marker "// --- ${name} ---"`).toBeGreaterThan(-1);
  expect(end, `marker "// --- end ${name} ---"`).toBeGreaterThan(start);
  const lines = source.slice(start, end).split('\n').slice(1, -1);
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => line.search(/\S/)));
  const snippet = lines.map((line) => line.slice(indent)).join('\n');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${snippet}\n\`\`\``);
}
