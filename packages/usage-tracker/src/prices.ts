import { findProvider, type MatchLogic, type ModelInfo, type ModelPrice } from '@pydantic/genai-prices';
import { invalidRequest } from './errors';
import { parseUsage, type Usage } from './usage';

/** A per-million-token price in integer micro-dollars, optionally tiered by the request's input tokens. */
export type TokenPrice = number | { base: number; tiers: Array<{ start: number; price: number }> };

/** Token prices of a model, in integer micro-dollars per million tokens. */
export interface TokenPrices {
  input: TokenPrice;
  /** Cached (cache-read) input; defaults to `input`. */
  cachedInput?: TokenPrice;
  /** Cache-write input; defaults to `input`. */
  cacheWrite?: TokenPrice;
  output: TokenPrice;
  /** Image input tokens; defaults to `input`. */
  inputImage?: TokenPrice;
  /** Image output tokens; defaults to `output`. */
  outputImage?: TokenPrice;
  /** Audio input tokens (transcription models). No default: audio tokens without it leave the call unpriced. */
  inputAudio?: TokenPrice;
}

/** The price of one generated image of a size and quality, in integer micro-dollars. */
export interface ImagePrice {
  size: string;
  quality: string;
  micros: number;
}

/** How a model name is matched: exact names, prefixes or a regular expression. */
export type ModelMatch =
  | { equals: string }
  | { startsWith: string }
  | { regex: string }
  | { anyOf: ModelMatch[] };

/** One reviewed price entry with its provenance. */
export interface PriceEntry {
  /** Canonical model id (the family dated snapshots map to). */
  model: string;
  /** Names that resolve to this entry besides `model` itself and its dated snapshots. */
  match?: ModelMatch;
  tokens?: TokenPrices;
  images?: ImagePrice[];
  /** Audio billed by duration (`whisper-1`): integer micro-dollars per minute, prorated by the second. */
  audioPerMinute?: number;
  /** Where the prices come from (URL or data set). */
  source: string;
  /** When a person or the data set last checked them (ISO date). */
  checkedAt: string;
}

/** The outcome of pricing a call: integer micro-dollars with provenance, or an explicit `unpriced`. */
export type CostResult =
  | {
      status: 'priced';
      /** The model as asked. */
      model: string;
      /** The price entry that matched. */
      pricedAs: string;
      costMicros: number;
      source: string;
      checkedAt: string;
    }
  | { status: 'unpriced'; model: string; reason: string };

/** A price table: our reviewed entries first, then the maintained data set. */
export interface PriceTable {
  /** The entry for a model name (exact, alias rule, dated snapshot → family, then the data set), or undefined. */
  lookup(model: string): PriceEntry | undefined;
  /** Prices a usage; never returns $0 for an unknown model. */
  cost(model: string, usage: Usage): CostResult;
}

/** Where the per-image prices below were taken from. */
export const IMAGE_PRICE_SOURCE = 'https://platform.openai.com/docs/pricing#image-generation';

/** Where the transcription prices below come from. */
export const TRANSCRIPTION_PRICE_SOURCE =
  'https://platform.openai.com/docs/pricing#transcription-and-speech-generation (token prices as in @pydantic/genai-prices 0.1.8)';

/**
 * Reviewed per-image prices (micro-dollars) for calls whose usage has no image tokens (DALL·E) and as the default
 * for GPT image models when only image counts are known. Transcribed from OpenAI's public pricing page; this machine
 * had no internet to re-check them, so `checkedAt` is the transcription date. Override them with your own entries.
 */
