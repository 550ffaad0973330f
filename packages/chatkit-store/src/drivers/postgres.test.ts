import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../internal/migrations';
import { migrate } from '../migrate';
import { chatKitStoreContract, makeItem, makeThread } from '../testing/index';
import { createPostgresStore } from './postgres';

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('on real Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.sql);
  });
  afterAll(async () => {
    await db?.close();
  });

  chatKitStoreContract('postgres', async (options) =>
    options === undefined
      ? { store: createPostgresStore({ sql: db.sql }), context: (userId) => ({ userId }) }
      : {
          store: createPostgresStore({ ...options, connectionString: db.url }),
          context: (userId) => ({ userId }),
        },
  );

  it('migrate() is idempotent, and the raw SQL files can be re-run (as on a Supabase project)', async () => {
    expect(await migrate(db.sql)).toEqual({ applied: [] });
    for (const migration of MIGRATIONS) await db.sql.unsafe(migration.sql);
    const rows = await db.sql`select version from public.chatkit_schema_migrations order by version`;
    expect(rows.map((row) => row.version)).toEqual(['0001', '0002', '0003', '0004']);
  });

  describe("RLS alone keeps user B out of user A's rows", () => {
    const alice = crypto.randomUUID();
    const bob = crypto.randomUUID();
    const thread = makeThread(0, { title: 'alice only' });
    const item = makeItem(thread.id);
    beforeAll(async () => {
      const store = createPostgresStore({ sql: db.sql });
      await store.saveThread(thread, { userId: alice });
      await store.addThreadItem(thread.id, item, { userId: alice });
      await store.saveAttachment(
        {
          id: `atc_${thread.id}`,
          type: 'file',
          name: 'a.txt',
          mime_type: 'text/plain',
          thread_id: thread.id,
        },
        { userId: alice },
      );
      await store.addFeedback(thread.id, [item.id], 'positive', { userId: alice });
    });

    it('B reads none of the tables or legacy views rows of A', async () => {
      const counts = await db.asUser(bob, async (tx) => {
        const [row] = await tx`
          select (select count(*) from public.chatkit_threads where id = ${thread.id})::int as threads,
                 (select count(*) from public.chatkit_thread_items where thread_id = ${thread.id})::int as items,
                 (select count(*) from public.chatkit_attachments where thread_id = ${thread.id})::int as attachments,
                 (select count(*) from public.chatkit_feedback where thread_id = ${thread.id})::int as feedback,
                 (select count(*) from public.ai_chat_sessions where id = ${thread.id})::int as sessions,
                 (select count(*) from public.ai_chat_messages where session_id = ${thread.id})::int as messages,
                 (select count(*) from public.assistant_threads where thread_id = ${thread.id})::int as assistant`;
        return row;
      });
      expect(counts).toEqual({
        threads: 0,
        items: 0,
        attachments: 0,
        feedback: 0,
        sessions: 0,
        messages: 0,
        assistant: 0,
      });
      const own = await db.asUser(alice, async (tx) => {
        const [row] = await tx`
          select (select count(*) from public.chatkit_thread_items where thread_id = ${thread.id})::int as items,
                 (select content from public.ai_chat_messages where session_id = ${thread.id}) as content,
                 (select count(*) from public.assistant_threads where thread_id = ${thread.id})::int as assistant`;
        return row;
      });
      expect(own).toEqual({ items: 1, content: 'hello', assistant: 1 });
    });

    it('B cannot update, delete or forge rows of A with plain SQL', async () => {
      const changed = await db.asUser(bob, async (tx) => {
        const updated = await tx`update public.chatkit_threads set title = 'stolen' where id = ${thread.id}`;
        const deletedItems = await tx`delete from public.chatkit_thread_items where thread_id = ${thread.id}`;
        const deletedThreads = await tx`delete from public.chatkit_threads where id = ${thread.id}`;
        return [updated.count, deletedItems.count, deletedThreads.count];
      });
      expect(changed).toEqual([0, 0, 0]);
      await expect(
        db.asUser(
          bob,
          (tx) =>
            tx`insert into public.chatkit_thread_items (id, thread_id, user_id, type, created_at, data)
             values ('msg_forged', ${thread.id}, ${alice}, 'user_message', now(), '{}')`,
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        db.asUser(
          bob,
          (tx) =>
            tx`insert into public.chatkit_thread_items (id, thread_id, user_id, type, created_at, data)
             values ('msg_forged', ${thread.id}, ${bob}, 'user_message', now(), '{}')`,
        ),
      ).rejects.toMatchObject({ code: '42501' });
    });

    it('B calling the SQL functions directly gets not_found, an empty page, and no effect', async () => {
      await expect(
        db.asUser(bob, (tx) => tx`select public.chatkit_load_thread(${thread.id})`),
      ).rejects.toMatchObject({ code: 'PT404' });
      await expect(
        db.asUser(bob, (tx) => tx`select public.chatkit_load_item(${thread.id}, ${item.id})`),
      ).rejects.toMatchObject({ code: 'PT404' });
      const page = await db.asUser(
        bob,
        (tx) => tx`select public.chatkit_load_thread_items(${thread.id}, null, 10, 'asc') as page`,
      );
      expect(page[0]?.page).toEqual({ data: [], has_more: false });
      await db.asUser(bob, async (tx) => {
        await tx`select public.chatkit_delete_thread(${thread.id})`;
        await tx`select public.chatkit_delete_thread_item(${thread.id}, ${item.id})`;
        await tx`select public.chatkit_purge_deleted_threads()`;
      });
      await expect(
        db.asUser(
          bob,
          (tx) =>
            tx`select public.chatkit_save_thread(${JSON.stringify({ ...thread, title: 'mine' })}::text::jsonb)`,
        ),
      ).rejects.toMatchObject({ code: '42501' });
      const still = await db.asUser(
        alice,
        (tx) => tx`select public.chatkit_load_item(${thread.id}, ${item.id}) as item`,
      );
      expect(still[0]?.item).toEqual(item);
    });

    it('the SQL functions validate input themselves (for callers using rpc() directly)', async () => {
      const mismatched = JSON.stringify({ ...makeItem('thr_elsewhere'), id: 'msg_direct1' });
      await expect(
        db.asUser(
          alice,
          (tx) => tx`select public.chatkit_add_thread_item(${thread.id}, ${mismatched}::text::jsonb)`,
        ),
      ).rejects.toMatchObject({ code: 'PT400' });
      const big = JSON.stringify(
        makeItem(thread.id, 0, { content: [{ type: 'input_text', text: 'x'.repeat(5000) }] }),
      );
      await expect(
        db.asUser(
          alice,
          (tx) => tx`select public.chatkit_add_thread_item(${thread.id}, ${big}::text::jsonb, 4096)`,
        ),
      ).rejects.toMatchObject({ code: 'PT413' });
      await expect(
        db.asUser(alice, (tx) => tx`select public.chatkit_load_threads(0, null, 'desc')`),
      ).rejects.toMatchObject({ code: 'PT400' });
    });

    it('reads naive timestamps as UTC whatever the session time zone', async () => {
      const naive = JSON.stringify({ ...makeThread(), created_at: '2026-11-23T11:37:30.190465' });
      const rows = await db.asUser(alice, async (tx) => {
        await tx`set local timezone = 'America/New_York'`;
        return tx`select public.chatkit_save_thread(${naive}::text::jsonb) ->> 'created_at' as created_at`;
      });
      expect(rows[0]?.created_at).toBe('2026-11-23T11:37:30.190Z');
    });

    it('anon cannot call the functions at all', async () => {
      await expect(
        db.asAnon((tx) => tx`select public.chatkit_load_threads(10, null, 'desc')`),
      ).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  it("service role bypasses RLS yet stays scoped to the context's user; purge hard-deletes", async () => {
    const service = createPostgresStore({ sql: db.sql, role: 'service' });
    const user = { userId: crypto.randomUUID() };
    const other = { userId: crypto.randomUUID() };
    const thread = makeThread();
    await service.saveThread(thread, user);
    await service.addThreadItem(thread.id, makeItem(thread.id), user);
    await expect(service.loadThread(thread.id, other)).rejects.toMatchObject({ code: 'not_found' });
    await service.deleteThread(thread.id, user);
    const purged = await db.asService((tx) => tx`select public.chatkit_purge_deleted_threads() as n`);
    expect(purged[0]?.n).toBeGreaterThanOrEqual(1);
    const left =
      await db.sql`select count(*)::int as n from public.chatkit_thread_items where thread_id = ${thread.id}`;
    expect(left[0]?.n).toBe(0);
  });

  it('serves thread pages from the keyset index', async () => {
    const user = crypto.randomUUID();
    const plan = await db.asUser(user, async (tx) => {
      await tx`set local enable_seqscan = off`;
      return tx`explain select * from public.chatkit_threads
        where user_id = ${user} and deleted_at is null and (created_at, seq) < (now(), 10)
        order by created_at desc, seq desc limit 21`;
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('chatkit_threads_user_keyset');
  });
});
