// N concurrent ChatKit streams on ONE server instance (one process, one event loop) with the offline model: the
// `relaykit-fake-openai` CLI of @relaykit/testing in a child process, no script, so every request gets its
// deterministic offline reply, streamed token by token. Run after `pnpm build`:
//   node bench/concurrent-streams.bench.mjs [streams]        (default 500; part of `pnpm --filter @relaykit/agent-core bench`)
// Each stream is a `threads.create` through `server.handle` with the agents responder. A stream completes when its SSE
// body ends with the assistant message done and no `error` event; afterwards every thread is loaded from the store as
// its owner and counted whole when it holds exactly the user message and one assistant message whose text is the
// text the client was streamed (the offline reply naming that stream's own message), with no incomplete/cancelled
// marker. Prints ONE JSON document as the last stdout line with `goals` marked pass/fail (never asserted by tests).
// Env: BENCH_STREAMS (default 500), BENCH_TOKEN_INTERVAL_MS (the fake's delay between tokens, default 5, so the
// streams overlap), BENCH_STORE (`memory`, default, or `pglite`: an in-process PGlite store in a temporary data dir,
// created by a child process first, so the run measures a server that opens existing data as an app restart does, not
// initdb's second WebAssembly instance).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { z } from 'zod';
import { createAgentRegistry, createChatKitServer, createModelAccess, defineAgent } from '../dist/index.js';

setTracingDisabled(true);
const STREAMS = Number(
  (process.argv[2]?.startsWith('--') ? undefined : process.argv[2]) ?? process.env.BENCH_STREAMS ?? 500,
);
const TOKEN_INTERVAL_MS = Number(process.env.BENCH_TOKEN_INTERVAL_MS ?? 5);
const STORE = process.env.BENCH_STORE ?? 'memory';

/** Starts `relaykit-fake-openai` (offline replies) in a child process; resolves with its URL and a `close()`. */
async function startFake() {
  const cli = fileURLToPath(import.meta.resolve('@relaykit/testing/cli'));
  const child = spawn(
    process.execPath,
    [cli, '--port', '0', '--token-interval-ms', String(TOKEN_INTERVAL_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.once('exit', () => child.kill('SIGTERM'));
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`relaykit-fake-openai exited with ${code}`)));
  });
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

async function openStore() {
  if (STORE !== 'pglite') return { store: createMemoryStore(), close: async () => {} };
  const { createPGliteStore } = await import('@relaykit/chatkit-store/pglite');
  const dataDir = mkdtempSync(join(tmpdir(), 'relaykit-bench-pglite-'));
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--init-pglite', dataDir], {
    stdio: 'inherit',
  });
  const store = await createPGliteStore({ dataDir });
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const mb = (bytes) => Math.round(bytes / 1048576);

/** One stream: its events as the client reads them, the streamed text, and whether it ended done without error. */
async function oneStream(server, index) {
  const context = { userId: crypto.randomUUID() };
  const message = `stream ${index}`;
  const start = performance.now();
  const response = await server.handle(
    new Request('http://bench/chatkit', {
      method: 'POST',
      body: JSON.stringify({
        type: 'threads.create',
        params: {
          input: { content: [{ type: 'input_text', text: message }], attachments: [], inference_options: {} },
        },
      }),
    }),
    context,
  );
  if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffered = '';
  let firstDelta = 0;
  let streamed = '';
  let threadId;
  let doneText;
  let error;
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end !== -1) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\n\n');
      if (!frame.startsWith('data: ')) continue;
      const event = JSON.parse(frame.slice(6));
      if (event.type === 'thread.created') threadId = event.thread.id;
      else if (event.type === 'error') error = event;
      else if (event.type === 'thread.item.updated' && event.update?.type?.endsWith('text_delta')) {
        firstDelta ||= performance.now() - start;
        streamed += event.update.delta;
      } else if (event.type === 'thread.item.done' && event.item.type === 'assistant_message')
        doneText = event.item.content.map((part) => part.text).join('');
    }
  }
  if (error) throw new Error(`error event ${JSON.stringify(error)}`);
  if (doneText === undefined || doneText !== streamed)
    throw new Error('the assistant message did not complete');
  return { context, message, threadId, streamed, firstDelta, totalMs: performance.now() - start };
}

