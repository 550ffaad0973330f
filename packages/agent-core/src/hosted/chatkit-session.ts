import { providerError, RequestError } from '@relaykit/sse-protocol';
import type OpenAI from 'openai';

/** Options of {@link createChatKitSession}. */
export interface CreateChatKitSessionOptions {
  /** The OpenAI client of this server or user (see `createModelAccess().clientFor`). */
  client: OpenAI;
  /** The Agent Builder workflow id (`wf_...`). */
  workflowId: string;
  /** A workflow version; the latest when omitted. */
  workflowVersion?: string;
  /** Your end user's id; scopes the hosted threads. */
  user: string;
  /** Workflow state variables. */
  stateVariables?: Record<string, string | number | boolean>;
  /** Session lifetime in seconds (the API's default is 10 minutes). */
  expiresAfterSeconds?: number;
  /** Per-minute request limit of the session (the API's default is 10). */
  maxRequestsPerMinute?: number;
  /** Aborts the call. */
  signal?: AbortSignal;
}

/** The parts of a hosted ChatKit session an app hands to the browser. */
export interface ChatKitSession {
  id: string;
  clientSecret: string;
  /** Unix seconds. */
  expiresAt: number;
  user: string;
  workflowId: string;
  status: string;
}

/**
 * Hosted ChatKit bridge for apps on OpenAI-hosted Agent Builder workflows: mints a session and its client secret
 * through `POST /v1/chatkit/sessions` (the SDK sends `OpenAI-Beta: chatkit_beta=v1`). Errors are RelayKit errors
 * (`invalid_request` before the call; provider errors mapped by `providerError` of `@relaykit/sse-protocol`).
 */
export async function createChatKitSession(options: CreateChatKitSessionOptions): Promise<ChatKitSession> {
  if (!/^\S{1,256}$/.test(options.user)) {
    throw new RequestError(
      'invalid_request',
      'user must be a non-empty id without spaces (at most 256 characters)',
    );
  }
  if (!/^\S{1,256}$/.test(options.workflowId))
    throw new RequestError('invalid_request', 'workflowId must be a non-empty id');
  try {
    const session = await options.client.beta.chatkit.sessions.create(
      {
        user: options.user,
        workflow: {
          id: options.workflowId,
          ...(options.workflowVersion ? { version: options.workflowVersion } : {}),
          ...(options.stateVariables ? { state_variables: options.stateVariables } : {}),
        },
        ...(options.expiresAfterSeconds
          ? { expires_after: { anchor: 'created_at' as const, seconds: options.expiresAfterSeconds } }
          : {}),
        ...(options.maxRequestsPerMinute
          ? { rate_limits: { max_requests_per_1_minute: options.maxRequestsPerMinute } }
          : {}),
      },
      options.signal ? { signal: options.signal } : undefined,
    );
    return {
      id: session.id,
      clientSecret: session.client_secret,
      expiresAt: session.expires_at,
      user: session.user,
      workflowId: session.workflow.id,
      status: session.status,
    };
  } catch (error) {
    throw providerError(error);
  }
}