export const REVIEWED_PRICES: readonly PriceEntry[] = [
  {
    model: 'dall-e-3',
    images: [
      { size: '1024x1024', quality: 'standard', micros: 40_000 },
      { size: '1024x1792', quality: 'standard', micros: 80_000 },
      { size: '1792x1024', quality: 'standard', micros: 80_000 },
      { size: '1024x1024', quality: 'hd', micros: 80_000 },
      { size: '1024x1792', quality: 'hd', micros: 120_000 },
      { size: '1792x1024', quality: 'hd', micros: 120_000 },
    ],
    source: IMAGE_PRICE_SOURCE,
    checkedAt: '2026-11-23',
  },
  // Transcription (speech to text). Token prices match @pydantic/genai-prices 0.1.8; whisper-1 is OpenAI's published
  // $0.006 per minute. Not re-checked online (no internet on this machine), so checkedAt is the transcription date.
  {
    model: 'gpt-4o-transcribe',
    match: { equals: 'gpt-4o-transcribe-diarize' },
    tokens: { input: 2_500_000, inputAudio: 6_000_000, output: 10_000_000 },
    source: TRANSCRIPTION_PRICE_SOURCE,
    checkedAt: '2026-11-23',
  },
  {
    model: 'gpt-4o-mini-transcribe',
    tokens: { input: 1_250_000, inputAudio: 3_000_000, output: 5_000_000 },
    source: TRANSCRIPTION_PRICE_SOURCE,
    checkedAt: '2026-11-23',
  },
  {
    model: 'whisper-1',
    audioPerMinute: 6_000,
    source: TRANSCRIPTION_PRICE_SOURCE,
    checkedAt: '2026-11-23',
  },
  {
    model: 'dall-e-2',
    images: [
      { size: '256x256', quality: 'standard', micros: 16_000 },
      { size: '512x512', quality: 'standard', micros: 18_000 },
      { size: '1024x1024', quality: 'standard', micros: 20_000 },
    ],
    source: IMAGE_PRICE_SOURCE,
    checkedAt: '2026-11-23',
  },
  {
    model: 'gpt-image-1',
    images: [
      { size: '1024x1024', quality: 'low', micros: 11_000 },
      { size: '1024x1536', quality: 'low', micros: 16_000 },
      { size: '1536x1024', quality: 'low', micros: 16_000 },
      { size: '1024x1024', quality: 'medium', micros: 42_000 },
      { size: '1024x1536', quality: 'medium', micros: 63_000 },
      { size: '1536x1024', quality: 'medium', micros: 63_000 },
      { size: '1024x1024', quality: 'high', micros: 167_000 },
      { size: '1024x1536', quality: 'high', micros: 250_000 },
      { size: '1536x1024', quality: 'high', micros: 250_000 },
    ],
    source: IMAGE_PRICE_SOURCE,
    checkedAt: '2026-11-23',
  },
];

/** Dollars per million tokens (the data set's unit) → integer micro-dollars per million tokens. */
function dollarsToMicros(dollars: number, what: string): number {
  const micros = Math.round(dollars * 1_000_000);
  if (!Number.isFinite(micros) || micros < 0 || Math.abs(micros - dollars * 1_000_000) > 1e-6)
    throw new Error(`price ${what} = ${dollars} is not a whole number of micro-dollars`);
  return micros;
}

function convertPrice(value: ModelPrice[string], what: string): TokenPrice | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return dollarsToMicros(value, what);
  return {
    base: dollarsToMicros(value.base, what),
    tiers: value.tiers.map((tier) => ({ start: tier.start, price: dollarsToMicros(tier.price, what) })),
  };
}

function currentPrices(model: ModelInfo, at: Date): ModelPrice | undefined {
  if (!Array.isArray(model.prices)) return model.prices;
  let chosen: ModelPrice | undefined;
  for (const conditional of model.prices) {
    const constraint = conditional.constraint;
    if (!constraint) chosen ??= conditional.prices;
    else if (constraint.type === 'start_date' && new Date(constraint.start_date) <= at)
      chosen = conditional.prices;
  }
  return chosen;
}

function matchesLogic(logic: MatchLogic, name: string): boolean {
  if ('equals' in logic) return name === logic.equals;
  if ('starts_with' in logic) return name.startsWith(logic.starts_with);
  if ('ends_with' in logic) return name.endsWith(logic.ends_with);
  if ('contains' in logic) return name.includes(logic.contains);
  if ('regex' in logic) return new RegExp(logic.regex).test(name);
  if ('or' in logic) return logic.or.some((inner) => matchesLogic(inner, name));
  return logic.and.every((inner) => matchesLogic(inner, name));
}

function matches(match: ModelMatch, name: string): boolean {
  if ('equals' in match) return name === match.equals;
  if ('startsWith' in match) return name.startsWith(match.startsWith);
  if ('regex' in match) return new RegExp(match.regex).test(name);
  return match.anyOf.some((inner) => matches(inner, name));
}

