// Added latency of the full ChatKit server path (request parse → store writes → agent run → SSE) over a direct
// `openai` SDK stream from the same fake server, plus store round trips per turn. Run after `pnpm build`:
//   pnpm --filter @relaykit/agent-core bench
// The fake OpenAI server runs in a CHILD PROCESS (the `relaykit-fake-openai` CLI of @relaykit/testing), so its CPU
// time (tokenizing, SSE framing for 200 streams) is not charged to the server path being measured.
// Prints ONE JSON document as the last stdout line. Goals (not asserted): < 5 ms added to first token p50,
// < 0.2 ms per delta, store round trips per turn independent of reply length.
// Env: BENCH_CONCURRENCY (default 200), BENCH_ROUNDS (rounds at concurrency 1, default 20),
// BENCH_HIGH_ROUNDS (rounds at the high concurrency, default 3).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import OpenAI from 'openai';
import { z } from 'zod';
import { createAgentRegistry, createChatKitServer, createModelAccess, defineAgent } from '../dist/index.js';

setTracingDisabled(true);
const CONCURRENCY = [1, Number(process.env.BENCH_CONCURRENCY ?? 200)];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const HIGH_ROUNDS = Number(process.env.BENCH_HIGH_ROUNDS ?? 3);
const words = (n) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
const REPLY = words(100);

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const round3 = (n) => Math.round(n * 1000) / 1000;

function countingStore(inner) {
  const counter = { calls: 0 };
  const store = new Proxy(inner, {
    get(target, key) {
      const value = target[key];
      if (typeof value !== 'function') return value;
      if (key === 'generateItemId' || key === 'generateThreadId') return value.bind(target);
      return (...args) => {
        counter.calls += 1;
        return value.apply(target, args);
      };
    },
  });
  return { store, counter };
}

