/**
 * Encode + decode throughput of a realistic ChatKit delta stream, side by side with baselines, in one run.
 *
 * Two pairs, each measured the same way (best of interleaved rounds after a warm-up):
 * - codec: relaykit = encodeChatKitEvent() (schema normalization, null stripping, framing) + UTF-8, regrouped into
 *   16 KiB network chunks, then createEventStreamParser() (eventsource-parser, size cap) + parseChatKitEvent()
 *   (JSON.parse + loose schema parsing) → typed events. baseline = `data: ${JSON.stringify(event)}\n\n` + UTF-8, the
 *   same chunks, TextDecoder + eventsource-parser alone + JSON.parse; no validation.
 * - streams: the same work through the public TransformStreams (createChatKitEventEncoder() →
 *   createChatKitEventDecoder()) against the baseline work wrapped in equivalent TransformStreams; this shows what
 *   the Web Streams plumbing costs both sides.
 * Also reported alone: JSON.stringify of each event, and eventsource-parser on the baseline bytes.
 *
 * Goal: relaykit events/s ≥ 50% of the baseline's (both pairs). Prints one JSON document as its last stdout line.
 * Run after `pnpm build` (imports the built package by name).
 */
import {
  createChatKitEventDecoder,
  createChatKitEventEncoder,
  createEventStreamParser,
  encodeChatKitEvent,
  parseChatKitEvent,
  type ThreadStreamEventInput,
} from '@relaykit/sse-protocol';
import { createParser } from 'eventsource-parser';

const TURNS = 40;
const DELTAS_PER_TURN = 500;
const ROUNDS = 10;
const CHUNK_BYTES = 16 * 1024;

const WORDS = [
  'the',
  'event',
  'planner',
  'booked',
  'a',
  'venue',
  'for',
  '120',
  'guests',
  'café',
  '— ',
  'naïve',
  '🎉',
  'on',
  'Friday,',
  'with',
  '"quotes"',
  'and\nnewlines',
  'budget:',
  '$4,500.',
];

function conversation(): ThreadStreamEventInput[] {
  const events: ThreadStreamEventInput[] = [];
  const threadId = 'thr_4f2257d7';
  const at = '2026-11-23T11:37:30.190465';
  events.push({ type: 'thread.created', thread: { id: threadId, created_at: at } });
  for (let turn = 0; turn < TURNS; turn++) {
    const messageId = `msg_${turn.toString(16).padStart(8, '0')}`;
    events.push({
      type: 'thread.item.done',
      item: {
        id: `usr_${turn}`,
        thread_id: threadId,
        created_at: at,
        type: 'user_message',
        content: [{ type: 'input_text', text: 'Plan the rehearsal dinner, please.' }],
        inference_options: {},
      },
    });
    events.push({ type: 'stream_options', stream_options: { allow_cancel: true } });
    events.push({
      type: 'thread.item.added',
      item: { id: messageId, thread_id: threadId, created_at: at, type: 'assistant_message', content: [] },
    });
    events.push({
      type: 'thread.item.updated',
      item_id: messageId,
      update: {
        type: 'assistant_message.content_part.added',
        content_index: 0,
        content: { type: 'output_text', text: '', annotations: [] },
      },
    });
    let text = '';
    for (let index = 0; index < DELTAS_PER_TURN; index++) {
      const delta = `${WORDS[(index * 7 + turn) % WORDS.length]} `;
      text += delta;
      events.push({
        type: 'thread.item.updated',
        item_id: messageId,
        update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
      });
    }
    events.push({
      type: 'thread.item.updated',
      item_id: messageId,
      update: {
        type: 'assistant_message.content_part.done',
        content_index: 0,
        content: { type: 'output_text', text },
      },
    });
    events.push({
      type: 'thread.item.done',
      item: {
        id: messageId,
        thread_id: threadId,
        created_at: at,
        type: 'assistant_message',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    });
  }
  return events;
}

/** Regroups byte chunks into network-sized chunks (cutting across frames and UTF-8 sequences). */
function rechunk(chunks: Uint8Array[]): Uint8Array[] {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  const out: Uint8Array[] = [];
  for (let start = 0; start < total; start += CHUNK_BYTES) out.push(all.subarray(start, start + CHUNK_BYTES));
  return out;
}

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of stream) out.push(value);
  return out;
}

function fromArray<T>(values: T[]): ReadableStream<T> {
  let index = 0;
  return new ReadableStream<T>({
    pull(controller) {
      // Enqueue in batches so the source itself costs next to nothing.
      for (let n = 0; n < 256 && index < values.length; n++) controller.enqueue(values[index++] as T);
      if (index >= values.length) controller.close();
    },
  });
}

