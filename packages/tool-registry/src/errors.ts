import { isRelayKitError, type RelayKitErrorCode } from '@relaykit/sse-protocol';

export {
  ConfigurationError,
  isRelayKitError,
  RelayKitError,
  type RelayKitErrorCode,
  RequestError,
  StoreError,
} from '@relaykit/sse-protocol';

/** The error a model reads when a tool call fails: a stable code and a message that is safe to show. */
export interface ToolErrorBody {
  code: RelayKitErrorCode;
  message: string;
  /** Client-safe details (for example the schema issues of invalid arguments). */
  details?: unknown;
}

/**
 * Turns anything thrown inside a tool into a model-readable error. RelayKit errors keep their code, message and
 * details; any other error becomes `internal` with a generic message, so stack traces and connection strings in
 * foreign errors never reach the model.
 */
export function toToolErrorBody(error: unknown, toolName: string): ToolErrorBody {
  if (isRelayKitError(error)) {
    const body: ToolErrorBody = { code: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    return body;
  }
  return { code: 'internal', message: `Tool "${toolName}" failed unexpectedly.` };
}
