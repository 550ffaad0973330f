import { expect, it } from 'vitest';
import * as pglite from './drivers/pglite';
import * as postgres from './drivers/postgres';
import * as supabase from './drivers/supabase';
import * as api from './index';
import * as testing from './testing/index';

it('pins the exported names of @relaykit/chatkit-store', () => {
  expect(Object.keys(api).sort()).toEqual([
    'CHATKIT_MIGRATIONS',
    'MAX_SEARCH_LIMIT',
    'RelayKitError',
    'RequestError',
    'StoreError',
    'checkSearchLimit',
    'createMemorySessionStore',
    'createMemoryStore',
    'generateItemId',
    'generateThreadId',
    'isRelayKitError',
    'migrate',
    'withoutHiddenItems',
  ]);
});

it('pins the exported names of the driver subpaths and ./testing', () => {
  expect(Object.keys(pglite).sort()).toEqual([
    'PGLITE_MEMORY_SETTINGS',
    'createPGliteSessionStore',
    'createPGliteStore',
  ]);
  expect(Object.keys(postgres).sort()).toEqual(['createPostgresSessionStore', 'createPostgresStore']);
  expect(Object.keys(supabase).sort()).toEqual(['createSupabaseSessionStore', 'createSupabaseStore']);
  expect(Object.keys(testing).sort()).toEqual([
    'agentSessionContract',
    'chatKitStoreContract',
    'chatKitStoreSearchContract',
    'makeItem',
    'makeSessionItem',
    'makeThread',
  ]);
});