const utf8 = new TextEncoder();

function relaykitCodec(events: ThreadStreamEventInput[]): number {
  const bytes = events.map((event) => utf8.encode(encodeChatKitEvent(event)));
  let count = 0;
  const parser = createEventStreamParser((message) => {
    parseChatKitEvent(message.data);
    count++;
  });
  for (const chunk of rechunk(bytes)) parser.feed(chunk);
  parser.end();
  return count;
}

function baselineCodec(events: ThreadStreamEventInput[]): number {
  const bytes = events.map((event) => utf8.encode(`data: ${JSON.stringify(event)}\n\n`));
  const decoder = new TextDecoder();
  let count = 0;
  const parser = createParser({
    onEvent(message) {
      JSON.parse(message.data);
      count++;
    },
  });
  for (const chunk of rechunk(bytes)) parser.feed(decoder.decode(chunk, { stream: true }));
  return count;
}

async function relaykitStreams(events: ThreadStreamEventInput[]): Promise<number> {
  const bytes = await collect(fromArray(events).pipeThrough(createChatKitEventEncoder()));
  const decoded = await collect(fromArray(rechunk(bytes)).pipeThrough(createChatKitEventDecoder()));
  return decoded.length;
}

async function baselineStreams(events: ThreadStreamEventInput[]): Promise<number> {
  const encode = new TransformStream<ThreadStreamEventInput, Uint8Array>({
    transform(event, controller) {
      controller.enqueue(utf8.encode(`data: ${JSON.stringify(event)}\n\n`));
    },
  });
  const bytes = await collect(fromArray(events).pipeThrough(encode));
  const textDecoder = new TextDecoder();
  let parser!: ReturnType<typeof createParser>;
  const decode = new TransformStream<Uint8Array, unknown>({
    start(controller) {
      parser = createParser({ onEvent: (message) => controller.enqueue(JSON.parse(message.data)) });
    },
    transform(chunk) {
      parser.feed(textDecoder.decode(chunk, { stream: true }));
    },
  });
  const decoded = await collect(fromArray(rechunk(bytes)).pipeThrough(decode));
  return decoded.length;
}

function jsonStringify(events: ThreadStreamEventInput[]): number {
  let length = 0;
  for (const event of events) length += JSON.stringify(event).length;
  return length > 0 ? events.length : 0;
}

function eventsourceParserOnly(chunks: Uint8Array[]): number {
  const decoder = new TextDecoder();
  let count = 0;
  const parser = createParser({
    onEvent() {
      count++;
    },
  });
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  return count;
}

type Runner = () => number | Promise<number>;

/**
 * Best events/s of each runner over ROUNDS interleaved rounds, after one warm-up round; interleaving keeps a
 * noisy, shared machine from favouring whichever runner happens to run in a quiet moment.
 */
async function measure(runners: Record<string, Runner>, expected: number): Promise<Record<string, number>> {
  const best: Record<string, number> = {};
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, run] of Object.entries(runners)) {
      const start = performance.now();
      const count = await run();
      const seconds = (performance.now() - start) / 1000;
      if (count !== expected) throw new Error(`${name}: expected ${expected} events, got ${count}`);
      if (round > 0) best[name] = Math.max(best[name] ?? 0, Math.round(count / seconds));
    }
  }
  return best;
}

const events = conversation();
const baselineBytes = rechunk(events.map((event) => utf8.encode(`data: ${JSON.stringify(event)}\n\n`)));
const eventsPerSecond = await measure(
  {
    relaykitCodec: () => relaykitCodec(events),
    baselineCodec: () => baselineCodec(events),
    relaykitStreams: () => relaykitStreams(events),
    baselineStreams: () => baselineStreams(events),
    jsonStringify: () => jsonStringify(events),
    eventsourceParser: () => eventsourceParserOnly(baselineBytes),
  },
  events.length,
);
const ratio = (a: number | undefined, b: number | undefined) =>
  Math.round(((a ?? 0) / (b ?? 1)) * 1000) / 1000;
const ratioToBaseline = {
  codec: ratio(eventsPerSecond.relaykitCodec, eventsPerSecond.baselineCodec),
  streams: ratio(eventsPerSecond.relaykitStreams, eventsPerSecond.baselineStreams),
};
console.log(
  JSON.stringify({
    name: 'chatkit-codec',
    events: events.length,
    bytes: baselineBytes.reduce((sum, chunk) => sum + chunk.length, 0),
    eventsPerSecond,
    ratioToBaseline,
    goal: 0.5,
    meetsGoal: ratioToBaseline.codec >= 0.5 && ratioToBaseline.streams >= 0.5,
  }),
);
