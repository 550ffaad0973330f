/** What a new ChatKit item id is generated for (ids of assistant messages come from the Responses stream). */
export type GeneratedIdKind = 'message' | 'workflow' | 'tool_call';

/** Options shared by the translators into ChatKit events. */
export interface ChatKitTranslationOptions {
  /** The ChatKit thread the items belong to. */
  threadId: string;
  /** Ids for items the stream does not name (workflows, generated images, client tool calls). Default `crypto.randomUUID()` with a prefix. */
  generateId?: (kind: GeneratedIdKind) => string;
  /** Clock for `created_at` and workflow durations. Default `() => new Date()`. */
  now?: () => Date;
  /**
   * Names of function tools the ChatKit client runs (`onClientTool`). A finished `function_call` (or
   * `custom_tool_call`) with one of these names becomes a `client_tool_call` item; other function calls are
   * run by the server and are not shown.
   */
  clientToolNames?: readonly string[];
  /**
   * Called with the `response` of every `response.completed` event (its `id`, `model`, `usage`, `output`),
   * for usage accounting or the simple stream's `response_done`.
   */
  onResponseCompleted?: (response: CompletedResponse) => void;
  /**
   * How many partial images the image generation tool was asked for (its `partial_images`, 1–3), for the progress of
   * `generated_image.updated`. Default: read from the `tools` of the stream's `response.created` event. Partial image
   * `i` (0-based) of `n` reports progress `(i + 1) / (n + 1)`: the final image is the last step.
   */
  partialImages?: number;
  /**
   * Turns a generated image (partial or final) into the URL ChatKit shows, e.g. after uploading it to Supabase
   * Storage. Default: a `data:` URL. Applied by the streaming translators (`responsesToChatKit`, `agentsRunToChatKit`)
   * before the event is yielded, so the stored item carries the URL, not the base64.
   */
  imageUrl?: GeneratedImageUrl;
}

/** A generated image handed to {@link ChatKitTranslationOptions.imageUrl}. */
export interface GeneratedImageBytes {
  /** The provider's image generation call id. */
  id: string;
  /** The image bytes, base64. */
  base64: string;
  /** `png`, `webp` or `jpeg`. */
  format: string;
  /** For a partial image: its 0-based index; absent for the final image. */
  partialImageIndex?: number;
}

/** See {@link ChatKitTranslationOptions.imageUrl}. */
export type GeneratedImageUrl = (image: GeneratedImageBytes) => string | Promise<string>;

/** The parts of a completed Responses `response` the translators read. */
export interface CompletedResponse {
  id: string;
  model?: string;
  usage?: Record<string, unknown> | null;
  output?: unknown[];
  [key: string]: unknown;
}

const PREFIX: Record<GeneratedIdKind, string> = { message: 'msg', workflow: 'wf', tool_call: 'tc' };

export function defaultGenerateId(kind: GeneratedIdKind): string {
  return `${PREFIX[kind]}_${crypto.randomUUID().replaceAll('-', '')}`;
}
