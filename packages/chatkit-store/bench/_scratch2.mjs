import { PGlite } from '@electric-sql/pglite';
import { createPGliteStore } from '@relaykit/chatkit-store/pglite';

const { seedSql, benchUserSql } = await import(process.cwd() + '/bench/seed.ts');
const db = new PGlite();
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
const after500 = await q(20 * 499 - 1),
  after2 = await q(19),
  after250 = await q(20 * 249 - 1);
const ctx = { userId: user };
const time = async (fn, n = 300) => {
  for (let i = 0; i < 30; i++) await fn();
  const s = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    s.push(performance.now() - t);
  }
  s.sort((a, b) => a - b);
  return +s[n >> 1].toFixed(3);
};
const asUser = (text, params) =>
  db.transaction(async (tx) => {
    await tx.query(
      "select set_config('role','authenticated',true), set_config('request.jwt.claims',$1,true)",
      [JSON.stringify({ sub: user, role: 'authenticated' })],
    );
    return (await tx.query(text, params)).rows;
  });
const res = {};
for (let round = 0; round < 2; round++) {
  res['p1_' + round] = await time(() => store.loadThreads(20, null, 'desc', ctx));
  res['p2_' + round] = await time(() => store.loadThreads(20, after2, 'desc', ctx));
  res['p250_' + round] = await time(() => store.loadThreads(20, after250, 'desc', ctx));
  res['p500_' + round] = await time(() => store.loadThreads(20, after500, 'desc', ctx));
  res['p500asc_' + round] = await time(() => store.loadThreads(20, after500, 'asc', ctx));
  res['p1asc_' + round] = await time(() => store.loadThreads(20, null, 'asc', ctx));
  res['lookup_' + round] = await time(() =>
    asUser(
      'select created_at, seq from public.chatkit_threads where id=$1 and user_id=$2 and deleted_at is null',
      [after500, user],
    ),
  );
  res['empty_' + round] = await time(() => asUser('select 1', []));
}
console.log(res);
await db.close();
