import type { FakeExchange } from './exchange';
import { errorBody, newId, sendJson, sleep } from './http';

/**
 * `POST /v1/chatkit/sessions`: mints a `chatkit.session` with a `client_secret`. Requires the header
 * `OpenAI-Beta: chatkit_beta=v1` like the real API (400 otherwise), and `workflow.id` plus a non-empty `user`.
 */
export async function handleChatKitSession(
  exchange: FakeExchange,
  betaHeader: string | undefined,
): Promise<void> {
  const { body, faults, response, headers } = exchange;
  await sleep(faults.latencyMs);
  const invalid = (message: string, param: string | null, code: string | null) =>
    sendJson(response, 400, errorBody({ message, type: 'invalid_request_error', param, code }), headers);
  if (!betaHeader?.split(',').some((value) => value.trim() === 'chatkit_beta=v1'))
    return invalid(
      "You must provide the 'OpenAI-Beta' header to access the ChatKit API: 'OpenAI-Beta: chatkit_beta=v1'.",
      null,
      'missing_beta_header',
    );
  const workflow = body.workflow as {
    id?: unknown;
    version?: unknown;
    state_variables?: unknown;
    tracing?: unknown;
  };
  if (!workflow || typeof workflow.id !== 'string' || workflow.id === '')
    return invalid("Missing required parameter: 'workflow.id'.", 'workflow.id', 'missing_required_parameter');
  if (typeof body.user !== 'string' || body.user === '')
    return invalid("Missing required parameter: 'user'.", 'user', 'missing_required_parameter');
  const expiresAfter = body.expires_after as { seconds?: number } | undefined;
  const rateLimits = body.rate_limits as { max_requests_per_1_minute?: number } | undefined;
  const configuration = (body.chatkit_configuration ?? {}) as Record<
    string,
    Record<string, unknown> | undefined
  >;
  const maxRequests = rateLimits?.max_requests_per_1_minute ?? 10;
  const id = newId('cksess_', 16);
  sendJson(
    response,
    200,
    {
      id,
      object: 'chatkit.session',
      client_secret: `ek_${id.slice(7)}_${newId('', 16)}`,
      expires_at: Math.floor(Date.now() / 1000) + (expiresAfter?.seconds ?? 600),
      status: 'active',
      user: body.user,
      workflow: {
        id: workflow.id,
        version: workflow.version ?? null,
        state_variables: workflow.state_variables ?? null,
        tracing: workflow.tracing ?? { enabled: true },
      },
      rate_limits: { max_requests_per_1_minute: maxRequests },
      max_requests_per_1_minute: maxRequests,
      chatkit_configuration: {
        automatic_thread_titling: { enabled: true, ...configuration.automatic_thread_titling },
        file_upload: { enabled: false, max_file_size: 512, max_files: 10, ...configuration.file_upload },
        history: { enabled: true, recent_threads: null, ...configuration.history },
      },
    },
    headers,
  );
}
