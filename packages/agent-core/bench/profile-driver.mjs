// A focused driver for profiling one path of the chatkit-server bench (not a benchmark: no goals, no JSON).
//   node --cpu-prof --cpu-prof-dir=<dir> bench/profile-driver.mjs <path> [rounds] [concurrency]
// <path>: raw | sdk (the Agents SDK run alone, no RelayKit) | chatKit | simple | fastPath. Prints CPU µs per delta.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, Runner, setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import OpenAI from 'openai';
import { z } from 'zod';
import {
  createAgentRegistry,
  createChatKitServer,
  createChatStream,
  createModelAccess,
  createOpenAIRespond,
  defineAgent,
} from '../dist/index.js';

setTracingDisabled(true);
const [name = 'chatKit', roundsArg = '3', concurrencyArg = '100'] = process.argv.slice(2);
const words = (n) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
const folder = mkdtempSync(join(tmpdir(), 'relaykit-profile-'));
const scriptPath = join(folder, 'script.json');
writeFileSync(
  scriptPath,
  JSON.stringify({ rules: [{ reply: { text: words(Number(process.env.WORDS ?? 500)) } }] }),
);
const cli = fileURLToPath(import.meta.resolve('@relaykit/testing/cli'));
const child = spawn(process.execPath, [cli, '--port', '0', '--script', scriptPath], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
process.once('exit', () => child.kill('SIGTERM'));
const url = await new Promise((resolve) =>
  createInterface({ input: child.stdout }).once('line', (l) => resolve(l.trim())),
);
const client = new OpenAI({ apiKey: 'test', baseURL: url, maxRetries: 0 });
const modelAccess = createModelAccess({ apiKey: 'test', baseURL: url, maxRetries: 0 });
const agent = defineAgent({
  type: 'bench',
  description: 'bench',
  metadata: z.object({}),
  instructions: 'Answer.',
});
const server = createChatKitServer({
  store: createMemoryStore(),
  agents: { registry: createAgentRegistry([agent]), modelAccess },
});
const fastStore = createMemoryStore();
const fastServer = createChatKitServer({
  store: fastStore,
  respond: createOpenAIRespond(fastStore, { client, params: { model: 'gpt-4.1-mini' } }),
});
const body = JSON.stringify({
  type: 'threads.create',
  params: {
    input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
  },
});
async function count(stream, needle) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let n = 0;
  let carry = '';
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      if (process.env.CHUNKS) console.error('chunks', chunks);
      return n;
    }
    chunks += 1;
    const text = carry + decoder.decode(value, { stream: true });
    n += text.split(needle).length - 1;
    carry = text.slice(-(needle.length - 1));
  }
}
const sdkAgent = new Agent({ name: 'bench', instructions: 'Answer.', model: 'gpt-4.1-mini' });
const paths = {
  raw: async () => {
    let n = 0;
    for await (const e of await client.responses.create({ model: 'gpt-4.1-mini', input: 'Hi', stream: true }))
      if (e.type === 'response.output_text.delta') n += 1;
    return n;
  },
  sdk: async () => {
    const runner = new Runner({
      modelProvider: await modelAccess.providerFor({ userId: 'u' }),
      tracingDisabled: true,
    });
    const result = await runner.run(sdkAgent, 'Hi', { stream: true });
    let n = 0;
    for await (const e of result)
      if (e.type === 'raw_model_stream_event' && e.data.type === 'output_text_delta') n += 1;
    await result.completed;
    return n;
  },
  chatKit: async () =>
    count(
      (
        await server.handle(new Request('http://x/chatkit', { method: 'POST', body }), {
          userId: crypto.randomUUID(),
        })
      ).body,
      'content_part.text_delta',
    ),
  simple: async () =>
    count(
      (await createChatStream(server, { message: 'Hi', heartbeatMs: 0 }, { userId: crypto.randomUUID() }))
        .body,
      'event: chunk',
    ),
  fastPath: async () =>
    count(
      (
        await fastServer.handle(new Request('http://x/chatkit', { method: 'POST', body }), {
          userId: crypto.randomUUID(),
        })
      ).body,
      'content_part.text_delta',
    ),
};
const fn = paths[name];
await fn();
let micros = 0;
let deltas = 0;
for (let r = 0; r < Number(roundsArg); r += 1) {
  const before = process.cpuUsage();
  const counts = await Promise.all(Array.from({ length: Number(concurrencyArg) }, () => fn()));
  const used = process.cpuUsage(before);
  micros += used.user + used.system;
  deltas += counts.reduce((a, b) => a + b, 0);
}
console.log(
  JSON.stringify({ path: name, deltas, cpuPerDeltaUs: Math.round((micros / deltas) * 1000) / 1000 }),
);
child.kill('SIGTERM');
