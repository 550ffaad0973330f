import { expect, it } from 'vitest';

it('runs the README quick start', async () => {
  const example = await import('../examples/quick-start');
  expect(example.result).toEqual({ ok: true, output: { events: ['Oslo meetup'] } });
  expect(example.openAITools).toEqual([
    {
      type: 'function',
      name: 'find_events',
      description: 'Find upcoming events in a city.',
      strict: true,
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      },
    },
  ]);
  expect(example.calls.map((call) => [call.tool, call.outcome, call.context.userId])).toEqual([
    ['find_events', 'success', 'u1'],
  ]);
});
