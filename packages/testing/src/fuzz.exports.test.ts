import { expect, it } from 'vitest';
import * as api from './fuzz';

it('pins the exported names of @relaykit/testing/fuzz', () => {
  expect(Object.keys(api).sort()).toEqual([
    'DEFAULT_FUZZ_SEED',
    'NASTY_STRINGS',
    'createPropertyChecker',
    'createRouteChecks',
    'describeFailure',
    'hostileContentType',
    'hostileJson',
    'hostileMethod',
    'hostileNumber',
    'hostileRequest',
    'hostileString',
    'malformedJsonText',
    'mutated',
    'orphanThreads',
    'percentEncode',
    'storeSnapshot',
  ]);
});
