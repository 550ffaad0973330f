/**
 * ChatKit request bodies: one JSON object `{type, params, metadata}` per call to the single ChatKit endpoint.
 *
 * Every field is bounded ({@link CHATKIT_REQUEST_LIMITS}): ids are 1-128 of `A-Z a-z 0-9 _ -`, texts and names have
 * a maximum length and may hold neither NUL nor lone surrogates, `limit` is an integer 0..100, JSON the client owns
 * (metadata, tool results, action payloads) has a size and depth cap. A body outside the bounds is `invalid_request`
 * naming the field, before anything is stored.
 */
import { z } from 'zod';
import { RequestError } from '../errors';
import { parseJsonText } from '../sse/json';
import {
  boundedJson,
  boundedJsonRecord,
  boundedText,
  ChatKitId,
  CHATKIT_REQUEST_LIMITS as LIMITS,
  MimeType,
} from './bounds';
import { invalidRequest } from './issues';
import { ThreadItem } from './model';

const RequestMetadata = boundedJsonRecord(LIMITS.metadataBytes).default(() => ({}));
const PageOrder = z.enum(['asc', 'desc']).default('desc');
const PageLimit = z.number().int().min(0).max(LIMITS.pageLimit).nullish();
const Text = boundedText(LIMITS.textLength);
const ShortText = boundedText(LIMITS.shortTextLength);
const Name = boundedText(LIMITS.shortTextLength, 1);

/** Keeps a record to at most `max` keys. */
function atMostKeys<T extends z.ZodType<Record<string, unknown>>>(schema: T, max: number) {
  return schema.check((ctx) => {
    const count = Object.keys(ctx.value).length;
    if (count > max)
      ctx.issues.push({
        code: 'too_big',
        origin: 'object',
        maximum: max,
        inclusive: true,
        message: `At most ${max} keys are allowed; got ${count}.`,
        input: ctx.value,
      });
  });
}

// The user-message parts of the data model (model.ts), with request bounds. Same keys, same order, same types.
const UserMessageTextInput = z.object({ type: z.literal('input_text'), text: Text });
const UserMessageTagInput = z.object({
  type: z.literal('input_tag'),
  id: Name,
  text: Text,
  data: boundedJsonRecord(LIMITS.metadataBytes),
  group: ShortText.nullish(),
  interactive: z.boolean().default(false),
});
const UserMessageContentInput = z.discriminatedUnion('type', [UserMessageTextInput, UserMessageTagInput]);
const InferenceOptionsInput = z.object({
  tool_choice: z.object({ id: Name }).nullish(),
  model: ShortText.nullish(),
});

/** A message the user submits from the composer. `inference_options` is required (it may be `{}`). */
export const UserMessageInput = z.object({
  content: z.array(UserMessageContentInput).max(LIMITS.contentParts),
  /** Ids of attachments already uploaded. */
  attachments: z.array(ChatKitId).max(LIMITS.attachments),
  quoted_text: Text.nullish(),
  inference_options: InferenceOptionsInput,
});
/** A message the user submits from the composer. `inference_options` is required (it may be `{}`). */
export type UserMessageInput = z.infer<typeof UserMessageInput>;

/** A widget or custom action: a `type` chosen by the application and an optional payload. */
export const Action = z.object({ type: Name, payload: boundedJson(LIMITS.payloadBytes).optional() });
/** A widget or custom action: a `type` chosen by the application and an optional payload. */
export type Action = z.infer<typeof Action>;

/** The user's answers to a structured-input item, keyed by question id. */
export const StructuredInputSubmission = z.object({
  status: z.enum(['answered', 'skipped']).default('answered'),
  answers: atMostKeys(
    z.record(
      Name,
      z.object({ values: z.array(Text).max(LIMITS.listLength).optional(), skipped: z.boolean().optional() }),
    ),
    LIMITS.listLength,
  ).default(() => ({})),
});
/** The user's answers to a structured-input item, keyed by question id. */
export type StructuredInputSubmission = z.infer<typeof StructuredInputSubmission>;

function request<const T extends string, P extends z.ZodType>(type: T, params: P) {
  return z.object({ metadata: RequestMetadata, type: z.literal(type), params });
}

const CustomActionParams = z.object({
  thread_id: ChatKitId,
  item_id: ChatKitId.nullish(),
  action: Action,
});

// Streaming requests (answered with an SSE stream of ThreadStreamEvent).

/** Create a thread from a first user message. Streams. */
export const ThreadsCreateRequest = request('threads.create', z.object({ input: UserMessageInput }));
/** Create a thread from a first user message. Streams. */
export type ThreadsCreateRequest = z.infer<typeof ThreadsCreateRequest>;

/** Add a user message to a thread. Streams. */
export const ThreadsAddUserMessageRequest = request(
  'threads.add_user_message',
  z.object({ input: UserMessageInput, thread_id: ChatKitId }),
);
/** Add a user message to a thread. Streams. */
export type ThreadsAddUserMessageRequest = z.infer<typeof ThreadsAddUserMessageRequest>;

