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
      `select created_at, seq from public.chatkit_threads where user_id=$1 and deleted_at is null order by created_at desc, seq desc offset $2 limit 1`,
      [user, o],
    )
    .then((r) => r.rows[0]);
const r500 = await q(20 * 499 - 1);
for (const mode of ['force_generic_plan', 'force_custom_plan']) {
  await db.exec(`set plan_cache_mode = ${mode}; deallocate all;`);
  await db.exec(
    `prepare p(uuid, timestamptz, bigint, int) as select * from public.chatkit_threads where user_id = $1 and deleted_at is null and (created_at, seq) < (coalesce($2, 'infinity'), coalesce($3, 9223372036854775807)) order by created_at desc, seq desc limit $4 + 1`,
  );
  for (const [label, c, s] of [
    ['p1', 'null', 'null'],
    ['p500', `'${r500.created_at.toISOString()}'`, r500.seq],
  ]) {
    const r = await db.query(`explain (analyze, buffers) execute p('${user}', ${c}, ${s}, 20)`);
    console.log(mode, label, '\n' + r.rows.map((x) => x['QUERY PLAN']).join('\n'));
  }
}
await db.close();
