import { describe, expect, it } from 'vitest';
import { createPriceTable, usageFromChatCompletions, usageFromResponses } from '../src/index';
import { fixtureUsages } from './fixture-usage';

/**
 * Prices written out by hand (micro-dollars per million tokens: input, cached input, cache write, output), as
 * published by @pydantic/genai-prices 0.1.8 for OpenAI (gpt-5.6-sol: its current start_date price, below the
 * 272k-token tier). The test computes each fixture's cost with its own arithmetic and compares it with the table.
 */
const HAND: Record<string, { input: number; cached: number; cacheWrite?: number; output: number }> = {
  'gpt-5.1-codex-max': { input: 1_250_000, cached: 125_000, output: 10_000_000 },
  'gpt-5-mini-2025-08-07': { input: 250_000, cached: 25_000, output: 2_000_000 },
  'gpt-5.4-2026-03-05': { input: 2_500_000, cached: 250_000, output: 15_000_000 },
  'gpt-5.2-2025-12-11': { input: 1_750_000, cached: 175_000, output: 14_000_000 },
  'gpt-5.3-codex': { input: 1_750_000, cached: 175_000, output: 14_000_000 },
  'gpt-5-2025-08-07': { input: 1_250_000, cached: 125_000, output: 10_000_000 },
  'gpt-5-nano-2025-08-07': { input: 50_000, cached: 5_000, output: 400_000 },
  'gpt-5.2-codex': { input: 1_750_000, cached: 175_000, output: 14_000_000 },
  'gpt-4o-2024-08-06': { input: 2_500_000, cached: 1_250_000, output: 10_000_000 },
  'gpt-4.1-2025-04-14': { input: 2_000_000, cached: 500_000, output: 8_000_000 },
  'gpt-5.6-sol': { input: 4_000_000, cached: 400_000, cacheWrite: 5_000_000, output: 20_000_000 },
  'gpt-4o-mini-2024-07-18': { input: 150_000, cached: 75_000, output: 600_000 },
  'gpt-4.1-nano-2025-04-14': { input: 100_000, cached: 25_000, output: 400_000 },
};

function handCost(model: string, usage: Record<string, unknown>, api: string): number {
  const price = HAND[model]!;
  const n = (value: unknown) => Number(value ?? 0);
  const details = (api === 'responses' ? usage.input_tokens_details : usage.prompt_tokens_details) as
    | Record<string, unknown>
    | undefined;
  const input = n(api === 'responses' ? usage.input_tokens : usage.prompt_tokens);
  const output = n(api === 'responses' ? usage.output_tokens : usage.completion_tokens);
  const cached = n(details?.cached_tokens);
  const written = n(details?.cache_write_tokens);
  const exact =
    (input - cached - written) * price.input +
    cached * price.cached +
    written * (price.cacheWrite ?? price.input) +
    output * price.output; // micro-dollars × 10^6
  return Math.floor((exact + 500_000) / 1_000_000);
}

describe('cost of every recorded fixture with usage', () => {
  const usages = fixtureUsages();
  const table = createPriceTable({ at: new Date('2026-11-23T00:00:00Z') });

  it('finds usage in the fixtures (both APIs)', () => {
    expect(usages.length).toBeGreaterThanOrEqual(30);
    expect(new Set(usages.map((entry) => entry.api))).toEqual(new Set(['responses', 'chat.completions']));
  });

  it.each(usages.map((entry, index) => [`${entry.file} #${index} (${entry.model})`, entry] as const))(
    '%s equals the hand computation',
    (_name, entry) => {
      expect(HAND[entry.model], `add ${entry.model} to the hand table`).toBeDefined();
      const usage =
        entry.api === 'responses' ? usageFromResponses(entry.usage) : usageFromChatCompletions(entry.usage);
      const cost = table.cost(entry.model, usage);
      expect(cost.status).toBe('priced');
      if (cost.status !== 'priced') return;
      expect(cost.costMicros).toBe(handCost(entry.model, entry.usage, entry.api));
      expect(Number.isInteger(cost.costMicros)).toBe(true);
    },
  );

  it('a worked example: gpt-4o, 255 in / 16 out = 637.5 + 160 → 798 micro-dollars', () => {
    const cost = table.cost(
      'gpt-4o-2024-08-06',
      usageFromResponses({ input_tokens: 255, output_tokens: 16 }),
    );
    expect(cost).toMatchObject({ status: 'priced', pricedAs: 'gpt-4o', costMicros: 798 });
  });
});
