import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/sse-protocol/testing', () => {
  expect(Object.keys(api).sort()).toEqual([
    'StreamLogContractViolation',
    'streamLogContract',
    'streamLogContractChecks',
  ]);
});
