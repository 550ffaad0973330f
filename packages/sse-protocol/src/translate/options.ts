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
}

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