/** `gpt-4o-2024-08-06` → `gpt-4o`, `o1-mini-2024-09-12` → `o1-mini`, `gpt-4-0613` → `gpt-4`. */
export function modelFamily(model: string): string {
  return model.replace(/-(\d{4}-\d{2}-\d{2}|\d{4})$/, '');
}

/** Options of {@link createPriceTable}. */
export interface PriceTableOptions {
  /** Your own entries; they win over the reviewed table and the data set. */
  overrides?: readonly PriceEntry[];
  /** Use `@pydantic/genai-prices`' bundled OpenAI data for models not in the overrides. Defaults to true. */
  useGenaiPrices?: boolean;
  /** Price date for time-constrained data-set prices. Defaults to now. */
  at?: Date;
}

const GENAI_SOURCE = 'https://github.com/pydantic/genai-prices (@pydantic/genai-prices 0.1.8 bundled data)';

function genaiEntries(at: Date): Array<{ info: ModelInfo; entry: PriceEntry | undefined }> {
  const provider = findProvider({ providerId: 'openai' });
  if (!provider) return [];
  return provider.models.map((info) => {
    const prices = currentPrices(info, at);
    if (!prices || prices.input_mtok === undefined || prices.output_mtok === undefined)
      return { info, entry: undefined };
    const what = (key: string) => `${info.id}.${key}`;
    const tokens: TokenPrices = {
      input: convertPrice(prices.input_mtok, what('input_mtok'))!,
      output: convertPrice(prices.output_mtok, what('output_mtok'))!,
    };
    const cachedInput = convertPrice(prices.cache_read_mtok, what('cache_read_mtok'));
    const cacheWrite = convertPrice(prices.cache_write_mtok, what('cache_write_mtok'));
    const inputImage = convertPrice(prices.input_image_mtok, what('input_image_mtok'));
    const outputImage = convertPrice(prices.output_image_mtok, what('output_image_mtok'));
    const inputAudio = convertPrice(prices.input_audio_mtok, what('input_audio_mtok'));
    if (cachedInput !== undefined) tokens.cachedInput = cachedInput;
    if (cacheWrite !== undefined) tokens.cacheWrite = cacheWrite;
    if (inputImage !== undefined) tokens.inputImage = inputImage;
    if (outputImage !== undefined) tokens.outputImage = outputImage;
    if (inputAudio !== undefined) tokens.inputAudio = inputAudio;
    return {
      info,
      entry: { model: info.id, tokens, source: GENAI_SOURCE, checkedAt: at.toISOString().slice(0, 10) },
    };
  });
}

function priceFor(price: TokenPrice, inputTokens: number): number {
  if (typeof price === 'number') return price;
  let chosen = price.base;
  for (const tier of price.tiers) if (inputTokens > tier.start) chosen = tier.price;
  return chosen;
}

/**
 * Computes the cost of a usage under one entry, in integer micro-dollars (rounded half up once, at the end).
 * Returns undefined when the entry cannot price this usage (no token prices, no audio-token or per-minute audio
 * price when the usage has them, or no price for an image size).
 */
