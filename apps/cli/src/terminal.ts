/**
 * The terminal side of `relaykit`: argument parsing, the interactive REPL, and how events and errors are shown.
 * The stream itself is handled by `./client.ts`.
 */

import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { SimpleApprovalRequiredData } from '@relaykit/sse-protocol';
import { isRelayKitError } from '@relaykit/sse-protocol';
import {
  BODY_STYLES,
  type BodyStyle,
  buildApprovalBody,
  buildChatBody,
  type ChatInput,
  type ChatStreamEvent,
  type StreamChatOptions,
  streamChat,
} from './client';

/** Where the CLI reads and writes; `process` in the binary, fakes in tests. */
export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
  /** Forwarded to {@link streamChat} (tests pass a fast one). */
  sleep?: StreamChatOptions['sleep'];
}

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

const USAGE = `Usage: relaykit chat --url <url> [options]

Talks RelayKit's simple SSE chat stream. Interactive when stdin is a terminal; otherwise sends one message
(--message, or all of stdin) and exits.

Options:
  --url <url>            chat endpoint (env RELAYKIT_URL)
  --agent <type>         agent that answers (next: agent, ai-chat-system: agentType)
  --thread <id>          thread to continue (next: threadId, ai-chat-system: sessionId)
  --metadata <k=v>       metadata entry, repeatable (next only)
  --body-style <style>   next | health-agent | ai-chat-system (default next)
  --user <id>            user id (health-agent only)
  --device-id <id>       device id (health-agent only)
  --token <token>        bearer token (env RELAYKIT_TOKEN)
  -m, --message <text>   send this one message and exit
  --json                 print each event as one JSON line
  --resume-url <url>     where to resume with GET + Last-Event-ID ({sessionId}/{threadId} are filled in);
                         default: the --url itself
  --no-resume            never reconnect after a dropped connection
  --max-retries <n>      reconnection attempts in a row (default 3)
  --header <k:v>         extra request header, repeatable (e.g. apikey:<anon key> for Supabase)
  --approvals <mode>     tool calls that need approval: ask (the REPL's default), approve, reject, or leave
                         (one message's default: print them and leave them pending)
  -h, --help             show this help

In the REPL: Ctrl-C stops the current reply (at the prompt it quits, as do Ctrl-D and /quit); /new starts a new
thread; /agent <type> switches agent.`;

class UsageError extends Error {}

/** Parsed `relaykit chat` options. */
export interface ChatCommand {
  url: string;
  style: BodyStyle;
  input: Omit<ChatInput, 'message'>;
  token: string | undefined;
  /** Extra request headers from `--header name:value`. */
  headers: Record<string, string>;
  message: string | undefined;
  json: boolean;
  resumeUrl: string | false | undefined;
  maxRetries: number;
  /** How `approval_required` events are answered (`undefined`: ask in the REPL, leave them otherwise). */
  approvals: ApprovalMode | undefined;
}

/** How the CLI answers tool approvals. */
export type ApprovalMode = 'ask' | 'approve' | 'reject' | 'leave';
const APPROVAL_MODES: readonly ApprovalMode[] = ['ask', 'approve', 'reject', 'leave'];

/**
 * Parses `chat ...` arguments (without the leading `node cli.js`).
 *
 * @returns `'help'` when help was asked for.
 * @throws UsageError on a bad or missing argument.
 */