/** Complete the pending client tool call with its result. Streams. */
export const ThreadsAddClientToolOutputRequest = request(
  'threads.add_client_tool_output',
  z.object({ thread_id: ChatKitId, result: boundedJson(LIMITS.payloadBytes) }),
);
/** Complete the pending client tool call with its result. Streams. */
export type ThreadsAddClientToolOutputRequest = z.infer<typeof ThreadsAddClientToolOutputRequest>;

/** Answer a pending structured-input item. Streams. */
export const ThreadsAddStructuredInputRequest = request(
  'threads.add_structured_input',
  z.object({ thread_id: ChatKitId, item_id: ChatKitId, input: StructuredInputSubmission }),
);
/** Answer a pending structured-input item. Streams. */
export type ThreadsAddStructuredInputRequest = z.infer<typeof ThreadsAddStructuredInputRequest>;

/** Delete everything after a user message and answer it again. Streams. */
export const ThreadsRetryAfterItemRequest = request(
  'threads.retry_after_item',
  z.object({ thread_id: ChatKitId, item_id: ChatKitId }),
);
/** Delete everything after a user message and answer it again. Streams. */
export type ThreadsRetryAfterItemRequest = z.infer<typeof ThreadsRetryAfterItemRequest>;

/** Run a widget or custom action. Streams. */
export const ThreadsCustomActionRequest = request('threads.custom_action', CustomActionParams);
/** Run a widget or custom action. Streams. */
export type ThreadsCustomActionRequest = z.infer<typeof ThreadsCustomActionRequest>;

// Non-streaming requests (answered with one JSON body).

/** Read a thread with its oldest 20 items. JSON. */
export const ThreadsGetByIdRequest = request('threads.get_by_id', z.object({ thread_id: ChatKitId }));
/** Read a thread with its oldest 20 items. JSON. */
export type ThreadsGetByIdRequest = z.infer<typeof ThreadsGetByIdRequest>;

/** List threads; `limit` 0..100, 0 or unset means 20. JSON. */
export const ThreadsListRequest = request(
  'threads.list',
  z
    .object({
      limit: PageLimit,
      order: PageOrder,
      after: ChatKitId.nullish(),
    })
    .default(() => ({ order: 'desc' as const })),
);
/** List threads; `limit` 0..100, 0 or unset means 20. JSON. */
export type ThreadsListRequest = z.infer<typeof ThreadsListRequest>;

/** List the items of a thread; `limit` 0..100, 0 or unset means 20. JSON. */
export const ItemsListRequest = request(
  'items.list',
  z.object({
    thread_id: ChatKitId,
    limit: PageLimit,
    order: PageOrder,
    after: ChatKitId.nullish(),
  }),
);
/** List the items of a thread; `limit` 0..100, 0 or unset means 20. JSON. */
export type ItemsListRequest = z.infer<typeof ItemsListRequest>;

/** Thumbs up or down on items. JSON (`{}`). */
export const ItemsFeedbackRequest = request(
  'items.feedback',
  z.object({
    thread_id: ChatKitId,
    item_ids: z.array(ChatKitId).max(LIMITS.listLength),
    kind: z.enum(['positive', 'negative']),
  }),
);
/** Thumbs up or down on items. JSON (`{}`). */
export type ItemsFeedbackRequest = z.infer<typeof ItemsFeedbackRequest>;

/** Register an attachment before a two-phase upload. JSON (`Attachment`). */
export const AttachmentsCreateRequest = request(
  'attachments.create',
  z.object({
    name: boundedText(LIMITS.nameLength, 1),
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    mime_type: MimeType,
  }),
);
/** Register an attachment before a two-phase upload. JSON (`Attachment`). */
export type AttachmentsCreateRequest = z.infer<typeof AttachmentsCreateRequest>;

/** Delete an attachment (bytes and metadata). JSON (`{}`). */
export const AttachmentsDeleteRequest = request('attachments.delete', z.object({ attachment_id: ChatKitId }));
/** Delete an attachment (bytes and metadata). JSON (`{}`). */
export type AttachmentsDeleteRequest = z.infer<typeof AttachmentsDeleteRequest>;

/** Rename a thread. JSON (`Thread`). */
export const ThreadsUpdateRequest = request(
  'threads.update',
  z.object({ thread_id: ChatKitId, title: boundedText(LIMITS.titleLength) }),
);
/** Rename a thread. JSON (`Thread`). */
export type ThreadsUpdateRequest = z.infer<typeof ThreadsUpdateRequest>;

/** Delete a thread and its items. JSON (`{}`). */
export const ThreadsDeleteRequest = request('threads.delete', z.object({ thread_id: ChatKitId }));
/** Delete a thread and its items. JSON (`{}`). */
export type ThreadsDeleteRequest = z.infer<typeof ThreadsDeleteRequest>;