export function costMicrosFor(entry: PriceEntry, usage: Usage): number | undefined {
  const hasTokens = usage.inputTokens > 0 || usage.outputTokens > 0;
  const perImage = usage.images.length > 0 && usage.outputImageTokens === 0;
  const audioTokens = usage.inputAudioTokens ?? 0;
  const audioSeconds = usage.audioSeconds ?? 0;
  // numerator in micro-dollars × tokens (÷ 1e6 at the end); BigInt keeps large totals exact
  let numerator = 0n;
  if (hasTokens) {
    const prices = entry.tokens;
    if (!prices) return undefined;
    if (audioTokens > 0 && prices.inputAudio === undefined) return undefined;
    const at = (price: TokenPrice | undefined, fallback: TokenPrice) =>
      BigInt(priceFor(price ?? fallback, usage.inputTokens));
    const plainInput =
      usage.inputTokens -
      usage.cachedInputTokens -
      usage.cacheWriteTokens -
      usage.inputImageTokens -
      audioTokens;
    const plainOutput = usage.outputTokens - usage.outputImageTokens;
    numerator += BigInt(plainInput) * at(prices.input, prices.input);
    numerator += BigInt(usage.cachedInputTokens) * at(prices.cachedInput, prices.input);
    numerator += BigInt(usage.cacheWriteTokens) * at(prices.cacheWrite, prices.input);
    numerator += BigInt(usage.inputImageTokens) * at(prices.inputImage, prices.input);
    numerator += BigInt(audioTokens) * at(prices.inputAudio, prices.input);
    numerator += BigInt(plainOutput) * at(prices.output, prices.output);
    numerator += BigInt(usage.outputImageTokens) * at(prices.outputImage, prices.output);
  }
  if (perImage) {
    for (const image of usage.images) {
      if (image.count === 0) continue;
      const price = entry.images?.find(
        (candidate) => candidate.size === image.size && candidate.quality === image.quality,
      );
      if (!price) return undefined;
      numerator += BigInt(image.count) * BigInt(price.micros) * 1_000_000n;
    }
  }
  if (audioSeconds > 0) {
    if (entry.audioPerMinute === undefined) return undefined;
    // per-minute price prorated by the millisecond: micros × ms ÷ 60 000, scaled to the numerator's 1e6
    const milliseconds = BigInt(Math.round(audioSeconds * 1000));
    const scaled = numerator * 60_000n + milliseconds * BigInt(entry.audioPerMinute) * 1_000_000n;
    return Number((scaled + 30_000_000_000n) / 60_000_000_000n);
  }
  return Number((numerator + 500_000n) / 1_000_000n);
}

function mergeEntries(first: PriceEntry, second: PriceEntry | undefined): PriceEntry {
  if (!second) return first;
  const merged: PriceEntry = { ...second, ...first };
  const tokens = first.tokens ?? second.tokens;
  const images = first.images ?? second.images;
  const audioPerMinute = first.audioPerMinute ?? second.audioPerMinute;
  if (tokens) merged.tokens = tokens;
  if (images) merged.images = images;
  if (audioPerMinute !== undefined) merged.audioPerMinute = audioPerMinute;
  return merged;
}

/**
 * Creates a price table: `overrides` first, then {@link REVIEWED_PRICES} (per-image prices), then the OpenAI data of
 * `@pydantic/genai-prices` (token prices, which it bundles: no network needed). Dated snapshots (`gpt-4o-2024-08-06`)
 * resolve to their family (`gpt-4o`). An entry from the overrides that lacks token or image prices is completed from
 * the next source for the same model.
 */
export function createPriceTable(options: PriceTableOptions = {}): PriceTable {
  const at = options.at ?? new Date();
  const own = [...(options.overrides ?? []), ...REVIEWED_PRICES];
  const data = options.useGenaiPrices === false ? [] : genaiEntries(at);

  const ownFor = (name: string) =>
    own.find((entry) => entry.model === name || (entry.match !== undefined && matches(entry.match, name)));
  const dataFor = (name: string) =>
    data.find(({ info }) => info.id === name || matchesLogic(info.match, name))?.entry;

  function lookup(model: string): PriceEntry | undefined {
    if (typeof model !== 'string' || model.length === 0)
      throw invalidRequest('model must be a non-empty string');
    for (const name of new Set([model, modelFamily(model)])) {
      const mine = ownFor(name);
      const theirs = dataFor(name);
      if (mine)
        return mergeEntries(mine, theirs && theirs.model === mine.model ? theirs : dataFor(mine.model));
      if (theirs) return theirs;
    }
    return undefined;
  }

  return {
    lookup,
    cost(model, usage) {
      const valid = parseUsage(usage);
      const entry = lookup(model);
      if (!entry) return { status: 'unpriced', model, reason: `no price for model ${model}` };
      const costMicros = costMicrosFor(entry, valid);
      if (costMicros === undefined)
        return {
          status: 'unpriced',
          model,
          reason: `the price entry ${entry.model} cannot price this usage (missing token, audio or image prices)`,
        };
      return {
        status: 'priced',
        model,
        pricedAs: entry.model,
        costMicros,
        source: entry.source,
        checkedAt: entry.checkedAt,
      };
    },
  };
}

/** Formats micro-dollars as dollars with six decimals (`1234567` → `"1.234567"`), for display only. */
export function formatMicros(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const absolute = Math.abs(micros);
  return `${sign}${Math.floor(absolute / 1_000_000)}.${String(absolute % 1_000_000).padStart(6, '0')}`;
}
