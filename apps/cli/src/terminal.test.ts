import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { SimpleChatEvent } from '@relaykit/sse-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleReply, startTestServer, type TestServer, writeSimpleStream } from '../test/server';
import { type CliIO, EXIT, runCli } from './terminal';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function sink(): Writable & { text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return Object.assign(stream, { text: () => text });
}

function io(stdin: CliIO['stdin'] = Readable.from([]), env: CliIO['env'] = {}) {
  const stdout = sink();
  const stderr = sink();
  return { stdin, stdout, stderr, env, sleep: async () => {} };
}

describe('relaykit chat (in process)', () => {
  it('prints streamed text, tool lines and a usage summary', async () => {
    server = await startTestServer((_request, response) => writeSimpleStream(response, sampleReply()));
    const terminal = io();
    const code = await runCli(
      ['chat', '--url', server.url, '--message', 'hi', '--agent', 'triage', '--header', 'apikey: anon_key'],
      terminal,
    );
    expect(code).toBe(EXIT.ok);
    expect(terminal.stdout.text()).toBe(
      [
        '· orchestrator (thread thr_1)',
        'Hello',
        '… tool lookup_weather started',
        '✓ tool lookup_weather completed',
        ' there!',
        '[gpt-5-mini · 12 in / 3 out / 15 tokens · resp_1]',
        '',
      ].join('\n'),
    );
    expect(terminal.stderr.text()).toBe('');
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ message: 'hi', agent: 'triage', stream: true });
    expect(server.requests[0]!.headers.apikey).toBe('anon_key');
  });

  it('answers approval_required with --approvals approve: the decision is posted and the turn continues', async () => {
    const paused = (sessionId: string): SimpleChatEvent[] => [
      { event: 'session', data: { sessionId, threadId: 'thr_9', userId: 'user_1', agent: 'client' } },
      {
        event: 'approval_required',
        data: {
          sessionId,
          approvalId: 'hc_1',
          callId: 'call_1',
          tool: 'addGuest',
          arguments: { name: 'Ada' },
          itemId: 'msg_w',
        },
      },
      { event: 'done', data: { sessionId } },
    ];
    server = await startTestServer((_request, response, index) =>
      writeSimpleStream(response, index === 0 ? paused('ses_1') : sampleReply('ses_2')),
    );
    const terminal = io();
    const code = await runCli(
      ['chat', '--url', server.url, '--message', 'add Ada', '--approvals', 'approve'],
      terminal,
    );
    expect(code).toBe(EXIT.ok);
    expect(terminal.stdout.text()).toContain('? approval needed: addGuest {"name":"Ada"} (call call_1)');
    expect(terminal.stdout.text()).toContain('[gpt-5-mini · 12 in / 3 out / 15 tokens · resp_1]');
    expect(server.requests).toHaveLength(2);
    expect(JSON.parse(server.requests[1]!.body)).toEqual({
      threadId: 'thr_9',
      approval: { approvalId: 'hc_1', callId: 'call_1', decision: 'approve' },
      stream: true,
    });

    // Without --approvals, one message leaves the approval pending and says how to answer it.
    await server.close();
    server = await startTestServer((_request, response) => writeSimpleStream(response, paused('ses_3')));
    const quiet = io();
    expect(await runCli(['chat', '--url', server.url, '--message', 'add Ada'], quiet)).toBe(EXIT.ok);
    expect(server.requests).toHaveLength(1);
    expect(quiet.stderr.text()).toContain('tool addGuest waits for approval (approval hc_1, call call_1)');
  });

  it('reads the message from stdin and the token from RELAYKIT_TOKEN when not a TTY', async () => {
    server = await startTestServer((_request, response) => writeSimpleStream(response, sampleReply()));
    const terminal = io(Readable.from(['What is the weather?\n']), { RELAYKIT_TOKEN: 'env_token' });
    const code = await runCli(
      ['chat', '--url', server.url, '--body-style', 'health-agent', '--user', 'u_7', '--json'],
      terminal,
    );
    expect(code).toBe(EXIT.ok);
    const request = server.requests[0]!;
    expect(request.headers.authorization).toBe('Bearer env_token');
    expect(JSON.parse(request.body)).toEqual({ message: 'What is the weather?', user: 'u_7', stream: true });
    const lines = terminal.stdout
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(8);
    expect(lines[0]).toEqual({
      event: 'session',
      id: '1',
      data: { sessionId: 'ses_1', threadId: 'thr_1', userId: 'user_1', agent: 'orchestrator' },
    });
  });

  it('shows a server error event with its code and whether it is retryable, and exits 1', async () => {
    server = await startTestServer((_request, response) =>
      writeSimpleStream(response, [
        sampleReply()[0]!,
        {
          event: 'error',
          data: { message: 'Daily budget reached.', code: 'quota_exceeded', retryable: false },
        },
      ]),
    );
    const terminal = io();
    const code = await runCli(['chat', '--url', server.url, '-m', 'hi'], terminal);
    expect(code).toBe(EXIT.failed);
    expect(terminal.stdout.text()).toContain('error quota_exceeded (not retryable): Daily budget reached.\n');
  });

  it('explains a 429 with Retry-After and a 401', async () => {
    server = await startTestServer((_request, response, index) => {
      if (index === 0) {
        response.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: 'rate_limited', message: 'Slow down.' }));
      } else {
        response.writeHead(401);
        response.end();
      }
    });
    const limited = io();
    expect(await runCli(['chat', '--url', server.url, '-m', 'hi'], limited)).toBe(EXIT.failed);
    expect(limited.stderr.text()).toBe(
      'error rate_limited (retryable): Slow down. Rate limited. Retry after 30 s.\n',
    );
    const denied = io();
    expect(await runCli(['chat', '--url', server.url, '-m', 'hi'], denied)).toBe(EXIT.failed);
    expect(denied.stderr.text()).toContain('error unauthorized: ');
    expect(denied.stderr.text()).toContain('pass --token <jwt> or set RELAYKIT_TOKEN');
  });

  it('reports a reconnection on stderr and prints the reply once', async () => {
    const reply = sampleReply();
    server = await startTestServer((request, response) => {
      if (request.method === 'POST') return writeSimpleStream(response, reply, { dropAfter: 2, retryMs: 5 });
      const after = Number(request.headers['last-event-id']);
      return writeSimpleStream(response, reply.slice(after), { firstId: after + 1 });
    });
    const terminal = io();
    expect(await runCli(['chat', '--url', server.url, '-m', 'hi'], terminal)).toBe(EXIT.ok);
    expect(terminal.stderr.text()).toBe(
      'relaykit: connection lost; resuming after event 2 in 5 ms (attempt 1/3)\n',
    );
    expect(terminal.stdout.text().match(/Hello/g)).toHaveLength(1);
    expect(terminal.stdout.text()).toContain(' there!\n[gpt-5-mini');
  });

  it('rejects bad arguments with the usage text and exit code 2', async () => {
    const cases: [string[], string][] = [
      [['chat'], 'Missing --url'],
      [['chat', '--url', 'not a url'], 'not a valid URL'],
      [['chat', '--url', 'http://x', '--body-style', 'grpc'], '--body-style must be one of'],
      [['chat', '--url', 'http://x', '--body-style', 'health-agent'], 'needs --user'],
      [['chat', '--url', 'http://x', '--metadata', 'novalue'], 'key=value'],
      [['talk'], 'Unknown command "talk"'],
      [['chat', '--bogus'], "Unknown option '--bogus'"],
      [['chat', '--url', 'http://x', '--header', 'no colon'], 'name:value'],
    ];
    for (const [argv, message] of cases) {
      const terminal = io();
      expect(await runCli(argv, terminal)).toBe(EXIT.usage);
      expect(terminal.stderr.text()).toContain(message);
      expect(terminal.stderr.text()).toContain('Usage: relaykit chat');
    }
    const help = io();
    expect(await runCli(['--help'], help)).toBe(EXIT.ok);
    expect(help.stdout.text()).toContain('--body-style <style>');
  });

  it('runs a REPL that keeps the thread, and Ctrl-C stops the current reply', async () => {
    server = await startTestServer(async (request, response, index) => {
      if (index === 0) return writeSimpleStream(response, sampleReply());
      // The second reply starts and then hangs until the client goes away.
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(
        'event: session\nid: 1\ndata: {"sessionId":"ses_2","threadId":"thr_1","userId":"u","agent":"orchestrator"}\n\n' +
          'event: chunk\nid: 2\ndata: {"text":"A long story","sessionId":"ses_2"}\n\n',
      );
      await new Promise((resolve) => request.headers && response.on('close', resolve));
    });
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const terminal = io(stdin);
    const done = runCli(['chat', '--url', server.url], terminal);
    // Polls the terminal until `text` shows up `count` times. The bound is wall time far above any loaded machine's
    // need (a count of 10 ms tries ran out after ~5 s under load), and it fails with the output so far.
    const waitFor = async (text: string, count = 1) => {
      const deadline = Date.now() + 90_000;
      while (
        terminal.stdout.text().split(text).length - 1 < count &&
        !terminal.stderr.text().includes(text)
      ) {
        if (Date.now() > deadline)
          throw new Error(`gave up waiting for "${text}"; stdout: ${terminal.stdout.text()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await waitFor('you> ');
    stdin.write('hello\r');
    await waitFor('[gpt-5-mini');
    await waitFor('you> ', 2);
    stdin.write('tell me a story\r');
    await waitFor('A long story');
    stdin.write('\x03'); // Ctrl-C
    await waitFor('relaykit: reply stopped.');
    await waitFor('you> ', 3);
    stdin.write('/quit\r');
    expect(await done).toBe(EXIT.ok);
    expect(server.requests).toHaveLength(2);
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ message: 'hello', stream: true });
    // The second turn continues the thread the first one created.
    expect(JSON.parse(server.requests[1]!.body)).toEqual({
      message: 'tell me a story',
      threadId: 'thr_1',
      stream: true,
    });
  });
});

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds dist/cli.js when it is missing or older than a source file (the repo's check step builds it first). */
function ensureBuilt(): string {
  const cli = join(appRoot, 'dist', 'cli.js');
  const newestSource = Math.max(
    ...readdirSync(join(appRoot, 'src')).map((file) => statSync(join(appRoot, 'src', file)).mtimeMs),
  );
  if (!existsSync(cli) || statSync(cli).mtimeMs < newestSource) {
    execFileSync('pnpm', ['exec', 'tsup'], { cwd: appRoot, stdio: 'pipe' });
  }
  return cli;
}

describe('the relaykit binary', () => {
  it('prints one JSON line per event for `chat --url ... --message hi --json`', async () => {
    const cli = ensureBuilt();
    server = await startTestServer((_request, response) => writeSimpleStream(response, sampleReply()));
    const url = server.url;
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>(
      (resolvePromise) => {
        const child = execFile(
          process.execPath,
          [cli, 'chat', '--url', url, '--message', 'hi', '--json', '--agent', 'triage'],
          { env: { ...process.env, RELAYKIT_TOKEN: 'spawned' } },
          (error, out, err) =>
            resolvePromise({ stdout: out, stderr: err, code: error ? Number(error.code) : 0 }),
        );
        child.stdin?.end();
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const expected = sampleReply().map((event, index) => ({
      event: event.event,
      id: String(index + 1),
      data: event.data,
    }));
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(expected);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer spawned');
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ message: 'hi', agent: 'triage', stream: true });
  });
});
