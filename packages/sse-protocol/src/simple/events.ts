/**
 * The simple chat stream: named SSE events with small camelCase JSON payloads, for clients without a ChatKit SDK
 * (Flutter, Swift, Kotlin, curl). The package README holds the wire spec.
 */
import { z } from 'zod';
import { isRelayKitError } from '../errors';

/** `session`: the first event; names the session, thread, user and the agent that answers. */
export const SimpleSessionData = z.object({
  sessionId: z.string(),
  threadId: z.string(),
  userId: z.string(),
  agent: z.string(),
});
/** `session`: the first event; names the session, thread, user and the agent that answers. */
export type SimpleSessionData = z.infer<typeof SimpleSessionData>;

/** `chunk`: a piece of assistant text, to append to what was shown so far. */
export const SimpleChunkData = z.object({ text: z.string(), sessionId: z.string() });
/** `chunk`: a piece of assistant text, to append to what was shown so far. */
export type SimpleChunkData = z.infer<typeof SimpleChunkData>;

/** The state of a tool call in a `tool` event. */
export const SimpleToolStatus = z.enum(['started', 'completed', 'failed']);
/** The state of a tool call in a `tool` event. */
export type SimpleToolStatus = z.infer<typeof SimpleToolStatus>;

/** `tool`: a tool call started, completed or failed (for a "searching…" style indicator). */
export const SimpleToolData = z.object({ name: z.string(), status: SimpleToolStatus, sessionId: z.string() });
/** `tool`: a tool call started, completed or failed (for a "searching…" style indicator). */
export type SimpleToolData = z.infer<typeof SimpleToolData>;

/** `text_done`: the full text of one assistant message (equal to its chunks joined). */
export const SimpleTextDoneData = z.object({ text: z.string(), sessionId: z.string() });
/** `text_done`: the full text of one assistant message (equal to its chunks joined). */
export type SimpleTextDoneData = z.infer<typeof SimpleTextDoneData>;

/** Token counts of a model response. Cached input and reasoning tokens are parts of input and output. */
export const SimpleUsage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative().optional(),
  reasoningTokens: z.number().int().nonnegative().optional(),
});
/** Token counts of a model response. Cached input and reasoning tokens are parts of input and output. */
export type SimpleUsage = z.infer<typeof SimpleUsage>;

/** `response_done`: the model response finished; its id, token usage (null when unknown) and model. */
export const SimpleResponseDoneData = z.object({
  sessionId: z.string(),
  response: z.object({ id: z.string(), usage: SimpleUsage.nullable(), model: z.string() }),
});
/** `response_done`: the model response finished; its id, token usage (null when unknown) and model. */
export type SimpleResponseDoneData = z.infer<typeof SimpleResponseDoneData>;

/**
 * `approval_required`: the run paused because a tool needs the user's approval. Answer it with a request naming
 * `approvalId`, `callId` and a `decision` (`approve` or `reject`) on the same thread; the stream then ends with `done`.
 */
export const SimpleApprovalRequiredData = z.object({
  sessionId: z.string(),
  /** The paused run. */
  approvalId: z.string(),
  /** The tool call to decide on. */
  callId: z.string(),
  /** The tool's name. */
  tool: z.string(),
  /** The call's arguments (parsed JSON). */
  arguments: z.unknown(),
  /** The ChatKit widget item that shows the request. */
  itemId: z.string(),
});
/** `approval_required`: the run paused because a tool needs the user's approval. */
export type SimpleApprovalRequiredData = z.infer<typeof SimpleApprovalRequiredData>;

/** `done`: the last event of a successful stream. */
export const SimpleDoneData = z.object({ sessionId: z.string() });
/** `done`: the last event of a successful stream. */
export type SimpleDoneData = z.infer<typeof SimpleDoneData>;

/** `error`: the stream failed; the last event. `code` is a RelayKit error code, `retryable` says whether to retry. */
export const SimpleErrorData = z.object({
  message: z.string(),
  code: z.string(),
  retryable: z.boolean(),
});
/** `error`: the stream failed; the last event. `code` is a RelayKit error code, `retryable` says whether to retry. */
export type SimpleErrorData = z.infer<typeof SimpleErrorData>;

const named = <const N extends string, D extends z.ZodType>(event: N, data: D) =>
  z.object({ event: z.literal(event), data, id: z.string().optional() });

/**
 * One event of the simple chat stream, discriminated on `event` (the SSE event name). `id` is the SSE id; when it
 * is left out the encoder numbers the frames itself.
 */
export const SimpleChatEvent = z.discriminatedUnion('event', [
  named('session', SimpleSessionData),
  named('chunk', SimpleChunkData),
  named('tool', SimpleToolData),
  named('text_done', SimpleTextDoneData),
  named('response_done', SimpleResponseDoneData),
  named('approval_required', SimpleApprovalRequiredData),
  named('done', SimpleDoneData),
  named('error', SimpleErrorData),
]);
/** One event of the simple chat stream, discriminated on `event` (the SSE event name). */
export type SimpleChatEvent = z.infer<typeof SimpleChatEvent>;

/** Every simple chat event name, in the order they usually appear. */
export const SIMPLE_CHAT_EVENT_NAMES = SimpleChatEvent.options.map((option) => option.shape.event.value);

/**
 * The `error` event data for any thrown value: a RelayKit error keeps its message, code and retryability; anything
 * else becomes `internal` with a generic message, so no internal detail leaks to the client.
 */
export function simpleErrorData(error: unknown): SimpleErrorData {
  if (isRelayKitError(error)) return { message: error.message, code: error.code, retryable: error.retryable };
  return { message: 'Internal error.', code: 'internal', retryable: false };
}
