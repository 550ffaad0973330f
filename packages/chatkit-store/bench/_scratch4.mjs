import { PGlite } from '@electric-sql/pglite';
import { auto_explain } from '@electric-sql/pglite/contrib/auto_explain';
import { createPGliteStore } from '@relaykit/chatkit-store/pglite';

const { seedSql, benchUserSql } = await import(process.cwd() + '/bench/seed.ts');
const db = new PGlite({ extensions: { auto_explain } });
const store = await createPGliteStore({ db });
await db.exec(seedSql({ threads: 12000, itemsPerThread: 5, users: 100, heavyThreads: 10020 }));
const user = (await db.query(`select ${benchUserSql('0')}::text as user`)).rows[0].user;
const q = (o) =>
  db
    .query(
      `select id from public.chatkit_threads where user_id=$1 and deleted_at is null order by created_at desc, seq desc offset $2 limit 1`,
      [user, o],
    )
    .then((r) => r.rows[0].id);
const after500 = await q(20 * 499 - 1);
const ctx = { userId: user };
for (let i = 0; i < 10; i++) {
  await store.loadThreads(20, null, 'desc', ctx);
  await store.loadThreads(20, after500, 'desc', ctx);
}
await db.exec(
  `load 'auto_explain'; set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on; set auto_explain.log_buffers = on; set auto_explain.log_nested_statements = on; set client_min_messages = log;`,
);
const notices = [];
const orig = console.log;
await db.query('select 1', [], { onNotice: (n) => notices.push(n.message) });
for (const a of [null, after500]) {
  notices.length = 0;
  await db.transaction(async (tx) => {
    await tx.query(
      "select set_config('role','authenticated',true), set_config('request.jwt.claims',$1,true)",
      [JSON.stringify({ sub: user, role: 'authenticated' })],
    );
    await tx.query("select public.chatkit_load_threads(20, $1, 'desc')", [a], {
      onNotice: (n) => notices.push(n.message),
    });
  });
  console.log(
    '=== after',
    a,
    '\n' + notices.filter((n) => /from public.chatkit_threads|chatkit_load_threads/.test(n)).join('\n---\n'),
  );
}
await db.close();
