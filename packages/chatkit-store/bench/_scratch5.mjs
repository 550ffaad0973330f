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
const after500 = await q(20 * 499 - 1);
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
const measure = async (label) => {
  const r = {};
  for (let k = 0; k < 2; k++) {
    r.p1 = await time(() => store.loadThreads(20, null, 'desc', ctx));
    r.p500 = await time(() => store.loadThreads(20, after500, 'desc', ctx));
  }
  r.ratio = +(r.p500 / r.p1).toFixed(2);
  console.log(label, r);
};
await measure('before');
const fn = (
  await db.query(
    `select pg_get_functiondef('public.chatkit_load_threads(integer,text,text)'::regprocedure) as d`,
  )
).rows[0].d;
const fixed = fn
  .replace(
    / {2}if p_order = 'asc' then/,
    `  if p_order = 'asc' then
    v_created := coalesce(v_created, '-infinity'); v_seq := coalesce(v_seq, -1);
  else
    v_created := coalesce(v_created, 'infinity'); v_seq := coalesce(v_seq, 9223372036854775807);
  end if;
  if p_order = 'asc' then`,
  )
  .replaceAll(`(coalesce(v_created, '-infinity'), coalesce(v_seq, -1))`, '(v_created, v_seq)')
  .replaceAll(
    `(coalesce(v_created, 'infinity'), coalesce(v_seq, 9223372036854775807))`,
    '(v_created, v_seq)',
  );
await db.exec(fixed);
await measure('params only');
await db.close();
