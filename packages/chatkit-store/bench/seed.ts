/**
 * Seeding SQL for the benchmark: threads and items generated with `generate_series` (no row-by-row inserts), run as
 * the migration owner. One "heavy" user owns `heavyThreads` threads, so a page 500 exists (limit 20 → 10,020 needed);
 * the rest are spread over the other users. Every thread gets `itemsPerThread` items.
 */
export interface SeedOptions {
  threads: number;
  itemsPerThread: number;
  users: number;
  heavyThreads: number;
}

/** The user id of bench user `n` (deterministic). */
export const benchUserSql = (n: string) => `md5('chatkit-bench-user-' || (${n}))::uuid`;

export function seedSql({ threads, itemsPerThread, users, heavyThreads }: SeedOptions): string {
  const user = `case when g <= ${heavyThreads} then ${benchUserSql('0')} else ${benchUserSql(`1 + (g % ${users - 1})`)} end`;
  return `
insert into public.chatkit_threads (id, user_id, title, status, metadata, created_at, updated_at)
select 'thr_b' || g, ${user}, 'Thread ' || g, '{"type":"active"}'::jsonb, '{}'::jsonb,
       timestamptz '2026-01-01 00:00:00+00' + (g / 3) * interval '1 second', now()
from generate_series(1, ${threads}) as g;

insert into public.chatkit_thread_items (id, thread_id, user_id, type, created_at, data)
select 'msg_b' || g || '_' || k, 'thr_b' || g, ${user},
       case when k % 2 = 1 then 'user_message' else 'assistant_message' end,
       timestamptz '2026-01-01 00:00:00+00' + (g / 3) * interval '1 second' + k * interval '1 millisecond',
       jsonb_build_object(
         'id', 'msg_b' || g || '_' || k, 'thread_id', 'thr_b' || g,
         'type', case when k % 2 = 1 then 'user_message' else 'assistant_message' end,
         'created_at', to_char((timestamptz '2026-01-01 00:00:00+00' + (g / 3) * interval '1 second'
           + k * interval '1 millisecond') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'content', jsonb_build_array(jsonb_build_object('type', 'output_text', 'text', repeat('lorem ', 20),
           'annotations', '[]'::jsonb)))
from generate_series(1, ${threads}) as g, generate_series(1, ${itemsPerThread}) as k;

analyze public.chatkit_threads;
analyze public.chatkit_thread_items;
`;
}
