import { contentText, type FakeExchange } from './exchange';
import { newId, sendJson, sleep } from './http';

const CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

/**
 * Words the fake moderation model flags, by category. Deterministic and deliberately small: enough to test both
 * outcomes, not a real classifier.
 */
export const FLAGGED_WORDS: Readonly<Record<string, RegExp>> = {
  violence: /\b(kill|murder|stab|shoot)\b/i,
  'self-harm': /\b(suicide|self-harm)\b/i,
  illicit: /\b(build a bomb|make meth)\b/i,
};

/** `POST /v1/moderations`: one result per input string (or text part), flagged by {@link FLAGGED_WORDS}. */
export async function handleModerations(exchange: FakeExchange): Promise<void> {
  const { body, faults, response, headers } = exchange;
  await sleep(faults.latencyMs);
  const inputs = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input];
  const texts = inputs.map((input) =>
    typeof input === 'string' ? input : contentText([input as Record<string, unknown>]),
  );
  const results = texts.map((text) => {
    const categories: Record<string, boolean> = {};
    const scores: Record<string, number> = {};
    const applied: Record<string, string[]> = {};
    for (const category of CATEGORIES) {
      const hit = FLAGGED_WORDS[category]?.test(text) ?? false;
      categories[category] = hit;
      scores[category] = hit ? 0.97 : 0.0001;
      applied[category] = ['text'];
    }
    return {
      flagged: Object.values(categories).some(Boolean),
      categories,
      category_scores: scores,
      category_applied_input_types: applied,
    };
  });
  sendJson(
    response,
    200,
    {
      id: newId('modr-', 12),
      model: typeof body.model === 'string' ? body.model : 'omni-moderation-latest',
      results,
    },
    headers,
  );
}
