import { z } from 'zod';

/**
 * The script format of the fake OpenAI server: an ordered list of rules mapping requests to replies. Validated with
 * zod, so a JSON file given to the CLI (`--script`) is checked before the server starts.
 */

/** Which API a request targets. */
export const FakeEndpoint = z.enum([
  'responses',
  'chat.completions',
  'images.generations',
  'moderations',
  'chatkit.sessions',
  'audio.transcriptions',
  'models',
  'other',
]);
/** Which API a request targets. */
export type FakeEndpoint = z.infer<typeof FakeEndpoint>;

/** One function call the model makes. `arguments` is an object (serialized for you) or a raw JSON string. */
export const FakeToolCall = z.object({
  name: z.string().min(1),
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).default({}),
  /** The `call_id` echoed back in `function_call_output`; generated when absent. */
  callId: z.string().optional(),
});
/** One function call the model makes. */
export type FakeToolCall = z.input<typeof FakeToolCall>;

/** Faults injected into one reply. */
export const FakeFaults = z
  .object({
    /** Milliseconds to wait before the first byte (status line and headers). */
    latencyMs: z.number().int().nonnegative(),
    /** Milliseconds between two streamed deltas. */
    tokenIntervalMs: z.number().int().nonnegative(),
    /** Send an `error` event (Responses) or `data: {"error":…}` chunk (Chat) after this many deltas, then end. */
    errorEventAfter: z.number().int().nonnegative(),
    /** Destroy the socket after this many deltas, without a terminal event. */
    dropAfter: z.number().int().nonnegative(),
    /**
     * Stop writing after this many deltas and hold the connection open until the client goes away (a provider
     * that hangs mid-stream). `0` hangs after the stream's opening events, before the first delta.
     */
    stallAfter: z.number().int().nonnegative(),
    /** Never send the status line: hold the request open until the client goes away (a hang before the first byte). */
    stallBeforeHeaders: z.boolean(),
  })
  .partial()
  .strict();
/** Faults injected into one reply. */
export type FakeFaults = z.infer<typeof FakeFaults>;

/** An HTTP error reply with the real body shape `{error:{message,type,param,code}}` and rate-limit headers. */
export const FakeErrorReply = z
  .object({
    status: z.number().int().min(400).max(599),
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.string().nullable().optional(),
    param: z.string().nullable().optional(),
    /** Sets `retry-after-ms` (milliseconds, the header openai-node prefers). */
    retryAfterMs: z.number().nonnegative().optional(),
    /** Sets `retry-after` (seconds). Defaults to `ceil(retryAfterMs / 1000)` when only `retryAfterMs` is given. */
    retryAfterSeconds: z.number().nonnegative().optional(),
    /** Extra response headers, e.g. `x-should-retry`. */
    headers: z.record(z.string(), z.string()).optional(),
  })
  .strict();
/** An HTTP error reply. */
export type FakeErrorReply = z.infer<typeof FakeErrorReply>;

/** Token usage adjustments of a reply (the counted input/output tokens are never overridden). */
export const FakeUsageOptions = z
  .object({
    /** Reported `input_tokens_details.cached_tokens` (capped at the input tokens). */
    cachedTokens: z.number().int().nonnegative(),
    /** Reported `output_tokens_details.reasoning_tokens`, added to the output tokens. */
    reasoningTokens: z.number().int().nonnegative(),
  })
  .partial()
  .strict();
/** Token usage adjustments of a reply. */
export type FakeUsageOptions = z.infer<typeof FakeUsageOptions>;

/**
 * One scripted reply. Give `text` and/or `refusal` and/or `toolCalls` for a generated answer, `error` for an HTTP
 * error, or `replay` to serve a recorded fixture file byte for byte.
 */
