/**
 * The app's route composition with real `Request`s: the runtime on embedded defaults (PGlite in a temporary folder,
 * the in-process fake OpenAI server with the offline script), the dev sign-in cookie, and every API route.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SESSION_COOKIE } from '../src/server/auth';
import { DEFAULT_DEV_JWT_SECRET, DEMO_USER_ID, readAppConfig } from '../src/server/config';
import { OFFLINE_PROMPTS, OFFLINE_RESCHEDULE_DATE } from '../src/server/offline-script';
import { type AppRoutes, createAppRoutes } from '../src/server/routes';
import { type AppRuntime, createAppRuntime } from '../src/server/runtime';
import { signIn, signOut } from '../src/server/sign-in-route';

const origin = 'http://localhost:3000';
let dataDir: string;
let runtime: AppRuntime;
let routes: AppRoutes;
let cookie: string;
let accessToken: string;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const chatkit = (type: string, params: unknown, metadata: Record<string, unknown> = {}) =>
  routes.chatkit(post('/api/chatkit', { type, params, metadata }, { cookie }));

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

/** The `data:` JSON of every SSE frame of a response. */
async function sseEvents(response: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const events: { event: string; data: Record<string, unknown> }[] = [];
  for (const frame of (await response.text()).split('\n\n')) {
    const lines = frame.split('\n');
    const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim());
    if (data.length === 0) continue;
    const event =
      lines
        .find((line) => line.startsWith('event:'))
        ?.slice(6)
        .trim() ?? 'message';
    events.push({ event, data: JSON.parse(data.join('\n')) });
  }
  return events;
}

const tokenFor = (sub: string) =>
  new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience('authenticated')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(DEFAULT_DEV_JWT_SECRET));

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'relaykit-web-'));
  runtime = await createAppRuntime(
    readAppConfig({ RELAYKIT_DATA_DIR: dataDir, RELAYKIT_OFFLINE_DELAY_MS: '0' }),
  );
  routes = createAppRoutes(runtime);
  const response = await signIn(post('/api/dev/sign-in', {}));
  expect(response.status).toBe(200);
  cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  accessToken = ((await response.json()) as { accessToken: string }).accessToken;
});

