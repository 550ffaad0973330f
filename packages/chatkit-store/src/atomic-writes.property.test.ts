/**
 * Property: random sequences of a turn's multi-write steps (create a thread with its first message, add a message with
 * attachments, retry after an item, complete a client tool call), some with an injected failure (an item whose id
 * another thread owns, another user's attachment, an oversize item, text Postgres cannot store, a transaction that
 * aborts after the SQL ran), leave every driver exactly where a model that applies only the successful steps says:
 * no thread without its first user message, no half-applied retry, no attachment linked by a failed step.
 */
import { PGlite } from '@electric-sql/pglite';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { createSupabaseRpcServer, mintSupabaseJwt, type SupabaseRpcServer } from '@relaykit/testing/supabase';
import { createClient } from '@supabase/supabase-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from './drivers/memory';
import { createPGliteStore } from './drivers/pglite';
import { createPostgresStore } from './drivers/postgres';
import { createSupabaseStore } from './drivers/supabase';
import { isRelayKitError } from './errors';
import { migrate } from './migrate';
import type { ChatKitStore, ChatKitStoreContext } from './ports';
import { makeItem, makeThread } from './testing/index';
import type { Attachment, ThreadItem, ThreadMetadata } from './types';

const MAX_ITEM_BYTES = 4096;

type Failure = 'none' | 'taken-item-id' | 'foreign-attachment' | 'oversize' | 'nul' | 'abort-after-sql';

type Step =
  | { kind: 'create'; extra: number; attach: boolean; failure: Failure }
  | { kind: 'add'; thread: number; attach: boolean; failure: Failure }
  | { kind: 'pending-call'; thread: number }
  | { kind: 'retry'; thread: number; item: number; missing: boolean }
  | { kind: 'complete'; thread: number; failure: 'none' | 'taken-item-id' };

const failure = fc.constantFrom<Failure>(
  'none',
  'none',
  'taken-item-id',
  'foreign-attachment',
  'oversize',
  'nul',
  'abort-after-sql',
);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), extra: fc.nat(2), attach: fc.boolean(), failure }),
  fc.record({ kind: fc.constant('add' as const), thread: fc.nat(), attach: fc.boolean(), failure }),
  fc.record({ kind: fc.constant('pending-call' as const), thread: fc.nat() }),
  fc.record({ kind: fc.constant('retry' as const), thread: fc.nat(), item: fc.nat(), missing: fc.boolean() }),
  fc.record({
    kind: fc.constant('complete' as const),
    thread: fc.nat(),
    failure: fc.constantFrom('none' as const, 'none' as const, 'taken-item-id' as const),
  }),
);

/** A store under test, and a switch that makes its next SQL transaction abort after the function ran (if it can). */
interface Subject {
  store: ChatKitStore<ChatKitStoreContext>;
  context(userId: string): Promise<ChatKitStoreContext>;
  abortNextTransaction?: () => void;
}

