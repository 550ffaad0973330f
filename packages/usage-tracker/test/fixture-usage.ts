import { listOpenAIFixtures, readOpenAIFixture } from '@relaykit/testing';
import { parse } from 'yaml';

/** One usage object found in a recorded fixture. */
export interface FixtureUsage {
  file: string;
  api: 'responses' | 'chat.completions';
  model: string;
  usage: Record<string, unknown>;
}

function fromObject(file: string, value: unknown, found: FixtureUsage[]): void {
  if (typeof value !== 'object' || value === null) return;
  const object = value as Record<string, unknown>;
  if (object.type === 'response.completed' || object.type === 'response.incomplete') {
    fromObject(file, object.response, found);
    return;
  }
  if (object.usage && typeof object.usage === 'object' && typeof object.model === 'string') {
    const usage = object.usage as Record<string, unknown>;
    if ('input_tokens' in usage && object.object === 'response')
      found.push({ file, api: 'responses', model: object.model, usage });
    else if ('prompt_tokens' in usage)
      found.push({ file, api: 'chat.completions', model: object.model, usage });
  }
}

function fromSse(file: string, text: string, found: FixtureUsage[]): void {
  for (const line of text.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const payload = line.slice(5).trim();
    if (payload === '[DONE]' || payload === '') continue;
    fromObject(file, JSON.parse(payload), found);
  }
}

/** Every usage object in the recorded fixtures (final usage of each streamed or non-streamed response). */
export function fixtureUsages(): FixtureUsage[] {
  const found: FixtureUsage[] = [];
  for (const fixture of listOpenAIFixtures()) {
    const text = readOpenAIFixture(fixture.file).toString('utf8');
    if (fixture.format === 'JSONL') {
      for (const line of text.split('\n')) if (line.trim()) fromObject(fixture.file, JSON.parse(line), found);
    } else if (fixture.format === 'JSON') fromObject(fixture.file, JSON.parse(text), found);
    else if (fixture.format === 'raw-SSE') fromSse(fixture.file, text, found);
    else {
      const cassette = parse(text) as {
        interactions: Array<{ response: { parsed_body?: unknown; body?: { string?: string } } }>;
      };
      for (const interaction of cassette.interactions) {
        if (interaction.response.parsed_body !== undefined)
          fromObject(fixture.file, interaction.response.parsed_body, found);
        else if (interaction.response.body?.string)
          fromSse(fixture.file, interaction.response.body.string, found);
      }
    }
  }
  return found;
}
