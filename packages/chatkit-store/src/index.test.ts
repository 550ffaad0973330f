import { expect, it } from 'vitest';
import * as pglite from './drivers/pglite';
import * as postgres from './drivers/postgres';
import * as supabase from './drivers/supabase';
import * as api from './index';
import * as testing from './testing/index';

it('pins the exported names of @relaykit/chatkit-store', () => {
  expect(Object.keys(api).sort()).toEqual([
    'CHATKIT_MIGRATIONS',
    'RelayKitError',
    'RequestError',
    'StoreError',
    'createMemoryStore',
    'generateItemId',
    'generateThreadId',
    'isRelayKitError',
    'migrate',
    'withoutHiddenItems',
  ]);
});

it('pins the exported names of the driver subpaths and ./testing', () => {
  expect(Object.keys(pglite).sort()).toEqual(['PGLITE_MEMORY_SETTINGS', 'createPGliteStore']);
  expect(Object.keys(postgres)).toEqual(['createPostgresStore']);
  expect(Object.keys(supabase)).toEqual(['createSupabaseStore']);
  expect(Object.keys(testing).sort()).toEqual(['chatKitStoreContract', 'makeItem', 'makeThread']);
});
