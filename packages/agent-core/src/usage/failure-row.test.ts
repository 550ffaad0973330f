import { ProviderError, RequestError } from '@relaykit/sse-protocol';
import { emptyUsage } from '@relaykit/usage-tracker';
import { describe, expect, it } from 'vitest';
import { failedUsageFields, failedUsageOf } from './failure-row';

describe('failed usage rows', () => {
  it('keeps the message and code of a RelayKit error, with no tokens', () => {
    const error = new ProviderError('content_policy', 'Blocked by safety system.');
    expect(failedUsageOf(error)).toEqual({
      usage: emptyUsage(),
      error: 'Blocked by safety system.',
      errorCode: 'content_policy',
    });
    expect(failedUsageFields(error.toJSON())).toEqual(failedUsageOf(error));
  });

  it('records an unknown error as internal without its message', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(failedUsageOf(error)).toEqual({
      usage: emptyUsage(),
      error: 'Internal server error.',
      errorCode: 'internal',
    });
    expect(failedUsageFields(undefined)).toEqual(failedUsageOf('boom'));
  });

  it('does not record a cancellation', () => {
    expect(failedUsageOf(new RequestError('cancelled', 'The client went away.'))).toBeUndefined();
    expect(failedUsageFields({ code: 'cancelled', message: 'The batch was cancelled.' })).toBeUndefined();
  });
});