export const FakeReply = z
  .object({
    /** Assistant text, streamed one token per delta. */
    text: z.string().optional(),
    /** A refusal instead of (or before) text. */
    refusal: z.string().optional(),
    /** Function calls, in order (several make parallel calls). */
    toolCalls: z.array(FakeToolCall).optional(),
    /** An HTTP error returned instead of an answer. */
    error: FakeErrorReply.optional(),
    /** A fixture file name from `OPENAI_FIXTURES_DIR` to serve as the response. */
    replay: z.string().optional(),
    /** For a VCR cassette: the interaction index to serve (default: the next one matching method and path). */
    interaction: z.number().int().nonnegative().optional(),
    /** For a JSON replay: the HTTP status (default 200, or derived from the error body). */
    status: z.number().int().min(200).max(599).optional(),
    /** Usage adjustments. */
    usage: FakeUsageOptions.optional(),
    /** Faults to inject. */
    faults: FakeFaults.optional(),
  })
  .strict()
  .refine(
    (reply) =>
      reply.text !== undefined ||
      reply.refusal !== undefined ||
      (reply.toolCalls?.length ?? 0) > 0 ||
      reply.error !== undefined ||
      reply.replay !== undefined,
    { message: 'a reply needs text, refusal, toolCalls, error or replay' },
  );
/** One scripted reply. */
export type FakeReply = z.input<typeof FakeReply>;

/** When a rule applies. All given conditions must hold. */
export const FakeMatch = z
  .object({
    /** The endpoint. Rules without it apply only to `responses` and `chat.completions`. */
    endpoint: FakeEndpoint,
    /** Exact request model. */
    model: z.string(),
    /** A regular expression (source string or RegExp) tested against the last user message text. */
    lastUserText: z.union([z.string(), z.instanceof(RegExp)]),
    /** Whether the request carries a tool result (`function_call_output` item, or a `tool` chat message) last. */
    hasToolOutput: z.boolean(),
    /**
     * A regular expression tested against the name of the tool whose result ends the request (the function call the
     * last `function_call_output` or `tool` message answers); the name is `""` when the request ends otherwise, so
     * `"^$"` matches requests without a tool result. Agents SDK handoffs are tools too (`transfer_to_<agent>`).
     */
    lastToolName: z.union([z.string(), z.instanceof(RegExp)]),
    /** A regular expression tested against the request's instructions (which agent is asking, in an agent run). */
    instructions: z.union([z.string(), z.instanceof(RegExp)]),
  })
  .partial()
  .strict();
/** When a rule applies. */
export type FakeMatch = z.input<typeof FakeMatch>;

/**
 * A reply computed from the request, for scripts built in code (not JSON): e.g. an answer that quotes the tool result
 * it follows (`request.lastToolOutput`) or the agent's instructions. Its return value is validated like `reply`.
 */
export type FakeReplyFunction = (request: FakeRequestInfo) => FakeReply;

const FakeReplyOrFunction = z.union([
  FakeReply,
  z.custom<FakeReplyFunction>((value) => typeof value === 'function', {
    message: 'a reply is an object or a function',
  }),
]);

/**
 * A rule: a condition and one reply (used every time) or a sequence of replies (each used once, in order). A reply may
 * be a {@link FakeReplyFunction} of the request.
 */
export const FakeRule = z
  .object({
    match: FakeMatch.optional(),
    reply: FakeReplyOrFunction.optional(),
    replies: z.array(FakeReplyOrFunction).min(1).optional(),
    /** How many times `reply` may be used (default: unlimited). */
    times: z.number().int().positive().optional(),
  })
  .strict()
  .refine((rule) => (rule.reply === undefined) !== (rule.replies === undefined), {
    message: 'a rule needs exactly one of reply or replies',
  });
/** A rule. */
export type FakeRule = z.input<typeof FakeRule>;

/**
 * A script. Rules are tried in order; the first that matches and is not used up gives the reply. When none matches,
 * the fake answers with its deterministic offline reply (`fallback: "offline"`, the default) or a 400 error
 * (`fallback: "error"`, useful to catch unexpected calls).
 */