/** Transcribe dictated audio. JSON (`TranscriptionResult`). */
export const InputTranscribeRequest = request(
  'input.transcribe',
  z.object({
    audio_base64: z
      .string()
      .max(LIMITS.audioBase64Length)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'audio_base64 is base64 (A-Z a-z 0-9 + / and = padding).'),
    mime_type: MimeType,
  }),
);
/** Transcribe dictated audio. JSON (`TranscriptionResult`). */
export type InputTranscribeRequest = z.infer<typeof InputTranscribeRequest>;

/** Run a widget action without streaming. JSON (`SyncCustomActionResponse`); nothing is persisted. */
export const ThreadsSyncCustomActionRequest = request('threads.sync_custom_action', CustomActionParams);
/** Run a widget action without streaming. JSON (`SyncCustomActionResponse`); nothing is persisted. */
export type ThreadsSyncCustomActionRequest = z.infer<typeof ThreadsSyncCustomActionRequest>;

/** Every request answered with an SSE stream. */
export const StreamingChatKitRequest = z.discriminatedUnion('type', [
  ThreadsCreateRequest,
  ThreadsAddUserMessageRequest,
  ThreadsAddClientToolOutputRequest,
  ThreadsAddStructuredInputRequest,
  ThreadsRetryAfterItemRequest,
  ThreadsCustomActionRequest,
]);
/** Every request answered with an SSE stream. */
export type StreamingChatKitRequest = z.infer<typeof StreamingChatKitRequest>;

/** Every request answered with one JSON body. */
export const NonStreamingChatKitRequest = z.discriminatedUnion('type', [
  ThreadsGetByIdRequest,
  ThreadsListRequest,
  ItemsListRequest,
  ItemsFeedbackRequest,
  AttachmentsCreateRequest,
  AttachmentsDeleteRequest,
  ThreadsUpdateRequest,
  ThreadsDeleteRequest,
  InputTranscribeRequest,
  ThreadsSyncCustomActionRequest,
]);
/** Every request answered with one JSON body. */
export type NonStreamingChatKitRequest = z.infer<typeof NonStreamingChatKitRequest>;

/** Any request body the ChatKit client sends, discriminated on `type`. */
export const ChatKitRequest = z.discriminatedUnion('type', [
  ...StreamingChatKitRequest.options,
  ...NonStreamingChatKitRequest.options,
]);
/** Any request body the ChatKit client sends, discriminated on `type`. */
export type ChatKitRequest = z.infer<typeof ChatKitRequest>;

/** Every `ChatKitRequest['type']`. */
export const CHATKIT_REQUEST_TYPES = ChatKitRequest.options.map((option) => option.shape.type.value);

const STREAMING_TYPES: ReadonlySet<string> = new Set(
  StreamingChatKitRequest.options.map((option) => option.shape.type.value),
);

/** True when the request is answered with an SSE stream rather than a JSON body. */
export function isStreamingChatKitRequest(request: ChatKitRequest): request is StreamingChatKitRequest {
  return STREAMING_TYPES.has(request.type);
}

/** The answer to `input.transcribe`. */
export const TranscriptionResult = z.object({ text: z.string() });
/** The answer to `input.transcribe`. */
export type TranscriptionResult = z.infer<typeof TranscriptionResult>;

/** The answer to `threads.sync_custom_action`: the updated item, or `{}` when there is none. */
export const SyncCustomActionResponse = z.object({ updated_item: ThreadItem.nullish() });
/** The answer to `threads.sync_custom_action`: the updated item, or `{}` when there is none. */
export type SyncCustomActionResponse = z.infer<typeof SyncCustomActionResponse>;

/**
 * Parses a ChatKit request body strictly: the body must be an object (or a JSON string of one) whose `type` is a
 * known request type and whose `params` carry every required field with the right type. Unknown keys are dropped,
 * like the reference server does. Defaults are filled in (`metadata: {}`, `order: 'desc'`, ...).
 *
 * @throws RequestError `invalid_request`, with `details: { issues: ChatKitRequestIssue[] }`, when the body is not
 *   valid JSON, the `type` is unknown or missing, or a field is missing or has the wrong type.
 */
export function parseChatKitRequest(body: unknown): ChatKitRequest {
  let value = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    try {
      value = parseJsonText(text);
    } catch (error) {
      throw new RequestError('invalid_request', 'The ChatKit request body is not valid JSON.', {
        cause: error,
        details: { issues: [{ path: '', code: 'invalid_json', message: String(error) }] },
      });
    }
  }
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !CHATKIT_REQUEST_TYPES.includes(type as ChatKitRequest['type'])) {
    const message =
      typeof type === 'string'
        ? `Unknown ChatKit request type "${type}".`
        : 'The ChatKit request body must be an object with a string "type".';
    throw new RequestError('invalid_request', message, {
      details: {
        issues: [
          {
            path: 'type',
            code: 'invalid_union',
            message: `Expected one of: ${CHATKIT_REQUEST_TYPES.join(', ')}.`,
          },
        ],
      },
    });
  }
  const result = ChatKitRequest.safeParse(value);
  if (!result.success) throw invalidRequest(`ChatKit "${type}" request`, result.error);
  return result.data;
}