/** Starts `relaykit-fake-openai` in a child process; resolves with its base URL and a `close()`. */
async function startFakeProcess(script) {
  const folder = mkdtempSync(join(tmpdir(), 'relaykit-bench-'));
  const scriptPath = join(folder, 'script.json');
  writeFileSync(scriptPath, JSON.stringify(script));
  const cli = fileURLToPath(import.meta.resolve('@relaykit/testing/cli'));
  const child = spawn(process.execPath, [cli, '--port', '0', '--script', scriptPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Never leave the child behind, even when the benchmark throws.
  process.once('exit', () => child.kill('SIGTERM'));
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`relaykit-fake-openai exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          rmSync(folder, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

async function main() {
  // One child fake for everything: "short"/"long" prompts pick the round-trip replies, anything else gets REPLY.
  const fake = await startFakeProcess({
    rules: [
      { match: { lastUserText: '^short$' }, reply: { text: words(5) } },
      { match: { lastUserText: '^long$' }, reply: { text: words(200) } },
      { reply: { text: REPLY } },
    ],
  });
  const client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
  const { store, counter } = countingStore(createMemoryStore());
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
  });

  async function direct() {
    const start = performance.now();
    let first = 0;
    let deltas = 0;
    const stream = await client.responses.create({ model: 'gpt-4.1-mini', input: 'Hi', stream: true });
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') {
        if (deltas === 0) first = performance.now() - start;
        deltas += 1;
      }
    }
    return { first, total: performance.now() - start, deltas };
  }

  async function viaServer() {
    const start = performance.now();
    const body = {
      type: 'threads.create',
      params: {
        input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
      },
    };
    const response = await server.handle(
      new Request('http://bench/chatkit', { method: 'POST', body: JSON.stringify(body) }),
      { userId: crypto.randomUUID() },
    );
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let first = 0;
    let deltas = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      const n = text.split('content_part.text_delta').length - 1;
      if (n > 0 && deltas === 0) first = performance.now() - start;
      deltas += n;
    }
    return { first, total: performance.now() - start, deltas };
  }

  /**
   * Per stream: time to first delta and wall time per later delta (at concurrency N the streams share one event loop,
   * so this grows with N). Per round: the process's CPU time and the wall time divided by all deltas of the round,
   * which is the cost of one delta independent of N.
   */
  async function measure(fn, concurrency) {
    const firsts = [];
    const perDelta = [];
    let cpuMicros = 0;
    let wallMs = 0;
    let totalDeltas = 0;
    const rounds = concurrency === 1 ? ROUNDS : HIGH_ROUNDS;
    for (let r = 0; r < rounds; r += 1) {
      const cpuBefore = process.cpuUsage();
      const wallBefore = performance.now();
      const results = await Promise.all(Array.from({ length: concurrency }, () => fn()));
      wallMs += performance.now() - wallBefore;
      const cpu = process.cpuUsage(cpuBefore);
      cpuMicros += cpu.user + cpu.system;
      for (const result of results) {
        firsts.push(result.first);
        totalDeltas += result.deltas;
        if (result.deltas > 1) perDelta.push((result.total - result.first) / (result.deltas - 1));
      }
    }
    return {
      firstP50: percentile(firsts, 50),
      firstP95: percentile(firsts, 95),
      perDeltaP50: percentile(perDelta, 50),
      cpuPerDeltaMs: cpuMicros / 1000 / totalDeltas,
      wallPerDeltaMs: wallMs / totalDeltas,
    };
  }

  await direct();
  await viaServer();
  const latency = {};
  for (const concurrency of CONCURRENCY) {
    const d = await measure(direct, concurrency);
    const s = await measure(viaServer, concurrency);
    latency[`c${concurrency}`] = {
      directFirstTokenMsP50: round3(d.firstP50),
      serverFirstTokenMsP50: round3(s.firstP50),
      addedFirstTokenMsP50: round3(s.firstP50 - d.firstP50),
      serverFirstTokenMsP95: round3(s.firstP95),
      directPerDeltaMs: round3(d.perDeltaP50),
      serverPerDeltaMs: round3(s.perDeltaP50),
      addedPerDeltaMs: round3(s.perDeltaP50 - d.perDeltaP50),
      directCpuPerDeltaMs: round3(d.cpuPerDeltaMs),
      serverCpuPerDeltaMs: round3(s.cpuPerDeltaMs),
      addedCpuPerDeltaMs: round3(s.cpuPerDeltaMs - d.cpuPerDeltaMs),
      addedWallPerDeltaMs: round3(s.wallPerDeltaMs - d.wallPerDeltaMs),
    };
  }

  // Store round trips per turn for short and long replies.
  const roundTrips = {};
  for (const [tokens, prompt] of [
    [5, 'short'],
    [200, 'long'],
  ]) {
    const counted = countingStore(createMemoryStore());
    const s = createChatKitServer({
      store: counted.store,
      agents: {
        registry: createAgentRegistry([agent]),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
      },
    });
    const body = {
      type: 'threads.create',
      params: {
        input: { content: [{ type: 'input_text', text: prompt }], attachments: [], inference_options: {} },
      },
    };
    const res = await s.handle(
      new Request('http://bench/chatkit', { method: 'POST', body: JSON.stringify(body) }),
      {
        userId: crypto.randomUUID(),
      },
    );
    await res.text();
    roundTrips[`replyTokens${tokens}`] = counted.counter.calls;
  }
  await fake.close();
  void counter;

  console.log(
    JSON.stringify({
      benchmark: 'agent-core chatkit-server',
      replyTokens: 100,
      fakeServer: 'child process (relaykit-fake-openai)',
      rounds: { c1: ROUNDS, high: HIGH_ROUNDS },
      latency,
      storeRoundTripsPerTurn: roundTrips,
      goals: { addedFirstTokenMsP50: 5, addedPerDeltaMs: 0.2, storeRoundTripsConstant: true },
      notes:
        'addedPerDeltaMs is per stream (wall time between deltas, shared by N streams on one event loop); addedCpuPerDeltaMs and addedWallPerDeltaMs divide the process CPU / round wall time by all deltas of the round',
    }),
  );
}

await main();
