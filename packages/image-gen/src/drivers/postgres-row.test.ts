/** postgresRowUpdater and the bucket migration on a real Postgres (the `@relaykit/testing/postgres` harness). */
import { readFileSync } from 'node:fs';
import { encodePng } from '@relaykit/testing';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageInfo } from '../image-info';
import { storeImage } from '../store-image';
import { createMemoryBlobStore } from './memory';
import { postgresRowUpdater } from './postgres-row';

const pg = await postgresAvailability();
const migration = readFileSync(new URL('../../sql/0001_images_storage.sql', import.meta.url), 'utf8');
const png = encodePng(8, 8, 'row');
const image = { bytes: new Uint8Array(png), ...readImageInfo(png)! };

describe.skipIf(!pg.available)('on Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql`create table students (id text primary key, profile_photo text)`;
    await db.sql`insert into students (id) values ('42')`;
    await db.sql.unsafe(migration);
  });
  afterAll(() => db?.close());

  it('postgresRowUpdater sets the column; a missing row removes the upload', async () => {
    const store = createMemoryBlobStore();
    const onStored = postgresRowUpdater({ sql: db.sql, table: 'students', column: 'profile_photo' });
    const stored = await storeImage({ store, image, entity: 'students', id: '42', onStored });
    const [row] = await db.sql`select profile_photo from students where id = '42'`;
    expect(row?.profile_photo).toBe(stored.url);
    await expect(
      storeImage({ store, image, entity: 'students', id: 'missing', onStored }),
    ).rejects.toMatchObject({
      code: 'store_error',
      details: { removed: true },
    });
    const broken = postgresRowUpdater({ sql: db.sql, table: 'students', column: 'no_such_column' });
    await expect(
      storeImage({ store, image, entity: 'students', id: '42', onStored: broken }),
    ).rejects.toMatchObject({
      code: 'store_error',
      details: { removed: true },
    });
    expect(store.paths()).toEqual([stored.path]);
  });

  it('creates the generated-images bucket: 10 MB, PNG/JPEG/WebP, private (signed reads) by default', async () => {
    const [bucket] =
      await db.sql`select public, file_size_limit, allowed_mime_types from storage.buckets where id = 'generated-images'`;
    expect(bucket).toEqual({
      public: false,
      file_size_limit: '10485760',
      allowed_mime_types: ['image/png', 'image/jpeg', 'image/webp'],
    });
    await db.asService(
      (tx) =>
        tx`insert into storage.objects (bucket_id, name) values ('generated-images', 'students/42/a.png')`,
    );
    expect(await db.asAnon((tx) => tx`select name from storage.objects`)).toHaveLength(0);
    expect(await db.asUser(crypto.randomUUID(), (tx) => tx`select name from storage.objects`)).toHaveLength(
      0,
    );
    expect(await db.asService((tx) => tx`select name from storage.objects`)).toHaveLength(1);
  });

  it('switches to public reads by option, never lets API users write, and is idempotent', async () => {
    await db.sql`select public.image_gen_set_bucket_access('public')`;
    const [bucket] = await db.sql`select public from storage.buckets where id = 'generated-images'`;
    expect(bucket?.public).toBe(true);
    expect(await db.asAnon((tx) => tx`select name from storage.objects`)).toEqual([
      { name: 'students/42/a.png' },
    ]);
    await expect(
      db.asUser(
        crypto.randomUUID(),
        (tx) => tx`insert into storage.objects (bucket_id, name) values ('generated-images', 'x.png')`,
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(db.asAnon((tx) => tx`select public.image_gen_set_bucket_access('public')`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(db.sql`select public.image_gen_set_bucket_access('open')`).rejects.toThrow(/public.*signed/);
    await db.sql.unsafe(migration); // re-running the migration is safe and resets to signed reads
    expect(await db.asAnon((tx) => tx`select name from storage.objects`)).toHaveLength(0);
  });
});
