// Benchmark: N concurrent streamed Responses of T tokens each against the fake OpenAI server.
// Run after `pnpm build`: `pnpm --filter @relaykit/testing bench` (or `node bench/concurrent-streams.mjs [streams] [tokens]`).
// Prints one JSON document as the last stdout line. Not a test: nothing here asserts a time.
// The fake runs in its own process (the `relaykit-fake-openai` bin), so the client's parsing does not share its thread.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countTokens, splitIntoTokens } from '../dist/index.js';

const streams = Number(process.argv[2] ?? 500);
const tokensPerStream = Number(process.argv[3] ?? 200);

// A text of exactly `tokensPerStream` tokens.
const words = Array.from({ length: tokensPerStream * 2 }, (_, index) => `word${index % 97}`).join(' ');
const text = splitIntoTokens(words).slice(0, tokensPerStream).join('');
if (countTokens(text) !== tokensPerStream)
  throw new Error(`text has ${countTokens(text)} tokens, not ${tokensPerStream}`);

const dir = mkdtempSync(join(tmpdir(), 'relaykit-bench-'));
const scriptFile = join(dir, 'script.json');
writeFileSync(scriptFile, JSON.stringify({ rules: [{ reply: { text } }] }));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const server = spawn(process.execPath, [cli, '--port', '0', '--script', scriptFile], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const fake = {
  url: await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
    server.once('exit', (code) => reject(new Error(`fake exited with ${code}`)));
  }),
  close: async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  },
};
const body = JSON.stringify({ model: 'gpt-4.1', input: 'benchmark', stream: true });

async function one() {
  const started = performance.now();
  const response = await fetch(`${fake.url}/responses`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
    body,
  });
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  const decoder = new TextDecoder();
  let firstByte = 0;
  let received = '';
  for await (const chunk of response.body) {
    firstByte ||= performance.now() - started;
    received += decoder.decode(chunk, { stream: true });
  }
  const events = received.split('\n\n').filter((frame) => frame.startsWith('event: '));
  const deltas = events.filter((frame) => frame.startsWith('event: response.output_text.delta\n')).length;
  if (!events.at(-1)?.startsWith('event: response.completed\n')) throw new Error('stream did not complete');
  if (deltas !== tokensPerStream) throw new Error(`got ${deltas} deltas`);
  return { firstByte, events: events.length };
}

const started = performance.now();
const results = await Promise.allSettled(Array.from({ length: streams }, () => one()));
const wallMs = performance.now() - started;
await fake.close();

const ok = results.filter((result) => result.status === 'fulfilled').map((result) => result.value);
const errors = results.filter((result) => result.status === 'rejected');
const firstBytes = ok.map((result) => result.firstByte).sort((a, b) => a - b);
const percentile = (p) =>
  firstBytes.length ? firstBytes[Math.min(firstBytes.length - 1, Math.floor(p * firstBytes.length))] : null;
const events = ok.reduce((sum, result) => sum + result.events, 0);
const round = (value) => (value === null ? null : Math.round(value * 10) / 10);

console.log(
  JSON.stringify({
    benchmark: 'fake-openai-concurrent-streams',
    streams,
    tokensPerStream,
    completed: ok.length,
    errors: errors.length,
    firstError: errors[0] ? String(errors[0].reason) : null,
    wallMs: round(wallMs),
    events,
    eventsPerSecond: Math.round(events / (wallMs / 1000)),
    ttfbMs: { p50: round(percentile(0.5)), p99: round(percentile(0.99)) },
    node: process.version,
  }),
);
