// The "Resumable streams" example of the package README, verbatim between the markers (a test runs it and checks
// the README still shows exactly this code).
// README-EXAMPLE-START
import { createMemoryStreamLog, encodeEvent } from '../index';

const log = createMemoryStreamLog(); // or createRedisStreamLog({ redis }), createPostgresStreamLog({ sql })

// Producer: append events as the model streams them (buffered, written in batches).
const writer = await log.create('run_123');
writer.append(JSON.stringify({ type: 'chunk', text: 'Hel' }));
writer.append(JSON.stringify({ type: 'chunk', text: 'lo' }));
await writer.complete();

// Reader, on any instance: replay after the client's Last-Event-ID, then follow live until done.
const frames: string[] = [];
for await (const entry of log.read('run_123', { after: '1' })) {
  frames.push(encodeEvent({ id: String(entry.sequence), data: entry.data }));
}

// README-EXAMPLE-END

export { frames };
