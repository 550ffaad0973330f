import { describe, expect, it } from 'vitest';
import { createPriceTable, formatMicros, modelFamily } from './prices';
import { createUsage, usageFromImages } from './usage';

describe('price table', () => {
  const table = createPriceTable({ at: new Date('2026-11-23T00:00:00Z') });

  it('maps dated snapshots to their family', () => {
    expect(modelFamily('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(modelFamily('gpt-4-0613')).toBe('gpt-4');
    expect(table.lookup('gpt-4o-mini-2024-07-18')?.model).toBe('gpt-4o-mini');
  });

  it('returns unpriced, never $0, for an unknown model', () => {
    expect(table.cost('acme-llm-9000', createUsage({ requests: 1, inputTokens: 10 }))).toMatchObject({
      status: 'unpriced',
      model: 'acme-llm-9000',
    });
    expect(
      table.cost('dall-e-3', usageFromImages(undefined, { size: '512x512', quality: 'standard', count: 1 })),
    ).toMatchObject({ status: 'unpriced' });
  });

  it('prices images per image or by image tokens', () => {
    expect(
      table.cost('dall-e-3', usageFromImages(undefined, { size: '1024x1792', quality: 'hd', count: 3 })),
    ).toMatchObject({ costMicros: 360_000 });
    expect(
      table.cost(
        'gpt-image-1',
        usageFromImages(undefined, { size: '1024x1024', quality: 'medium', count: 1 }),
      ),
    ).toMatchObject({ costMicros: 42_000 });
    // tokens: 40 text × $5 + 10 image × $10 + 4160 output × $40 per million = 200 + 100 + 166400 micro-dollars
    const tokens = usageFromImages(
      { input_tokens: 50, input_tokens_details: { text_tokens: 40, image_tokens: 10 }, output_tokens: 4160 },
      { size: '1024x1024', quality: 'high', count: 1 },
    );
    expect(table.cost('gpt-image-1', tokens)).toMatchObject({ status: 'priced', costMicros: 166_700 });
  });

  it('lets overrides win, with their provenance, and rounds once at the end', () => {
    const custom = createPriceTable({
      overrides: [
        {
          model: 'gpt-4o',
          match: { startsWith: 'ft:gpt-4o' },
          tokens: { input: 3_750_000, output: 15_000_000 },
          source: 'our contract',
          checkedAt: '2026-11-01',
        },
      ],
    });
    const cost = custom.cost('ft:gpt-4o:acme', createUsage({ requests: 1, inputTokens: 1, outputTokens: 1 }));
    expect(cost).toMatchObject({
      status: 'priced',
      pricedAs: 'gpt-4o',
      costMicros: 19,
      source: 'our contract',
      checkedAt: '2026-11-01',
    });
  });

  it('applies tiered prices by input size like genai-prices', () => {
    const small = table.cost('gpt-5.4', createUsage({ requests: 1, inputTokens: 1_000 }));
    const large = table.cost('gpt-5.4', createUsage({ requests: 1, inputTokens: 300_000 }));
    expect(small).toMatchObject({ costMicros: 2_500 });
    expect(large).toMatchObject({ costMicros: 1_500_000 });
  });

  it('formats micro-dollars for display', () => {
    expect(formatMicros(1_234_567)).toBe('1.234567');
    expect(formatMicros(5)).toBe('0.000005');
  });
});