export const FakeScript = z
  .object({
    rules: z.array(FakeRule).default([]),
    fallback: z.enum(['offline', 'error']).default('offline'),
  })
  .strict();
/** A script. */
export type FakeScript = z.input<typeof FakeScript>;

/** What the script sees of a request. */
export interface FakeRequestInfo {
  endpoint: FakeEndpoint;
  model: string | undefined;
  lastUserText: string;
  hasToolOutput: boolean;
  /** The name of the tool whose result ends the request; `""` (or absent) when there is none. */
  lastToolName?: string;
  /** That tool result's text (tools usually answer JSON); `""` (or absent) when there is none. */
  lastToolOutput?: string;
  /** The request's instructions (Responses `instructions`, or the system and developer messages); `""` if none. */
  instructions?: string;
}

/** The reply type after validation (defaults applied). */
export type ParsedFakeReply = z.output<typeof FakeReply>;

const GENERATIVE: readonly FakeEndpoint[] = ['responses', 'chat.completions'];

/** Picks replies for requests, keeping the use counts of the rules. */
export class ScriptRunner {
  readonly #rules: z.output<typeof FakeRule>[];
  readonly #uses: number[];
  readonly fallback: 'offline' | 'error';

  constructor(script: FakeScript = {}) {
    const parsed = FakeScript.parse(script);
    this.#rules = parsed.rules;
    this.#uses = parsed.rules.map(() => 0);
    this.fallback = parsed.fallback;
  }

  /** The reply for `request`, or `undefined` when no rule applies. */
  next(request: FakeRequestInfo): ParsedFakeReply | undefined {
    for (const [index, rule] of this.#rules.entries()) {
      if (!matches(rule.match, request)) continue;
      const used = this.#uses[index]!;
      if (rule.replies) {
        if (used >= rule.replies.length) continue;
        this.#uses[index] = used + 1;
        return resolveReply(rule.replies[used]!, request);
      }
      if (rule.times !== undefined && used >= rule.times) continue;
      this.#uses[index] = used + 1;
      return resolveReply(rule.reply!, request);
    }
    return undefined;
  }
}

function resolveReply(
  reply: z.output<typeof FakeReplyOrFunction>,
  request: FakeRequestInfo,
): ParsedFakeReply {
  return typeof reply === 'function' ? FakeReply.parse(reply(request)) : reply;
}

const testPattern = (pattern: string | RegExp, text: string) => {
  const regex = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
  regex.lastIndex = 0;
  return regex.test(text);
};

function matches(match: z.output<typeof FakeMatch> | undefined, request: FakeRequestInfo): boolean {
  if (
    match?.endpoint !== undefined
      ? match.endpoint !== request.endpoint
      : !GENERATIVE.includes(request.endpoint)
  )
    return false;
  if (!match) return true;
  if (match.model !== undefined && match.model !== request.model) return false;
  if (match.hasToolOutput !== undefined && match.hasToolOutput !== request.hasToolOutput) return false;
  if (match.lastUserText !== undefined && !testPattern(match.lastUserText, request.lastUserText))
    return false;
  if (match.lastToolName !== undefined && !testPattern(match.lastToolName, request.lastToolName ?? ''))
    return false;
  if (match.instructions !== undefined && !testPattern(match.instructions, request.instructions ?? ''))
    return false;
  return true;
}

/** The deterministic offline reply text: clearly labelled as coming from the offline fake model. */
export function offlineReplyText(request: FakeRequestInfo): string {
  const said = request.lastUserText.trim().replace(/\s+/g, ' ');
  const quoted = said.length > 200 ? `${said.slice(0, 200)}…` : said;
  if (request.hasToolOutput)
    return '[offline demo model] The tool results arrived. This answer comes from the RelayKit offline fake OpenAI model, not a real model.';
  return `[offline demo model] This answer comes from the RelayKit offline fake OpenAI model, not a real model; configure an OpenAI API key for real answers. You said: "${quoted}"`;
}
