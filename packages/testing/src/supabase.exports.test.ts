import { expect, it } from 'vitest';
import * as api from './supabase';

it('pins the exported names of @relaykit/testing/supabase', () => {
  expect(Object.keys(api).sort()).toEqual([
    'POSTGREST_VERSION',
    'createPostgrestServer',
    'createSupabaseRpcServer',
    'createSupabaseStandIn',
    'createSupabaseStorageServer',
    'mintSupabaseJwt',
    'parseFileSizeLimit',
    'postgrestAvailability',
    'postgrestBinary',
    'postgrestStatusForSqlState',
  ]);
});
