import { describe, expect, it } from 'vitest';
import { parseChatKitEvent } from '../chatkit/parse';
import { serializeChatKitEvent } from '../chatkit/serialize';
import { createEventStreamDecoder } from '../sse/decode';
import { encodeEvent } from '../sse/encode';
import { recordedResponsesStreams } from '../translate/fixture-streams';
import { responsesToChatKit } from '../translate/responses';
import { createMemoryStreamLog } from './drivers/memory';

const recorded = (await recordedResponsesStreams()).find(
  (stream) => stream.name === 'openai-web-search-tool.1.chunks.txt',
);

describe('a recorded model stream through translation, the stream log and SSE, resumed mid-way', () => {
  it('a client reconnecting with Last-Event-ID gets exactly the ChatKit frames it missed', async () => {
    if (recorded === undefined) throw new Error('missing fixture');
    const log = createMemoryStreamLog();
    const writer = await log.create('turn_1');
    const wire: string[] = [];
    let counter = 0;
    for await (const event of responsesToChatKit(recorded.events, {
      threadId: 'thr_1',
      generateId: (kind) => `${kind}_${++counter}`,
    })) {
      const json = serializeChatKitEvent(event);
      if (json === undefined) continue;
      wire.push(json);
      writer.append(json);
    }
    await writer.complete();
    expect(wire.length).toBeGreaterThan(150);

    const lastEventId = '100'; // the client saw frames 1..100, then the connection dropped
    let body = '';
    for await (const entry of log.read('turn_1', { after: lastEventId }))
      body += encodeEvent({ id: String(entry.sequence), data: entry.data });
    const messages = [];
    for await (const message of new Blob([body]).stream().pipeThrough(createEventStreamDecoder()))
      messages.push(message);

    expect(messages.map((message) => message.id)).toEqual(
      wire.slice(100).map((_, index) => String(101 + index)),
    );
    expect(messages.map((message) => message.data)).toEqual(wire.slice(100));
    const last = parseChatKitEvent(JSON.parse(messages.at(-1)?.data ?? 'null'));
    expect(last).toMatchObject({ type: 'thread.item.done', item: { type: 'assistant_message' } });
    await log.close();
  });
});