/** Whether the stored thread is whole: the user message, then one assistant message with the streamed text. */
async function threadWhole(store, result) {
  const page = await store.loadThreadItems(result.threadId, null, 50, 'asc', result.context);
  const items = page.data;
  return (
    items.length === 2 &&
    items[0].type === 'user_message' &&
    items[0].content[0]?.text === result.message &&
    items[1].type === 'assistant_message' &&
    items[1].content.map((part) => part.text).join('') === result.streamed &&
    result.streamed.includes(`You said: "${result.message}"`)
  );
}

async function main() {
  const fake = await startFake();
  const { store, close } = await openStore();
  const agent = defineAgent({
    type: 'bench',
    description: 'bench',
    metadata: z.object({}),
    instructions: 'Answer.',
  });
  const server = createChatKitServer({
    store,
    agents: {
      registry: createAgentRegistry([agent]),
      modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
    },
    onError: () => {},
  });
  await oneStream(server, -1); // warm up once

  const memory = () => {
    const usage = process.memoryUsage();
    const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    return {
      rss: mb(usage.rss),
      heapTotal: mb(usage.heapTotal),
      newSpace: mb(newSpace?.space_size ?? 0),
      external: mb(usage.external),
      arrayBuffers: mb(usage.arrayBuffers),
    };
  };
  const beforeRss = memory();
  let peak = beforeRss;
  const sampler = setInterval(() => {
    const now = memory();
    if (now.rss > peak.rss) peak = now;
  }, 20);
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: STREAMS }, (_, index) => oneStream(server, index)),
  );
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const after = memory();
  if (after.rss > peak.rss) peak = after;

  const completed = results.filter((result) => result.status === 'fulfilled').map((result) => result.value);
  const failed = results.filter((result) => result.status === 'rejected');
  let whole = 0;
  for (const result of completed) if (await threadWhole(store, result)) whole += 1;
  const sorted = (values) => [...values].sort((a, b) => a - b);
  const pick = (values, p) => values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? null;
  const firsts = sorted(completed.map((result) => result.firstDelta));
  const totals = sorted(completed.map((result) => result.totalMs));
  const round = (value) => (value === null ? null : Math.round(value * 10) / 10);
  await close();
  await fake.close();

  console.log(
    JSON.stringify({
      benchmark: 'agent-core concurrent ChatKit streams',
      streams: STREAMS,
      store: STORE,
      model: 'offline (relaykit-fake-openai, child process)',
      tokenIntervalMs: TOKEN_INTERVAL_MS,
      completed: completed.length,
      whole,
      failed: failed.length,
      firstError: failed[0] ? String(failed[0].reason) : null,
      wallMs: round(wallMs),
      firstDeltaMs: { p50: round(pick(firsts, 0.5)), p99: round(pick(firsts, 0.99)) },
      streamMs: { p50: round(pick(totals, 0.5)), p99: round(pick(totals, 0.99)) },
      peakRssMb: peak.rss,
      // Where the memory is: at the start of the run and at its RSS peak (V8 heap, its young generation, memory
      // outside the V8 heap such as PGlite's WebAssembly heap, and array buffers).
      memoryMb: { beforeRun: beforeRss, atPeak: peak },
      node: process.version,
      goals: {
        allStreamsComplete: { measured: completed.length, goal: STREAMS, pass: completed.length === STREAMS },
        everyThreadWhole: { measured: whole, goal: STREAMS, pass: whole === STREAMS },
      },
    }),
  );
}

const initFlag = process.argv.indexOf('--init-pglite');
if (initFlag !== -1) {
  const { createPGliteStore } = await import('@relaykit/chatkit-store/pglite');
  const store = await createPGliteStore({ dataDir: process.argv[initFlag + 1] });
  await store.close();
} else await main();
