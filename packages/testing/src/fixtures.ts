import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Recorded real OpenAI API traffic shipped with this package (copied byte-for-byte from public repositories;
 * provenance, commit and license of each file are in `fixtures/openai/MANIFEST.md`). Never edit these files.
 */

/** Absolute path of the folder holding the recorded OpenAI fixtures. */
export const OPENAI_FIXTURES_DIR: string = fileURLToPath(new URL('../fixtures/openai/', import.meta.url));

/** How a fixture file stores its traffic (see MANIFEST.md). */
export type OpenAIFixtureFormat = 'JSONL' | 'JSON' | 'raw-SSE' | 'VCR-YAML';

/** One recorded fixture, as described by its MANIFEST line. */
export interface OpenAIFixture {
  /** File name inside {@link OPENAI_FIXTURES_DIR}. */
  file: string;
  /** Storage format. `JSONL` holds one SSE `data:` payload per line. */
  format: OpenAIFixtureFormat;
  /** Repository the recording comes from. */
  source: string;
  /** Commit of that repository. */
  commit: string;
  /** License of the recording. */
  license: string;
  /** The API recorded: `responses`, `chat.completions`, `images`, `embeddings`, `conversations+responses`. */
  api: string;
  /** Whether the file holds a streamed (SSE) response. */
  streamed: boolean;
  /** The MANIFEST's description of the file. */
  notes: string;
}

/** Every fixture listed in MANIFEST.md, in MANIFEST order. */
export function listOpenAIFixtures(): OpenAIFixture[] {
  const manifest = readFileSync(`${OPENAI_FIXTURES_DIR}MANIFEST.md`, 'utf8');
  const present = new Set(readdirSync(OPENAI_FIXTURES_DIR));
  const fixtures: OpenAIFixture[] = [];
  for (const line of manifest.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const file = cells[1]?.replace(/`/g, '');
    if (!file || !present.has(file) || cells.length < 9) continue;
    const notes = cells.slice(8, -1).join('|');
    fixtures.push({
      file,
      format: cells[2] as OpenAIFixtureFormat,
      source: cells[3]!,
      commit: cells[5]!.replace(/`/g, ''),
      license: cells[6]!,
      api: cells[7]!,
      streamed: !/^non-streamed/.test(notes),
      notes,
    });
  }
  return fixtures;
}

/** The raw bytes of a fixture file. */
export function readOpenAIFixture(file: string): Buffer {
  if (file.includes('/') || file.includes('\\'))
    throw new TypeError(`fixture names are plain file names: ${file}`);
  return readFileSync(`${OPENAI_FIXTURES_DIR}${file}`);
}
