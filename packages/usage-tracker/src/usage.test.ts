import { Usage as AgentsUsage } from '@openai/agents-core';
import { describe, expect, it } from 'vitest';
import {
  addUsage,
  createUsage,
  parseUsage,
  usageFromAgents,
  usageFromChatCompletions,
  usageFromImages,
  usageFromResponses,
} from './usage';

describe('usage converters', () => {
  it('reads Responses usage with cached, cache-write and reasoning tokens', () => {
    const usage = usageFromResponses({
      input_tokens: 7112,
      input_tokens_details: { cached_tokens: 3072, cache_write_tokens: 40 },
      output_tokens: 463,
      output_tokens_details: { reasoning_tokens: 64 },
      total_tokens: 7575,
    });
    expect(usage).toMatchObject({
      requests: 1,
      inputTokens: 7112,
      cachedInputTokens: 3072,
      cacheWriteTokens: 40,
      outputTokens: 463,
      reasoningTokens: 64,
    });
  });

  it('reads Chat Completions usage', () => {
    const usage = usageFromChatCompletions({
      prompt_tokens: 4020,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 4012 },
      completion_tokens: 4,
      completion_tokens_details: { reasoning_tokens: 1 },
    });
    expect(usage).toMatchObject({
      inputTokens: 4020,
      cacheWriteTokens: 4012,
      outputTokens: 4,
      reasoningTokens: 1,
    });
  });

  it('reads Images API usage and counts images', () => {
    const usage = usageFromImages(
      { input_tokens: 50, input_tokens_details: { text_tokens: 40, image_tokens: 10 }, output_tokens: 4160 },
      { size: '1024x1024', quality: 'high', count: 1 },
    );
    expect(usage).toMatchObject({
      inputTokens: 50,
      inputImageTokens: 10,
      outputTokens: 4160,
      outputImageTokens: 4160,
    });
    expect(usage.images).toEqual([{ size: '1024x1024', quality: 'high', count: 1 }]);
    expect(
      usageFromImages(undefined, { size: '1024x1024', quality: 'standard', count: 2 }).outputTokens,
    ).toBe(0);
  });

  it('reads the Agents SDK Usage class (summing per-request details)', () => {
    const agents = new AgentsUsage({
      requests: 1,
      inputTokens: 100,
      outputTokens: 40,
      totalTokens: 140,
      inputTokensDetails: { cached_tokens: 30 },
      outputTokensDetails: { reasoning_tokens: 12 },
    });
    agents.add(
      new AgentsUsage({
        requests: 1,
        inputTokens: 50,
        outputTokens: 10,
        totalTokens: 60,
        inputTokensDetails: { cached_tokens: 5 },
        outputTokensDetails: { reasoning_tokens: 3 },
      }),
    );
    expect(usageFromAgents(agents)).toMatchObject({
      requests: 2,
      inputTokens: 150,
      outputTokens: 50,
      cachedInputTokens: 35,
      reasoningTokens: 15,
    });
    expect(usageFromAgents(JSON.parse(JSON.stringify(agents)))).toMatchObject({
      requests: 2,
      inputTokens: 150,
      cachedInputTokens: 35,
    });
  });

  it('reads the usage of one model response (response_done: no requests field, counts as one request)', () => {
    const usage = usageFromAgents({
      inputTokens: 34,
      outputTokens: 12,
      totalTokens: 46,
      inputTokensDetails: { cached_tokens: 10, cache_write_tokens: 4 },
      outputTokensDetails: { reasoning_tokens: 5 },
    });
    expect(usage).toMatchObject({
      requests: 1,
      inputTokens: 34,
      cachedInputTokens: 10,
      cacheWriteTokens: 4,
      outputTokens: 12,
      reasoningTokens: 5,
    });
    expect(usageFromAgents({ requests: 0, inputTokens: 0, outputTokens: 0 }).requests).toBe(0);
  });

  it.each([
    ['negative', { input_tokens: -1, output_tokens: 1 }],
    ['NaN', { input_tokens: Number.NaN, output_tokens: 1 }],
    ['fractional', { input_tokens: 1.5, output_tokens: 1 }],
    ['missing', { output_tokens: 1 }],
    ['a string', { input_tokens: '12', output_tokens: 1 }],
    ['cached above input', { input_tokens: 1, input_tokens_details: { cached_tokens: 2 }, output_tokens: 1 }],
  ])('rejects %s counts with invalid_request', (_label, value) => {
    expect(() => usageFromResponses(value)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('rejects non-objects and bad normalized usage', () => {
    expect(() => usageFromChatCompletions(null)).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(() => parseUsage({ ...createUsage(), outputTokens: 1, reasoningTokens: 2 })).toThrow(/reasoning/);
    expect(() => createUsage({ inputTokens: Number.POSITIVE_INFINITY })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  it('adds usages and merges images', () => {
    const total = addUsage(
      createUsage({
        requests: 1,
        inputTokens: 10,
        images: [{ size: '1024x1024', quality: 'low', count: 1 }],
      }),
      createUsage({ requests: 2, inputTokens: 5, images: [{ size: '1024x1024', quality: 'low', count: 2 }] }),
    );
    expect(total).toMatchObject({
      requests: 3,
      inputTokens: 15,
      images: [{ size: '1024x1024', quality: 'low', count: 3 }],
    });
  });
});