/** A PGlite whose `transaction` can be told to throw after the callback's SQL ran, so the transaction rolls back. */
function abortablePGlite(db: PGlite): { db: PGlite; abortNext(): void } {
  let abort = false;
  const transaction: PGlite['transaction'] = (callback) =>
    db.transaction(async (tx) => {
      const result = await callback(tx);
      if (abort) {
        abort = false;
        throw new Error('injected: the transaction aborts after the chatkit function ran');
      }
      return result;
    });
  const proxy = new Proxy(db, {
    get(target, key) {
      if (key === 'transaction') return transaction;
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db: proxy,
    abortNext: () => {
      abort = true;
    },
  };
}

let clock = 0;
/** Creation times that advance, two items per second, so ties are broken by insertion order. */
const nextSecond = () => Math.floor(clock++ / 2);

function userMessage(threadId: string, attachments: Attachment[] = []): ThreadItem {
  return makeItem(threadId, nextSecond(), {
    attachments: attachments.map((attachment) => ({ ...attachment, thread_id: threadId })),
  });
}

function assistantMessage(threadId: string): ThreadItem {
  return makeItem(threadId, nextSecond(), {
    type: 'assistant_message',
    content: [{ type: 'output_text', text: 'reply', annotations: [] }],
  });
}

function pendingCall(threadId: string): ThreadItem {
  return makeItem(threadId, nextSecond(), {
    id: `tc_${crypto.randomUUID().slice(0, 12)}`,
    type: 'client_tool_call',
    status: 'pending',
    call_id: `call_${crypto.randomUUID().slice(0, 8)}`,
    name: 'pick',
    arguments: {},
  });
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (isRelayKitError(error)) return error.code;
    throw error;
  }
}

async function runSteps(subject: Subject, steps: Step[]): Promise<void> {
  const { store } = subject;
  const context = await subject.context(crypto.randomUUID());
  const stranger = await subject.context(crypto.randomUUID());
  // Fixtures the failures point at: an item of another thread of the same user, an attachment of another user.
  const elsewhere = makeThread(0);
  await store.saveThread(elsewhere, context);
  const takenItem = makeItem(elsewhere.id, 0);
  await store.addThreadItem(elsewhere.id, takenItem, context);
  const foreign: Attachment = {
    id: `atc_${crypto.randomUUID().slice(0, 12)}`,
    type: 'file',
    name: 'x',
    mime_type: 'text/plain',
  };
  await store.saveAttachment(foreign, stranger);

  /** The model: the threads made by steps, each with its items in page order, and every attachment's link. */
  const threads: { thread: ThreadMetadata; items: ThreadItem[] }[] = [];
  const links = new Map<string, string | null>();
  const newAttachment = async (): Promise<Attachment> => {
    const attachment: Attachment = {
      id: `atc_${crypto.randomUUID().slice(0, 12)}`,
      type: 'file',
      name: 'a.txt',
      mime_type: 'text/plain',
    };
    await store.saveAttachment(attachment, context);
    links.set(attachment.id, null);
    return attachment;
  };
  /** Applies `failure` to a step's items and attachments; the step must then fail and change nothing. */
  const inject = (kind: Failure, threadId: string, items: ThreadItem[], attachments: Attachment[]) => {
    switch (kind) {
      case 'taken-item-id':
        items.push({ ...assistantMessage(threadId), id: takenItem.id });
        break;
      case 'foreign-attachment':
        attachments.push(foreign);
        break;
      case 'oversize':
        items.push(
          makeItem(threadId, nextSecond(), {
            content: [{ type: 'input_text', text: 'x'.repeat(MAX_ITEM_BYTES) }],
          }),
        );
        break;
      case 'nul':
        items.push(makeItem(threadId, nextSecond(), { content: [{ type: 'input_text', text: 'a\u0000b' }] }));
        break;
      case 'abort-after-sql':
        subject.abortNextTransaction?.();
        break;
      default:
        break;
    }
  };
  const fails = (kind: Failure) =>
    kind !== 'none' && (kind !== 'abort-after-sql' || subject.abortNextTransaction !== undefined);

  for (const next of steps) {
    const target =
      threads.length === 0 ? undefined : threads[('thread' in next ? next.thread : 0) % threads.length];
    switch (next.kind) {
      case 'create': {
        const thread = makeThread(nextSecond());
        const attachments = next.attach ? [await newAttachment()] : [];
        const items = [userMessage(thread.id, attachments)];
        for (let i = 0; i < next.extra; i++) items.push(assistantMessage(thread.id));
        inject(next.failure, thread.id, items, attachments);
        const result = await outcome(store.createThreadWithItems(thread, items, attachments, context));
        if (fails(next.failure)) {
          expect(result).not.toBe('ok');
          expect(await outcome(store.loadThread(thread.id, context))).toBe('not_found');
        } else {
          expect(result).toBe('ok');
          threads.push({ thread, items });
          for (const attachment of attachments) links.set(attachment.id, thread.id);
        }
        break;
      }
      case 'add': {
        if (!target) break;
        const attachments = next.attach ? [await newAttachment()] : [];
        const items = [userMessage(target.thread.id, attachments), assistantMessage(target.thread.id)];
        inject(next.failure, target.thread.id, items, attachments);
        const result = await outcome(store.addThreadItems(target.thread.id, items, attachments, context));
        if (fails(next.failure)) expect(result).not.toBe('ok');
        else {
          expect(result).toBe('ok');
          target.items.push(...items);
          for (const attachment of attachments) links.set(attachment.id, target.thread.id);
        }
        break;
      }
      case 'pending-call': {
        if (!target) break;
        const call = pendingCall(target.thread.id);
        await store.addThreadItem(target.thread.id, call, context);
        target.items.push(call);
        break;
      }
      case 'retry': {
        if (!target) break;
        const index = next.item % target.items.length;
        const itemId = next.missing ? 'msg_missing00' : (target.items[index]?.id as string);
        const result = await outcome(store.deleteItemsAfter(target.thread.id, itemId, context));
        if (next.missing) expect(result).toBe('not_found');
        else {
          expect(result).toBe('ok');
          target.items.splice(index + 1);
        }
        break;
      }
      case 'complete': {
        if (!target) break;
        const pending = target.items.filter(
          (item) => item.type === 'client_tool_call' && item.status === 'pending',
        );
        const last = pending.at(-1);
        if (!last) break;
        const completed = { ...last, status: 'completed', output: { ok: true } } as ThreadItem;
        const item = next.failure === 'taken-item-id' ? { ...completed, id: takenItem.id } : completed;
        const result = await outcome(store.completeClientToolCall(target.thread.id, item, context));
        if (next.failure === 'taken-item-id') expect(result).toBe('conflict');
        else {
          expect(result).toBe('ok');
          target.items = target.items
            .filter((other) => other.id === last.id || !pending.includes(other))
            .map((other) => (other.id === last.id ? completed : other));
        }
        break;
      }
    }
    // After every step, the store holds exactly the model.
    for (const { thread, items } of threads) {
      const page = await store.loadThreadItems(thread.id, null, 100, 'asc', context);
      expect(page.data.map((item) => item.id)).toEqual(items.map((item) => item.id));
      expect(page.data).toEqual(items);
    }
    const listed = await store.loadThreads(100, null, 'asc', context);
    expect(listed.data.map((thread) => thread.id)).toEqual([
      elsewhere.id,
      ...threads.map(({ thread }) => thread.id),
    ]);
    for (const thread of listed.data) {
      const first = await store.loadThreadItems(thread.id, null, 1, 'asc', context);
      expect(first.data[0]?.type, `thread ${thread.id} has no first message`).toBe('user_message');
    }
    for (const [id, threadId] of links)
      expect((await store.loadAttachment(id, context)).thread_id ?? null).toBe(threadId);
    expect((await store.loadAttachment(foreign.id, stranger)).thread_id ?? null).toBeNull();
  }
}

function property(name: string, subject: () => Subject, numRuns: number) {
  it(`${name}: a failed step writes nothing; the store always equals the model`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) =>
        runSteps(subject(), steps),
      ),
      { numRuns },
    );
  }, 600_000);
}

