#!/usr/bin/env node
/**
 * `relaykit-fake-openai --port <n> [--script <file.json>] [--latency-ms <n>] [--token-interval-ms <n>] [--api-key <key>]`
 *
 * Runs the fake OpenAI server until interrupted, printing its base URL (`http://127.0.0.1:<port>/v1`) on stdout.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FakeScript } from './openai/script';
import { createFakeOpenAI, type FakeOpenAI } from './openai/server';

const USAGE =
  'usage: relaykit-fake-openai --port <n> [--host <ip>] [--script <file.json>] [--latency-ms <n>] [--token-interval-ms <n>] [--api-key <key>]';

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new TypeError(`--${name} must be a non-negative integer`);
  return parsed;
}

/** Parses the arguments and starts the server. Exported for tests; the bin calls it with `process.argv`. */
export async function runFakeOpenAICli(argv: string[]): Promise<FakeOpenAI> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      script: { type: 'string' },
      'latency-ms': { type: 'string' },
      'token-interval-ms': { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const script = values.script
    ? FakeScript.parse(JSON.parse(readFileSync(values.script, 'utf8')) as unknown)
    : undefined;
  const latencyMs = integer('latency-ms', values['latency-ms']);
  const tokenIntervalMs = integer('token-interval-ms', values['token-interval-ms']);
  return createFakeOpenAI({
    port: integer('port', values.port) ?? 0,
    ...(values.host ? { host: values.host } : {}),
    ...(script ? { script } : {}),
    ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
    faults: {
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(tokenIntervalMs !== undefined ? { tokenIntervalMs } : {}),
    },
  });
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Runs the CLI as a process: starts the server, prints its base URL on stdout, stops on SIGINT/SIGTERM, and exits
 * with status 2 (message and usage on stderr) on bad arguments. The `relaykit-fake-openai` bin calls it.
 */
export function runFakeOpenAICliProcess(argv: string[]): void {
  runFakeOpenAICli(argv).then(
    (fake) => {
      console.log(fake.url);
      const stop = () => {
        fake.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      console.error(USAGE);
      process.exit(2);
    },
  );
}

if (isMainModule()) runFakeOpenAICliProcess(process.argv.slice(2));