export function parseChatCommand(argv: string[], env: CliIO['env']): ChatCommand | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      agent: { type: 'string' },
      thread: { type: 'string' },
      metadata: { type: 'string', multiple: true },
      'body-style': { type: 'string' },
      user: { type: 'string' },
      'device-id': { type: 'string' },
      token: { type: 'string' },
      message: { type: 'string', short: 'm' },
      json: { type: 'boolean' },
      'resume-url': { type: 'string' },
      'no-resume': { type: 'boolean' },
      'max-retries': { type: 'string' },
      header: { type: 'string', multiple: true },
      approvals: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const [command, ...rest] = positionals;
  if (command !== 'chat') {
    throw new UsageError(command === undefined ? 'Missing command.' : `Unknown command "${command}".`);
  }
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}".`);
  const url = values.url ?? env.RELAYKIT_URL;
  if (url === undefined || url === '') throw new UsageError('Missing --url (or RELAYKIT_URL).');
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url "${url}" is not a valid URL.`);
  }
  const style = (values['body-style'] ?? 'next') as BodyStyle;
  if (!BODY_STYLES.includes(style)) {
    throw new UsageError(`--body-style must be one of ${BODY_STYLES.join(', ')}; got "${style}".`);
  }
  const metadata: Record<string, string> = {};
  for (const entry of values.metadata ?? []) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UsageError(`--metadata expects key=value; got "${entry}".`);
    metadata[entry.slice(0, at)] = entry.slice(at + 1);
  }
  if (style === 'health-agent' && values.user === undefined) {
    throw new UsageError('--body-style health-agent needs --user <id>.');
  }
  const headers: Record<string, string> = {};
  for (const entry of values.header ?? []) {
    const at = entry.indexOf(':');
    const name = entry.slice(0, at).trim().toLowerCase();
    if (at <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
      throw new UsageError(`--header expects name:value; got "${entry}".`);
    }
    headers[name] = entry.slice(at + 1).trim();
  }
  const approvals = values.approvals as ApprovalMode | undefined;
  if (approvals !== undefined && !APPROVAL_MODES.includes(approvals)) {
    throw new UsageError(`--approvals must be one of ${APPROVAL_MODES.join(', ')}; got "${approvals}".`);
  }
  const maxRetries = values['max-retries'] === undefined ? 3 : Number(values['max-retries']);
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new UsageError('--max-retries must be a non-negative integer.');
  }
  return {
    url,
    style,
    input: {
      agent: values.agent,
      threadId: values.thread,
      metadata,
      user: values.user,
      deviceId: values['device-id'],
    },
    token: values.token ?? env.RELAYKIT_TOKEN,
    headers,
    message: values.message,
    json: values.json ?? false,
    resumeUrl: values['no-resume'] ? false : values['resume-url'],
    maxRetries,
    approvals,
  };
}

/** How one reply ended. */
type ReplyOutcome = 'done' | 'error' | 'cancelled';

/** Writes events for a human: streamed text, tool lines, a summary per response. */
class HumanPrinter {
  private midLine = false;
  private readonly out: Writable;
  constructor(out: Writable) {
    this.out = out;
  }

  private line(text: string): void {
    if (this.midLine) this.out.write('\n');
    this.out.write(`${text}\n`);
    this.midLine = false;
  }

  /** Ends a line of streamed text, if one is open. */
  endLine(): void {
    if (this.midLine) this.out.write('\n');
    this.midLine = false;
  }

  event(event: ChatStreamEvent): void {
    if ('unknown' in event) return; // new event kinds are ignored, as the wire spec asks
    switch (event.event) {
      case 'session':
        this.line(`· ${event.data.agent} (thread ${event.data.threadId})`);
        return;
      case 'chunk':
        this.out.write(event.data.text);
        this.midLine = !event.data.text.endsWith('\n');
        return;
      case 'tool': {
        const mark = { started: '…', completed: '✓', failed: '✗' }[event.data.status];
        this.line(`${mark} tool ${event.data.name} ${event.data.status}`);
        return;
      }
      case 'text_done':
        this.endLine();
        return;
      case 'response_done': {
        const { usage, model, id } = event.data.response;
        const tokens =
          usage === null
            ? 'usage unknown'
            : `${usage.inputTokens} in / ${usage.outputTokens} out / ${usage.totalTokens} tokens`;
        this.line(`[${model} · ${tokens} · ${id}]`);
        return;
      }
      case 'approval_required':
        this.line(
          `? approval needed: ${event.data.tool} ${JSON.stringify(event.data.arguments)} (call ${event.data.callId})`,
        );
        return;
      case 'done':
        this.endLine();
        return;
      case 'error':
        this.line(
          `error ${event.data.code} (${event.data.retryable ? 'retryable' : 'not retryable'}): ${event.data.message}`,
        );
        return;
    }
  }

  finish(): void {
    this.endLine();
  }
}

/** Explains a thrown error in one or two lines. */
export function describeError(error: unknown): string {
  if (!isRelayKitError(error)) return `error: ${error instanceof Error ? error.message : String(error)}`;
  const retry =
    error.retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(error.retryAfterMs / 1000)} s.`;
  const hint: Partial<Record<string, string>> = {
    unauthorized: ' The server rejected the credentials: pass --token <jwt> or set RELAYKIT_TOKEN.',
    forbidden: ' The token is valid but not allowed to do this.',
    rate_limited: ` Rate limited.${retry || ' Wait a moment before sending again.'}`,
    quota_exceeded: ` The usage budget is exhausted.${retry}`,
    not_found: ' Check --url (and --resume-url).',
  };
  const extra = hint[error.code] ?? (retry ? retry : '');
  return `error ${error.code}${error.retryable ? ' (retryable)' : ''}: ${error.message}${extra}`;
}

