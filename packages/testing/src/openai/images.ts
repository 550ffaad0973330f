import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { FakeExchange } from './exchange';
import { errorBody, newId, SseWriter, sendJson, sleep } from './http';
import { countTokens } from './tokens';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), as PNG chunks use. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A real PNG (8-bit RGB, one solid colour with a diagonal stripe) of `width` × `height` pixels. The colour is derived
 * from `seed`, so the same prompt always gives the same image.
 */
export function encodePng(width: number, height: number, seed = ''): Buffer {
  const digest = createHash('sha256').update(seed).digest();
  const [red, green, blue] = [digest[0]!, digest[1]!, digest[2]!];
  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * stride;
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x += 1) {
      const offset = row + 1 + x * 3;
      const stripe = Math.abs(x - Math.floor((y * width) / height)) < Math.max(1, width >> 6);
      raw[offset] = stripe ? 255 - red : red;
      raw[offset + 1] = stripe ? 255 - green : green;
      raw[offset + 2] = stripe ? 255 - blue : blue;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Output image tokens of GPT image models by quality and size (OpenAI's published table for gpt-image-1). */
const IMAGE_TOKENS: Record<string, Record<string, number>> = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};

const MAX_SIDE = 4096;

/** `POST /v1/images/generations`: GPT image models answer `b64_json` with `usage`; dall-e models a `url` by default. */
export async function handleImageGeneration(exchange: FakeExchange): Promise<void> {
  const { body, faults, response, headers, state, origin } = exchange;
  await sleep(faults.latencyMs);
  const model = typeof body.model === 'string' ? body.model : 'dall-e-2';
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  const isGptImage = model.startsWith('gpt-image');
  const invalid = (message: string, param: string | null, code: string | null = null) =>
    sendJson(response, 400, errorBody({ message, type: 'invalid_request_error', param, code }), headers);

  if (prompt === '')
    return invalid("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
  if (isGptImage && body.response_format !== undefined)
    return invalid("Unknown parameter: 'response_format'.", 'response_format', 'unknown_parameter');
  const size = body.size === undefined || body.size === 'auto' ? '1024x1024' : String(body.size);
  const dimensions = /^(\d+)x(\d+)$/.exec(size);
  const width = Number(dimensions?.[1]);
  const height = Number(dimensions?.[2]);
  if (!dimensions || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE)
    return invalid(
      `Invalid value: '${size}'. Supported sizes are e.g. 1024x1024, 1024x1536, 1536x1024.`,
      'size',
      'invalid_value',
    );
  const n = typeof body.n === 'number' ? body.n : 1;
  if (!Number.isInteger(n) || n < 1 || n > 10 || (model === 'dall-e-3' && n !== 1))
    return invalid(
      model === 'dall-e-3'
        ? 'You must provide n=1 for this model.'
        : `Invalid 'n': must be between 1 and 10.`,
      'n',
      'invalid_value',
    );

  if (body.stream === true) {
    if (!isGptImage)
      return invalid('Streaming is only supported for GPT image models.', 'stream', 'invalid_value');
    const partials = body.partial_images === undefined ? 0 : Number(body.partial_images);
    if (!Number.isInteger(partials) || partials < 0 || partials > 3)
      return invalid(`Invalid 'partial_images': must be between 0 and 3.`, 'partial_images', 'invalid_value');
    return streamImages(exchange, { prompt, size, width, height, n, partials });
  }

  const data: Record<string, unknown>[] = [];
  for (let index = 0; index < n; index += 1) {
    const png = encodePng(width, height, `${prompt}#${index}`);
    if (isGptImage || body.response_format === 'b64_json') {
      data.push({
        b64_json: png.toString('base64'),
        ...(model === 'dall-e-3' ? { revised_prompt: prompt } : {}),
      });
    } else {
      const id = newId('img_', 12);
      state.files.set(id, png);
      data.push({
        url: `${origin}/files/${id}.png`,
        ...(model === 'dall-e-3' ? { revised_prompt: prompt } : {}),
      });
    }
  }
  const result: Record<string, unknown> = { created: Math.floor(Date.now() / 1000), data };
  if (isGptImage) Object.assign(result, gptImageDetails(body, prompt, size, width, height, n));
  sendJson(response, 200, result, headers);
}

/** `background`, `output_format`, `size`, `quality` and `usage` of a GPT image model answer for `n` images. */
function gptImageDetails(
  body: Record<string, unknown>,
  prompt: string,
  size: string,
  width: number,
  height: number,
  n: number,
) {
  const quality = typeof body.quality === 'string' && body.quality !== 'auto' ? body.quality : 'medium';
  const perImage = IMAGE_TOKENS[quality]?.[size] ?? Math.ceil((width * height) / 1024);
  const textTokens = countTokens(prompt);
  return {
    background: (body.background as string | undefined) ?? 'opaque',
    output_format: (body.output_format as string | undefined) ?? 'png',
    size,
    quality,
    usage: {
      input_tokens: textTokens,
      input_tokens_details: { text_tokens: textTokens, image_tokens: 0 },
      output_tokens: perImage * n,
      total_tokens: textTokens + perImage * n,
    },
  };
}

/**
 * Streamed image generation (spec only; no real recording exists): per image, `partials` events
 * `image_generation.partial_image` (indexes 0…) then one `image_generation.completed` with `usage`.
 */
async function streamImages(
  exchange: FakeExchange,
  request: { prompt: string; size: string; width: number; height: number; n: number; partials: number },
): Promise<void> {
  const { body, faults, response, headers } = exchange;
  const { prompt, size, width, height, n, partials } = request;
  const details = gptImageDetails(body, prompt, size, width, height, 1);
  const common = {
    created_at: Math.floor(Date.now() / 1000),
    size,
    quality: details.quality,
    background: details.background,
    output_format: details.output_format,
  };
  const writer = new SseWriter(response, faults);
  writer.open(headers);
  for (let index = 0; index < n; index += 1) {
    for (let partial = 0; partial < partials; partial += 1) {
      if ((await writer.beforeDelta()) !== 'continue' || writer.closed) return;
      const b64 = encodePng(width, height, `${prompt}#${index}#partial${partial}`).toString('base64');
      const event = {
        type: 'image_generation.partial_image',
        b64_json: b64,
        ...common,
        partial_image_index: partial,
      };
      writer.write(JSON.stringify(event), event.type);
    }
    if ((await writer.beforeDelta()) !== 'continue' || writer.closed) return;
    const b64 = encodePng(width, height, `${prompt}#${index}`).toString('base64');
    const event = { type: 'image_generation.completed', b64_json: b64, ...common, usage: details.usage };
    writer.write(JSON.stringify(event), event.type);
  }
  writer.end();
}
