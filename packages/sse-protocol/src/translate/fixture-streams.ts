// Test support (not exported): the recorded Responses streams of @relaykit/testing as arrays of parsed events.
import { listOpenAIFixtures, readOpenAIFixture } from '@relaykit/testing';
import { parse as parseYaml } from 'yaml';
import { createEventStreamDecoder } from '../sse/decode';
import type { ChatKitTranslationOptions } from './options';

export interface RecordedResponsesStream {
  /** `<file>` or `<file>#<interaction>` for cassettes with several streams. */
  name: string;
  file: string;
  notes: string;
  events: Record<string, unknown>[];
}

async function decodeSse(body: string): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  const messages = new Blob([body]).stream().pipeThrough(createEventStreamDecoder());
  for await (const message of messages) {
    if (message.done) continue;
    events.push(JSON.parse(message.data) as Record<string, unknown>);
  }
  return events;
}

/** Every streamed Responses fixture: JSONL files are one stream, each VCR interaction with an SSE body is one. */
export async function recordedResponsesStreams(): Promise<RecordedResponsesStream[]> {
  const streams: RecordedResponsesStream[] = [];
  for (const fixture of listOpenAIFixtures()) {
    if (!fixture.streamed || !fixture.api.split('+').includes('responses')) continue;
    const raw = readOpenAIFixture(fixture.file).toString('utf8');
    if (fixture.format === 'JSONL') {
      const events = raw
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      streams.push({ name: fixture.file, file: fixture.file, notes: fixture.notes, events });
    } else if (fixture.format === 'VCR-YAML') {
      const cassette = parseYaml(raw) as { interactions: { response: { body?: { string?: string } } }[] };
      for (const [index, interaction] of cassette.interactions.entries()) {
        const body = interaction.response.body?.string;
        if (typeof body !== 'string' || !body.includes('data:')) continue;
        streams.push({
          name: `${fixture.file}#${index}`,
          file: fixture.file,
          notes: fixture.notes,
          events: await decodeSse(body),
        });
      }
    } else {
      throw new Error(`unexpected format ${fixture.format} for streamed Responses fixture ${fixture.file}`);
    }
  }
  return streams;
}

/** Concatenated `output_text` of the message items of every `response.completed` in the stream. */
export function completedOutputText(events: Record<string, unknown>[]): string {
  let text = '';
  for (const event of events) {
    if (event.type !== 'response.completed') continue;
    const response = event.response as {
      output?: { type: string; content?: { type: string; text?: string }[] }[];
    };
    for (const item of response.output ?? []) {
      if (item.type !== 'message') continue;
      for (const part of item.content ?? []) if (part.type === 'output_text') text += part.text ?? '';
    }
  }
  return text;
}

/** Translation options with counted ids (`message_1`, …) and a fixed clock, so translations compare equal. */
export function deterministicOptions(
  extra: Partial<ChatKitTranslationOptions> = {},
): ChatKitTranslationOptions {
  let counter = 0;
  return {
    threadId: 'thr_agents',
    generateId: (kind) => `${kind}_${++counter}`,
    now: () => new Date('2026-11-23T12:00:00Z'),
    ...extra,
  };
}
