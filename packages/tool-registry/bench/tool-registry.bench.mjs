// Benchmarks for @relaykit/tool-registry, run against the built package (`pnpm build` first):
//   node bench/tool-registry.bench.mjs
// Prints one JSON document as the last stdout line. Goals are reported, never asserted.
import { z } from 'zod';
import { createToolRegistry, defineTool } from '../dist/index.js';
import { guardReadOnlySqlSync, loadSqlParser } from '../dist/postgres.js';

function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

async function measure(iterations, fn) {
  for (let i = 0; i < Math.min(2_000, iterations); i += 1) await fn(i);
  const samples = new Array(iterations);
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now();
    await fn(i);
    samples[i] = (performance.now() - start) * 1000;
  }
  return percentiles(samples);
}

const round = (value) => Math.round(value * 100) / 100;
const roundAll = (stats) =>
  Object.fromEntries(Object.entries(stats).map(([key, value]) => [key, round(value)]));

// 1. Validation + dispatch overhead per call, for a small schema.
const addEvent = defineTool({
  name: 'add_event',
  description: 'Add an event.',
  risk: 'write',
  input: z.object({ title: z.string().max(200), city: z.string(), seats: z.number().int().positive() }),
  output: z.object({ id: z.string(), seats: z.number() }),
  execute: async ({ title, seats }) => ({ id: title, seats }),
});
const registry = createToolRegistry({ hooks: { onToolStart() {}, onToolEnd() {} } }).register(addEvent);
const args = { title: 'Meetup', city: 'Oslo', seats: 40 };
const json = JSON.stringify(args);
const context = { userId: 'u1', agentType: 'planner' };
const signal = new AbortController().signal;
const iterations = 20_000;

const direct = await measure(iterations, () =>
  addEvent.execute(args, { ...context, toolName: 'add_event', callId: 'c', signal }),
);
const viaRegistry = await measure(iterations, () =>
  registry.execute('add_event', json, context, { callId: 'c' }),
);

// 2. SQL guard cost per statement.
await loadSqlParser();
const statements = {
  simple_select: 'select id, name from widgets where deleted_at is null order by id limit 10',
  join_with_cte:
    "with recent as (select * from orders where created_at > now() - interval '7 days') select w.name, sum(r.amount) from widgets w join recent r on r.widget_id = w.id group by w.name having sum(r.amount) > 10 order by 2 desc",
  refused_writable_cte: 'with x as (delete from widgets returning *) select * from x',
  refused_stacked: 'select 1; drop table widgets',
};
const guard = {};
for (const [name, sql] of Object.entries(statements)) {
  guard[name] = roundAll(await measure(5_000, () => guardReadOnlySqlSync(sql)));
}

console.log(
  JSON.stringify({
    package: '@relaykit/tool-registry',
    node: process.version,
    unit: 'microseconds',
    toolCall: {
      iterations,
      directExecute: roundAll(direct),
      registryExecute: roundAll(viaRegistry),
      overheadP50: round(viaRegistry.p50 - direct.p50),
      goalOverheadP50: 50,
      meetsGoal: viaRegistry.p50 - direct.p50 < 50,
    },
    sqlGuard: guard,
  }),
);
