import { describe, expect, it } from 'vitest';
import { createMemoryUsageStore } from './drivers/memory';
import { createPriceTable } from './prices';
import { createUsageRecorder } from './recorder';
import { addUsage, createUsage, usageFromTranscription } from './usage';

describe('usageFromTranscription', () => {
  it('reads token usage with the audio input tokens split out', () => {
    const usage = usageFromTranscription({
      type: 'tokens',
      input_tokens: 120,
      input_token_details: { text_tokens: 20, audio_tokens: 100 },
      output_tokens: 30,
      total_tokens: 150,
    });
    expect(usage).toMatchObject({ requests: 1, inputTokens: 120, inputAudioTokens: 100, outputTokens: 30 });
    expect(usage.audioSeconds).toBeUndefined();
  });

  it('reads duration usage (whisper-1) as audio seconds without tokens', () => {
    const usage = usageFromTranscription({ type: 'duration', seconds: 7.5 });
    expect(usage).toMatchObject({ requests: 1, inputTokens: 0, outputTokens: 0, audioSeconds: 7.5 });
  });

  it('refuses an unknown type, bad counts and more audio tokens than input tokens with invalid_request', () => {
    expect(() => usageFromTranscription({ type: 'minutes', minutes: 1 })).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('"minutes"') }),
    );
    expect(() => usageFromTranscription({ type: 'duration', seconds: -1 })).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('usage.seconds') }),
    );
    expect(() => usageFromTranscription({ type: 'duration', seconds: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(() => usageFromTranscription({ type: 'tokens', output_tokens: 3 })).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('input_tokens') }),
    );
    expect(() =>
      usageFromTranscription({
        type: 'tokens',
        input_tokens: 10,
        input_token_details: { audio_tokens: 11 },
        output_tokens: 1,
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => usageFromTranscription(null)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('adds audio tokens and seconds, and leaves them out when there are none', () => {
    const total = addUsage(
      usageFromTranscription({
        type: 'tokens',
        input_tokens: 50,
        input_token_details: { audio_tokens: 40 },
        output_tokens: 5,
      }),
      usageFromTranscription({ type: 'duration', seconds: 2.25 }),
      usageFromTranscription({ type: 'duration', seconds: 1 }),
    );
    expect(total).toMatchObject({ requests: 3, inputTokens: 50, inputAudioTokens: 40, audioSeconds: 3.25 });
    expect(addUsage(createUsage({ requests: 1, inputTokens: 3 }))).not.toHaveProperty('inputAudioTokens');
  });
});

describe('transcription prices', () => {
  const table = createPriceTable({ at: new Date('2026-11-23T00:00:00Z') });

  it('prices gpt-4o-mini-transcribe audio, text and output tokens at their own rates', () => {
    // 1M audio tokens × $3 + 1M text tokens × $1.25 + 1M output tokens × $5
    const usage = usageFromTranscription({
      type: 'tokens',
      input_tokens: 2_000_000,
      input_token_details: { text_tokens: 1_000_000, audio_tokens: 1_000_000 },
      output_tokens: 1_000_000,
    });
    expect(table.cost('gpt-4o-mini-transcribe', usage)).toMatchObject({
      status: 'priced',
      pricedAs: 'gpt-4o-mini-transcribe',
      costMicros: 9_250_000,
    });
  });

  it('prices gpt-4o-transcribe and its dated snapshots and diarize variant the same way', () => {
    const usage = usageFromTranscription({
      type: 'tokens',
      input_tokens: 1000,
      input_token_details: { audio_tokens: 1000 },
      output_tokens: 100,
    });
    // 1000 × $6/1M + 100 × $10/1M = $0.006 + $0.001
    for (const model of ['gpt-4o-transcribe', 'gpt-4o-transcribe-2025-03-20', 'gpt-4o-transcribe-diarize'])
      expect(table.cost(model, usage)).toMatchObject({ status: 'priced', costMicros: 7_000 });
  });

  it('prices whisper-1 by duration: $0.006 per minute, prorated and rounded once', () => {
    expect(table.cost('whisper-1', usageFromTranscription({ type: 'duration', seconds: 60 }))).toMatchObject({
      status: 'priced',
      costMicros: 6_000,
    });
    expect(table.cost('whisper-1', usageFromTranscription({ type: 'duration', seconds: 2.5 }))).toMatchObject(
      {
        costMicros: 250,
      },
    );
    // 0.0041 s → 0.41 micro-dollars, rounds to 0
    expect(
      table.cost('whisper-1', usageFromTranscription({ type: 'duration', seconds: 0.0041 })),
    ).toMatchObject({ costMicros: 0 });
  });

  it('leaves audio unpriced, never $0, when the entry has no audio price', () => {
    expect(
      table.cost('gpt-4o-mini', usageFromTranscription({ type: 'duration', seconds: 10 })),
    ).toMatchObject({ status: 'unpriced', reason: expect.stringContaining('audio') });
    expect(
      table.cost(
        'gpt-4o-mini',
        usageFromTranscription({
          type: 'tokens',
          input_tokens: 10,
          input_token_details: { audio_tokens: 10 },
          output_tokens: 1,
        }),
      ),
    ).toMatchObject({ status: 'unpriced' });
    expect(table.cost('whisper-1', createUsage({ requests: 1, inputTokens: 10 }))).toMatchObject({
      status: 'unpriced',
    });
  });

  it('lets an override give audio prices', () => {
    const own = createPriceTable({
      useGenaiPrices: false,
      overrides: [
        { model: 'acme-whisper', audioPerMinute: 1_200, source: 'contract', checkedAt: '2026-11-23' },
      ],
    });
    expect(own.cost('acme-whisper', usageFromTranscription({ type: 'duration', seconds: 30 }))).toMatchObject(
      {
        costMicros: 600,
        source: 'contract',
      },
    );
  });
});

describe('recording transcriptions', () => {
  it('records kind transcription with its cost, audio tokens and seconds kept in the metadata', async () => {
    const store = createMemoryUsageStore();
    const recorder = createUsageRecorder({ store, prices: createPriceTable() });
    const tokens = await recorder.recordUsage({
      userId: 'teacher-1',
      kind: 'transcription',
      model: 'gpt-4o-mini-transcribe',
      usage: usageFromTranscription({
        type: 'tokens',
        input_tokens: 1_000,
        input_token_details: { text_tokens: 0, audio_tokens: 1_000 },
        output_tokens: 200,
      }),
    });
    // 1000 × $3/1M + 200 × $5/1M = 3000 + 1000 micro-dollars
    expect(tokens.cost).toMatchObject({ status: 'priced', costMicros: 4_000 });
    const duration = await recorder.recordUsage({
      userId: 'teacher-1',
      kind: 'transcription',
      model: 'whisper-1',
      usage: usageFromTranscription({ type: 'duration', seconds: 30 }),
    });
    expect(duration.cost).toMatchObject({ status: 'priced', costMicros: 3_000 });
    expect(store.rows().map((row) => [row.kind, row.promptTokens, row.costMicros, row.metadata])).toEqual([
      [
        'transcription',
        1_000,
        4_000,
        expect.objectContaining({ inputAudioTokens: 1_000, pricedAs: 'gpt-4o-mini-transcribe' }),
      ],
      ['transcription', 0, 3_000, expect.objectContaining({ audioSeconds: 30, pricedAs: 'whisper-1' })],
    ]);
  });

  it('still refuses an unknown kind, naming transcription among the accepted ones', async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    await expect(
      recorder.recordUsage({
        userId: 'u',
        kind: 'speech' as never,
        model: 'whisper-1',
        usage: createUsage({ requests: 1 }),
      }),
    ).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('transcription') });
  });
});