describe('atomic multi-write steps', () => {
  property('memory', () => ({ store: memory, context: async (userId) => ({ userId }) }), 100);

  let memory: ChatKitStore<ChatKitStoreContext>;
  let pglite: PGlite;
  let pgliteSubject: Subject;
  beforeAll(async () => {
    memory = createMemoryStore({ maxItemBytes: MAX_ITEM_BYTES });
    pglite = new PGlite();
    const abortable = abortablePGlite(pglite);
    pgliteSubject = {
      store: await createPGliteStore({ db: abortable.db, maxItemBytes: MAX_ITEM_BYTES }),
      context: async (userId) => ({ userId }),
      abortNextTransaction: abortable.abortNext,
    };
  });
  afterAll(async () => {
    await pglite?.close();
  });
  property('pglite', () => pgliteSubject, 30);
});

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('atomic multi-write steps on real Postgres', () => {
  const SECRET = 'chatkit-store-test-secret-with-at-least-32-characters';
  let db: TestDatabase;
  let server: SupabaseRpcServer;
  let postgresSubject: Subject;
  let supabaseSubject: Subject;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.sql);
    server = await createSupabaseRpcServer({ database: db, jwtSecret: SECRET });
    postgresSubject = {
      store: createPostgresStore({ sql: db.sql, maxItemBytes: MAX_ITEM_BYTES }),
      context: async (userId) => ({ userId }),
    };
    const client = createClient(server.url, server.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    supabaseSubject = {
      store: createSupabaseStore({ client, maxItemBytes: MAX_ITEM_BYTES }),
      context: async (userId) => ({
        userId,
        accessToken: await mintSupabaseJwt({ sub: userId, secret: SECRET }),
      }),
    };
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });
  property('postgres', () => postgresSubject, 30);
  property('supabase', () => supabaseSubject, 15);
});