afterAll(async () => {
  await runtime?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('dev sign-in', () => {
  it('sets an httpOnly session cookie for the seeded demo user', async () => {
    const response = await signIn(post('/api/dev/sign-in', {}));
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=ey`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(await response.json()).toMatchObject({ user: { id: DEMO_USER_ID, email: 'ada@relaykit.dev' } });
  });

  it('redirects a form post to /chat', async () => {
    const form = new Request(`${origin}/api/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    const response = await signIn(form);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/chat');
  });

  it('is refused in production unless RELAYKIT_ENABLE_DEV_SIGN_IN=1', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    try {
      const publicSecret = await signIn(post('/api/dev/sign-in', {}));
      expect(await publicSecret.json()).toMatchObject({ error: { code: 'configuration' } });
      vi.stubEnv('RELAYKIT_DEV_JWT_SECRET', 'an-own-dev-secret-of-at-least-32-chars');
      const refused = await signIn(post('/api/dev/sign-in', {}));
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'forbidden' } });
      vi.stubEnv('RELAYKIT_ENABLE_DEV_SIGN_IN', '1');
      expect((await signIn(post('/api/dev/sign-in', {}))).status).toBe(200);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('signs out by clearing the cookie', async () => {
    const response = await signOut(new Request(`${origin}/api/dev/sign-in`, { method: 'DELETE' }));
    expect(response.headers.get('set-cookie')).toMatch(/^relaykit-session=;.*Max-Age=0/);
    const viaLink = await signOut(new Request(`${origin}/api/dev/sign-in`));
    expect(viaLink.status).toBe(303);
    expect(viaLink.headers.get('location')).toBe('/sign-in');
  });
});

/** The guest list as the planner reads it with `viewGuestList` (the demo event's real data). */
const guestNames = async () => {
  const response = await routes.chat(
    post(
      '/api/chat',
      { message: OFFLINE_PROMPTS.guests, agent: 'event-client', stream: false },
      { authorization: `Bearer ${accessToken}` },
    ),
  );
  const { message } = (await response.json()) as { message: string };
  const names = /^Your guest list has \d+ guests?: (.*)\.$/m.exec(message)?.[1];
  expect(names, message).toBeDefined();
  return names!.split(', ');
};

describe('/api/chatkit', () => {
  it('answers 401 without a session, and for a token signed with another secret', async () => {
    const anonymous = await routes.chatkit(post('/api/chatkit', { type: 'threads.list', params: {} }));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const forged = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(DEMO_USER_ID)
      .setAudience('authenticated')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-to-use'));
    const response = await routes.chatkit(
      post('/api/chatkit', { type: 'threads.list', params: {} }, { cookie: `${SESSION_COOKIE}=${forged}` }),
    );
    expect(response.status).toBe(401);
  });

  it('threads.create with the session cookie streams the offline reply and keeps the thread', async () => {
    const response = await chatkit(
      'threads.create',
      { input: input('Hello RelayKit') },
      { agentType: 'orchestrator' },
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await sseEvents(response)).map((event) => event.data);
    const created = events.find((event) => event.type === 'thread.created') as { thread: { id: string } };
    expect(created).toBeDefined();
    const deltas = events.filter(
      (event) =>
        (event.update as { type?: string } | undefined)?.type === 'assistant_message.content_part.text_delta',
    );
    expect(deltas.length).toBeGreaterThan(3);
    const done = events.filter((event) => event.type === 'thread.item.done').map((event) => event.item);
    const answer = done.find((item) => (item as { type: string }).type === 'assistant_message') as {
      content: { text: string }[];
    };
    expect(answer.content[0]!.text).toContain('offline demo model');

    const list = (await (await chatkit('threads.list', { limit: 20 })).json()) as { data: { id: string }[] };
    expect(list.data.map((thread) => thread.id)).toContain(created.thread.id);
    const items = (await (
      await chatkit('items.list', { thread_id: created.thread.id, order: 'asc' })
    ).json()) as {
      data: { type: string }[];
    };
    expect(items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
  });

  const planner = { agentType: 'client', clientId: 'client-1', eventId: 'event-1' };
  /** The fields of a streamed thread item these tests read. */
  interface StreamItem {
    id: string;
    type: string;
    copy_text?: string;
    widget: { children: { children?: { label: string; onClickAction: unknown }[] }[] };
    workflow: { tasks: unknown[] };
    content: { text: string }[];
  }
  type StreamEvent = Record<string, unknown> & { item?: StreamItem };
  const doneItems = (events: StreamEvent[]) =>
    events.filter((event) => event.type === 'thread.item.done').map((event) => event.item!);

  /** Asks the planner to add `guest`: the run pauses on the approval card of addGuest (the tool has not run). */
  async function pausedAddGuest(guest: string) {
    const events = (
      await sseEvents(await chatkit('threads.create', { input: input(`Add a guest: ${guest}`) }, planner))
    ).map((event) => event.data as StreamEvent);
    const threadId = (events.find((event) => event.type === 'thread.created') as { thread: { id: string } })
      .thread.id;
    const done = doneItems(events);
    expect(done.map((item) => item.type)).toEqual(['user_message', 'widget']);
    const card = done[1]!;
    expect(card.copy_text).toBe('Approval needed: addGuest');
    const buttons = card.widget.children.at(-1)?.children ?? [];
    expect(buttons.map((button) => button.label)).toEqual(['Approve', 'Reject']);
    /** Clicks the card's `label` button (`threads.custom_action`, as the chat page does). */
    const click = (label: 'Approve' | 'Reject') =>
      chatkit(
        'threads.custom_action',
        {
          thread_id: threadId,
          item_id: card.id,
          action: buttons.find((b) => b.label === label)!.onClickAction,
        },
        planner,
      );
    /** Clicks `label` and returns the streamed events of the resumed run. */
    const decide = async (label: 'Approve' | 'Reject') =>
      (await sseEvents(await click(label))).map((event) => event.data as StreamEvent);
    return { threadId, card, events, click, decide };
  }

  it('pauses the event planner at addGuest on an approval card; Approve runs the tool and the answer names the guest', async () => {
    const { threadId, card, events, click, decide } = await pausedAddGuest('Ana');
    const serialized = JSON.stringify(card.widget);
    expect(serialized).toContain('Allow addGuest?');
    expect(serialized).toContain('- **name**: Ana');
    expect(JSON.stringify(events)).not.toContain('relaykit.paused_run');
    expect(await guestNames()).not.toContain('Ana');

    const resumed = await decide('Approve');
    const replaced = resumed.find((event) => event.type === 'thread.item.replaced')!;
    expect(replaced.item!.id).toBe(card.id);
    expect(JSON.stringify(replaced.item!.widget)).toContain('Approved');
    // The resumed run shows the tool's progress: running, then finished.
    const tasks = resumed
      .map((event) => event.update as { type?: string; task?: { title?: string; status_indicator?: string } })
      .filter((update) => /^workflow\.task\.(added|updated)$/.test(update?.type ?? ''))
      .map((update) => `${update.task?.title}: ${update.task?.status_indicator}`);
    expect(tasks).toEqual(['Calling addGuest: loading', 'Called addGuest: complete']);
    const done = doneItems(resumed);
    expect(done.map((item) => item.type)).toEqual(['workflow', 'assistant_message']);
    expect(done[0]!.workflow.tasks).toEqual([
      expect.objectContaining({ title: 'Called addGuest', status_indicator: 'complete' }),
    ]);
    expect(done[1]!.content[0]!.text).toContain('Done: **Ana** is now on the guest list');
    expect((await guestNames()).filter((name) => name === 'Ana')).toHaveLength(1);

    // A second click on the answered card is refused, and the tool does not run again.
    const again = await click('Approve');
    expect(again.status).toBe(404);
    expect((await guestNames()).filter((name) => name === 'Ana')).toHaveLength(1);
    const items = (await (await chatkit('items.list', { thread_id: threadId, order: 'asc' })).json()) as {
      data: { type: string }[];
    };
    expect(items.data.map((item) => item.type)).toEqual([
      'user_message',
      'widget',
      'workflow',
      'assistant_message',
    ]);
  });

  it('Reject on the approval card: addGuest never runs and the answer says the guest was not added', async () => {
    const before = await guestNames();
    const { decide } = await pausedAddGuest('Bruno');
    const resumed = await decide('Reject');
    const replaced = resumed.find((event) => event.type === 'thread.item.replaced')!;
    expect(JSON.stringify(replaced.item!.widget)).toContain('Rejected');
    const answer = doneItems(resumed).find((item) => item.type === 'assistant_message')!;
    expect(answer.content[0]!.text).toContain(
      'I did not add **Bruno**: you rejected the change, so the guest list is unchanged.',
    );
    expect(await guestNames()).toEqual(before);
  });

  it('pauses the venue event planner at updateEvent on an approval card; Approve moves the event', async () => {
    const venueEvent = { agentType: 'venue_event', venueId: 'venue-1', eventId: 'event-1' };
    const events = (
      await sseEvents(
        await chatkit('threads.create', { input: input(OFFLINE_PROMPTS.reschedule) }, venueEvent),
      )
    ).map((event) => event.data as StreamEvent);
    const threadId = (events.find((event) => event.type === 'thread.created') as { thread: { id: string } })
      .thread.id;
    const done = doneItems(events);
    expect(done.map((item) => item.type)).toEqual(['user_message', 'widget']);
    const card = done[1]!;
    expect(card.copy_text).toBe('Approval needed: updateEvent');
    expect(JSON.stringify(card.widget)).toContain(`- **date**: ${OFFLINE_RESCHEDULE_DATE}`);
    const approve = (card.widget.children.at(-1)?.children ?? []).find((b) => b.label === 'Approve')!;
    const resumed = (
      await sseEvents(
        await chatkit(
          'threads.custom_action',
          { thread_id: threadId, item_id: card.id, action: approve.onClickAction },
          venueEvent,
        ),
      )
    ).map((event) => event.data as StreamEvent);
    const answer = doneItems(resumed).find((item) => item.type === 'assistant_message')!;
    // The date comes back from the tool's write to the demo event.
    expect(answer.content[0]!.text).toContain(`Done: the event is now on **${OFFLINE_RESCHEDULE_DATE}**`);
  });

  it('shows the contract as a widget after viewContract, stored with the thread', async () => {
    const response = await chatkit(
      'threads.create',
      { input: input(OFFLINE_PROMPTS.contract) },
      { agentType: 'client', clientId: 'client-1', eventId: 'event-1' },
    );
    const events = (await sseEvents(response)).map((event) => event.data);
    const done = events
      .filter((event) => event.type === 'thread.item.done')
      .map((event) => event.item as { type: string; widget?: unknown; copy_text?: string });
    expect(done.map((item) => item.type)).toEqual([
      'user_message',
      'workflow',
      'assistant_message',
      'widget',
    ]);
    const widget = done[3]!;
    expect(JSON.stringify(widget.widget)).toContain('Contract: Ana & Rui wedding');
    expect(widget.copy_text).toContain('total €18,500');
    const created = events.find((event) => event.type === 'thread.created') as { thread: { id: string } };
    const items = (await (
      await chatkit('items.list', { thread_id: created.thread.id, order: 'asc' })
    ).json()) as { data: { type: string }[] };
    expect(items.data.map((item) => item.type)).toEqual([
      'user_message',
      'workflow',
      'assistant_message',
      'widget',
    ]);
  });

  it('answers 400 before any stream for missing agent metadata or an unknown agent (nothing is stored)', async () => {
    const before = (await (await chatkit('threads.list', { limit: 100 })).json()) as { data: unknown[] };
    const missing = await chatkit('threads.create', { input: input('Hi') }, { agentType: 'client' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const unknown = await chatkit('threads.create', { input: input('Hi') }, { agentType: 'pirate' });
    expect(unknown.status).toBe(400);
    const after = (await (await chatkit('threads.list', { limit: 100 })).json()) as { data: unknown[] };
    expect(after.data).toHaveLength(before.data.length);
  });

  it('checks a follow-up against the thread’s saved agent metadata', async () => {
    const metadata = { agentType: 'venue_general', venueId: 'venue-1' };
    const events = (await sseEvents(await chatkit('threads.create', { input: input('Hi') }, metadata))).map(
      (event) => event.data,
    );
    const threadId = (events[0] as { thread: { id: string } }).thread.id;
    const followUp = await chatkit(
      'threads.add_user_message',
      { thread_id: threadId, input: input('And now?') },
      { agentType: 'venue_general' },
    );
    expect(followUp.status).toBe(200);
    await followUp.text();
    const wrong = await chatkit(
      'threads.add_user_message',
      { thread_id: threadId, input: input('x') },
      { agentType: 'venue_event' },
    );
    expect(wrong.status).toBe(400);
  });
});

describe('/api/chat (the simple stream apps/cli speaks)', () => {
  it('streams chunk events to a bearer token, with a picker id as the agent; addGuest asks for approval', async () => {
    const chat = (body: Record<string, unknown>) =>
      routes.chat(post('/api/chat', body, { authorization: `Bearer ${accessToken}` }));
    const response = await chat({ message: 'Add a guest: Carla', agent: 'event-client' });
    expect(response.status).toBe(200);
    const events = await sseEvents(response);
    expect(events[0]!.event).toBe('session');
    const required = events.find((event) => event.event === 'approval_required')?.data;
    expect(required).toMatchObject({ tool: 'addGuest', arguments: { name: 'Carla', email: null } });
    expect(events.at(-1)!.event).toBe('done');
    expect(await guestNames()).not.toContain('Carla');

    const { approvalId, callId } = required as { approvalId: string; callId: string };
    const threadId = events[0]!.data.threadId;
    const approved = await sseEvents(
      await chat({ threadId, agent: 'event-client', approval: { approvalId, callId, decision: 'approve' } }),
    );
    const text = approved
      .filter((event) => event.event === 'chunk')
      .map((event) => event.data.text)
      .join('');
    expect(text).toContain('Done: **Carla** is now on the guest list');
    expect(approved.at(-1)!.event).toBe('done');
    expect(await guestNames()).toContain('Carla');
  });

  it('answers 400 for an agent whose metadata is missing', async () => {
    const response = await routes.chat(
      post('/api/chat', { message: 'Hi', agent: 'venue_event' }, { authorization: `Bearer ${accessToken}` }),
    );
    expect(response.status).toBe(400);
  });
});

describe('/api/agents, /api/health, /api/usage', () => {
  it('lists the picker agents with starter prompts', async () => {
    const response = await routes.agents(new Request(`${origin}/api/agents`, { headers: { cookie } }));
    const { agents } = (await response.json()) as { agents: { label: string; starterPrompts: string[] }[] };
    expect(agents.map((agent) => agent.label)).toEqual([
      'Workflow assistant',
      'Event planner — client',
      'Event planner — venue',
      'Event planner — venue event',
      'Database copilot',
      'Classroom assistant',
      'Health assistant',
    ]);
    for (const agent of agents) expect(agent.starterPrompts.length).toBeGreaterThan(0);
  });

  it('reports the database and the model healthy: the status to anyone, the checks to a signed-in user', async () => {
    const anonymous = await routes.health(new Request(`${origin}/api/health`));
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ok' });
    const response = await routes.health(new Request(`${origin}/api/health`, { headers: { cookie } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      checks: { database: { ok: true }, model: { ok: true } },
    });
  });

  it('shows the caller’s calls: totals, today in the daily series, the rate limit', async () => {
    const response = await routes.usage(new Request(`${origin}/api/usage`, { headers: { cookie } }));
    const usage = (await response.json()) as {
      summary: { totalRequests: number; totalTokens: number };
      daily: { day: string; requests: number }[];
      rateLimit: { limit: number; remaining: number };
      recentErrors: unknown[];
    };
    expect(usage.summary.totalRequests).toBeGreaterThanOrEqual(3);
    expect(usage.summary.totalTokens).toBeGreaterThan(0);
    expect(usage.daily.at(-1)).toMatchObject({ day: new Date().toISOString().slice(0, 10) });
    expect(usage.rateLimit.limit).toBe(60);
    expect(usage.rateLimit.remaining).toBeLessThan(60);
    expect(Array.isArray(usage.recentErrors)).toBe(true);
  });

  it('finds a failed request’s recent error by the x-request-id its answer carried', async () => {
    const requestId = 'req_web_usage_find_me_0001';
    const failed = await routes.chatkit(
      post(
        '/api/chatkit',
        { type: 'threads.create', params: { input: input('Hi') }, metadata: { agentType: 'pirate' } },
        { cookie, 'x-request-id': requestId },
      ),
    );
    expect(failed.status).toBe(400);
    expect(failed.headers.get('x-request-id')).toBe(requestId);
    const response = await routes.usage(
      new Request(`${origin}/api/usage?requestId=${requestId}`, { headers: { cookie } }),
    );
    expect(response.status).toBe(200);
    const { recentErrors } = (await response.json()) as { recentErrors: unknown[] };
    expect(recentErrors).toEqual([expect.objectContaining({ code: 'invalid_request', requestId })]);
  });
});

describe('/api/images and /api/images/file', () => {
  it('generates an image whose bytes only its owner can load', async () => {
    const response = await routes.images(
      post('/api/images', { prompt: 'a red fox', quality: 'low' }, { cookie }),
    );
    expect(response.status).toBe(200);
    const { image } = (await response.json()) as { image: { url: string; prompt: string } };
    expect(image.url).toMatch(/^\/api\/images\/file\/images\//);
    const file = await routes.imageFile(new Request(`${origin}${image.url}`, { headers: { cookie } }));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect([...bytes.slice(1, 4)].map((byte) => String.fromCharCode(byte)).join('')).toBe('PNG');
    const stranger = await tokenFor(crypto.randomUUID());
    const other = await routes.imageFile(
      new Request(`${origin}${image.url}`, { headers: { authorization: `Bearer ${stranger}` } }),
    );
    expect(other.status).toBe(404);
    const traversal = await routes.imageFile(
      new Request(`${origin}/api/images/file/images/..%2F..%2Fetc/passwd`, { headers: { cookie } }),
    );
    expect(traversal.status).toBe(400);
    const malformed = await routes.imageFile(
      new Request(`${origin}/api/images/file/images/%E0%A4%A/x.png`, { headers: { cookie } }),
    );
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const badCookie = await routes.imageFile(
      new Request(`${origin}${image.url}`, { headers: { cookie: `${SESSION_COOKIE}=%E0%A4%A` } }),
    );
    expect(badCookie.status).toBe(401);
  });

  it('logs unexpected errors of the image file and agents routes (the client sees a 500 internal)', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const broken = createAppRoutes({
        ...runtime,
        blobs: { ...runtime.blobs, get: () => Promise.reject(new Error('disk gone')) },
        get agents(): never {
          throw new Error('agents gone');
        },
      });
      const file = await broken.imageFile(
        new Request(`${origin}/api/images/file/images/${DEMO_USER_ID}/x.png`, { headers: { cookie } }),
      );
      expect(file.status).toBe(500);
      const agents = await broken.agents(new Request(`${origin}/api/agents`, { headers: { cookie } }));
      expect(agents.status).toBe(500);
      const messages = logged.mock.calls.map((call) => String(call.at(-1)));
      expect(messages).toEqual(expect.arrayContaining(['Error: disk gone', 'Error: agents gone']));
    } finally {
      logged.mockRestore();
    }
  });
});

describe('attachments, thread search and the stored images list', () => {
  const get = (path: string, headers: Record<string, string> = { cookie }) =>
    new Request(`${origin}${path}`, { headers });

  it('uploads an attachment in two phases, serves it to its owner only, and passes it to the model as a note', async () => {
    const bytes = new TextEncoder().encode('minutes of the meeting');
    const created = (await (
      await chatkit('attachments.create', {
        name: 'minutes.txt',
        size: bytes.byteLength,
        mime_type: 'text/plain',
      })
    ).json()) as { id: string; upload_descriptor: { url: string; method: string } };
    expect(created.upload_descriptor).toMatchObject({
      url: `/api/chatkit/attachments/${created.id}`,
      method: 'POST',
    });
    const form = new FormData();
    form.set('file', new File([bytes], 'minutes.txt', { type: 'text/plain' }));
    const upload = await routes.attachmentUpload(
      new Request(`${origin}${created.upload_descriptor.url}`, {
        method: 'POST',
        headers: { cookie },
        body: form,
      }),
    );
    expect(upload.status).toBe(200);
    const file = await routes.attachmentFile(get(`/api/chatkit/attachments/${created.id}`));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/plain');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(await file.text()).toBe('minutes of the meeting');
    const stranger = await routes.attachmentFile(
      get(`/api/chatkit/attachments/${created.id}`, {
        authorization: `Bearer ${await tokenFor('00000000-0000-4000-8000-0000000000bb')}`,
      }),
    );
    expect(stranger.status).toBe(404);
    const run = await sseEvents(
      await chatkit(
        'threads.create',
        { input: { ...input('See the minutes'), attachments: [created.id] } },
        { agentType: 'orchestrator' },
      ),
    );
    const user = run.find((event) => event.data.type === 'thread.item.done')?.data.item as {
      attachments: { id: string }[];
    };
    expect(user.attachments.map((attachment) => attachment.id)).toEqual([created.id]);
    expect(run.some((event) => event.data.type === 'error')).toBe(false);
  });

  it('searches the user’s threads by their text', async () => {
    await sseEvents(
      await chatkit(
        'threads.create',
        { input: input('Plan the lighthouse picnic') },
        { agentType: 'orchestrator' },
      ),
    );
    const response = await routes.threadSearch(get('/api/chatkit/search?q=lighthouse%20picn'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { thread: { id: string }; snippet: string }[] };
    expect(body.data.length).toBeGreaterThanOrEqual(1);
    expect(body.data[0]!.snippet).toContain('**lighthouse**');
    expect((await routes.threadSearch(get('/api/chatkit/search?q=lighthouse', {}))).status).toBe(401);
  });

  it('lists the user’s stored images with the prompts recorded beside them, a page at a time', async () => {
    for (const prompt of ['a red kite', 'a blue boat']) {
      const made = await routes.images(post('/api/images', { prompt, quality: 'low' }, { cookie }));
      expect(made.status).toBe(200);
    }
    const page = (await (await routes.imageList(get('/api/images?limit=1'))).json()) as {
      images: { prompt?: string; url: string }[];
      after?: string;
    };
    expect(page.images).toHaveLength(1);
    expect(page.images[0]).toMatchObject({
      prompt: 'a blue boat',
      url: expect.stringMatching(/^\/api\/images\/file\/images\//),
    });
    expect(page.after).toBeDefined();
    const next = (await (
      await routes.imageList(get(`/api/images?limit=1&after=${encodeURIComponent(page.after!)}`))
    ).json()) as typeof page;
    expect(next.images[0]?.prompt).toBe('a red kite');
    expect((await routes.imageList(get('/api/images?limit=0'))).status).toBe(400);
  });
});