/**
 * Runs the CLI with `argv` (the arguments after the script) and returns the exit code.
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let command: ChatCommand | 'help';
  try {
    command = parseChatCommand(argv, io.env);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`relaykit: ${(error as Error).message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }

  const headers: Record<string, string> = { ...command.headers };
  if (command.token) headers.authorization = `Bearer ${command.token}`;
  const state: Omit<ChatInput, 'message'> = { ...command.input };

  /** One request and its stream; the approvals it asked for are pushed to `pending`. */
  const post = async (
    makeBody: () => Record<string, unknown>,
    signal: AbortSignal,
    pending: SimpleApprovalRequiredData[],
  ): Promise<ReplyOutcome> => {
    const printer = new HumanPrinter(io.stdout);
    let outcome: ReplyOutcome = 'error';
    try {
      const body = makeBody();
      const events = streamChat({
        url: command.url,
        body,
        headers,
        signal,
        resumeUrl: command.resumeUrl,
        maxRetries: command.maxRetries,
        ...(io.fetch ? { fetch: io.fetch } : {}),
        ...(io.sleep ? { sleep: io.sleep } : {}),
        onReconnect: ({ attempt, lastEventId, delayMs }) => {
          io.stderr.write(
            `relaykit: connection lost; resuming after event ${lastEventId} in ${delayMs} ms (attempt ${attempt}/${command.maxRetries})\n`,
          );
        },
      });
      for await (const event of events) {
        if (command.json) {
          const line: Record<string, unknown> = { event: event.event };
          if (event.id !== undefined) line.id = event.id;
          line.data = event.data;
          io.stdout.write(`${JSON.stringify(line)}\n`);
        } else {
          printer.event(event);
        }
        if ('unknown' in event) continue;
        // Keep talking in the same thread on the next turn.
        if (event.event === 'session') state.threadId = event.data.threadId;
        if (event.event === 'approval_required') pending.push(event.data);
        if (event.event === 'done') outcome = 'done';
        if (event.event === 'error') outcome = 'error';
      }
      printer.finish();
      return outcome;
    } catch (error) {
      printer.finish();
      if (isRelayKitError(error) && error.code === 'cancelled') {
        io.stderr.write('relaykit: reply stopped.\n');
        return 'cancelled';
      }
      io.stderr.write(`${describeError(error)}\n`);
      return 'error';
    }
  };

  /** Sends a message, then answers the tool approvals it asks for (each answer streams the rest of the turn). */
  const send = async (
    message: string,
    signal: AbortSignal,
    ask?: (approval: SimpleApprovalRequiredData) => Promise<boolean>,
  ): Promise<ReplyOutcome> => {
    const pending: SimpleApprovalRequiredData[] = [];
    let outcome = await post(() => buildChatBody(command.style, { ...state, message }), signal, pending);
    const mode = command.approvals ?? (ask ? 'ask' : 'leave');
    while (outcome === 'done' && pending.length > 0) {
      const approval = pending.shift() as SimpleApprovalRequiredData;
      const threadId = state.threadId;
      if (mode === 'leave' || threadId === undefined) {
        io.stderr.write(
          `relaykit: tool ${approval.tool} waits for approval (approval ${approval.approvalId}, call ${approval.callId}); answer with --approvals approve|reject.\n`,
        );
        continue;
      }
      const approved = mode === 'ask' && ask ? await ask(approval) : mode === 'approve';
      const answer = {
        threadId,
        approvalId: approval.approvalId,
        callId: approval.callId,
        decision: approved ? ('approve' as const) : ('reject' as const),
      };
      outcome = await post(() => buildApprovalBody(command.style, answer), signal, pending);
    }
    return outcome;
  };

  const interactive = io.stdin.isTTY === true && command.message === undefined;
  if (!interactive) {
    const message = command.message ?? (await readAll(io.stdin)).trim();
    if (message === '') {
      io.stderr.write('relaykit: nothing to send: pass --message or pipe a message on stdin.\n');
      return EXIT.usage;
    }
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    try {
      const outcome = await send(message, controller.signal);
      return outcome === 'done' ? EXIT.ok : outcome === 'cancelled' ? EXIT.cancelled : EXIT.failed;
    } finally {
      process.off('SIGINT', onSigint);
    }
  }
  return repl(io, command, state, send);
}

async function repl(
  io: CliIO,
  command: ChatCommand,
  state: Omit<ChatInput, 'message'>,
  send: (
    message: string,
    signal: AbortSignal,
    ask?: (approval: SimpleApprovalRequiredData) => Promise<boolean>,
  ) => Promise<ReplyOutcome>,
): Promise<number> {
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: true });
  let active: AbortController | undefined;
  let closed = false;
  let promptAbort = new AbortController();
  rl.on('SIGINT', () => {
    if (active !== undefined) {
      active.abort(new Error('interrupted'));
    } else {
      closed = true;
      promptAbort.abort();
    }
  });
  rl.on('close', () => {
    closed = true;
    promptAbort.abort();
  });
  io.stdout.write(`relaykit chat → ${command.url} (${command.style}). Ctrl-C stops a reply; /quit exits.\n`);
  try {
    while (!closed) {
      promptAbort = new AbortController();
      let line: string;
      try {
        line = (await rl.question('you> ', { signal: promptAbort.signal })).trim();
      } catch {
        break;
      }
      if (line === '') continue;
      if (line === '/quit' || line === '/exit') break;
      if (line === '/new') {
        state.threadId = undefined;
        io.stdout.write('· new thread\n');
        continue;
      }
      if (line.startsWith('/agent')) {
        const agent = line.slice('/agent'.length).trim();
        state.agent = agent === '' ? undefined : agent;
        io.stdout.write(`· agent: ${state.agent ?? '(server default)'}\n`);
        continue;
      }
      active = new AbortController();
      try {
        await send(line, active.signal, async (approval) => {
          const answer = await rl.question(`approve ${approval.tool}? [y/N] `);
          return /^y(es)?$/i.test(answer.trim());
        });
      } finally {
        active = undefined;
      }
    }
  } finally {
    rl.close();
  }
  return EXIT.ok;
}

async function readAll(stream: Readable): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk as string;
  return text;
}
