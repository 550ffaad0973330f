// Added latency of the full ChatKit server path (request parse → store writes → agent run → SSE) over a direct
// `openai` SDK stream from the same fake server, plus store round trips per turn. Run after `pnpm build`:
//   pnpm --filter @relaykit/agent-core bench
// Prints ONE JSON document as the last stdout line. Goals (not asserted): < 5 ms added to first token p50,
// < 0.2 ms per delta, store round trips per turn independent of reply length.
import { setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI } from '@relaykit/testing';
import OpenAI from 'openai';
import { z } from 'zod';
import { createAgentRegistry, createChatKitServer, createModelAccess, defineAgent } from '../dist/index.js';

setTracingDisabled(true);
const CONCURRENCY = [1, Number(process.env.BENCH_CONCURRENCY ?? 200)];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
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

async function main() {
  const fake = await createFakeOpenAI({ script: { rules: [{ reply: { text: REPLY } }] } });
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

  async function measure(fn, concurrency) {
    const firsts = [];
    const perDelta = [];
    const rounds = concurrency === 1 ? ROUNDS : 1;
    for (let r = 0; r < rounds; r += 1) {
      const results = await Promise.all(Array.from({ length: concurrency }, () => fn()));
      for (const result of results) {
        firsts.push(result.first);
        if (result.deltas > 1) perDelta.push((result.total - result.first) / (result.deltas - 1));
      }
    }
    return {
      firstP50: percentile(firsts, 50),
      firstP95: percentile(firsts, 95),
      perDeltaP50: percentile(perDelta, 50),
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
    };
  }
  await fake.close();

  // Store round trips per turn for short and long replies.
  const roundTrips = {};
  for (const tokens of [5, 200]) {
    const replyFake = await createFakeOpenAI({ script: { rules: [{ reply: { text: words(tokens) } }] } });
    const counted = countingStore(createMemoryStore());
    const s = createChatKitServer({
      store: counted.store,
      agents: {
        registry: createAgentRegistry([agent]),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: replyFake.url, maxRetries: 0 }),
      },
    });
    const body = {
      type: 'threads.create',
      params: {
        input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
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
    await replyFake.close();
  }
  void counter;

  console.log(
    JSON.stringify({
      benchmark: 'agent-core chatkit-server',
      replyTokens: 100,
      latency,
      storeRoundTripsPerTurn: roundTrips,
      goals: { addedFirstTokenMsP50: 5, addedPerDeltaMs: 0.2, storeRoundTripsConstant: true },
    }),
  );
}

await main();
