import { OpenAIProvider } from '@openai/agents';
import { APIConnectionError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { createModelAccess } from './model-access';
import { complexityModelPolicy, fixedModelPolicy } from './model-policy';
import { toRelayKitError } from './provider-errors';

describe('createModelAccess', () => {
  it('gives one cached provider per key, honouring per-user keys', async () => {
    const access = createModelAccess<{ userKey?: string }>({
      apiKey: 'server-key',
      getApiKey: (context) => context.userKey,
      baseURL: 'http://127.0.0.1:9/v1',
    });
    const server = await access.providerFor({});
    expect(server).toBeInstanceOf(OpenAIProvider);
    expect(await access.providerFor({})).toBe(server);
    const user = await access.providerFor({ userKey: 'user-key' });
    expect(user).not.toBe(server);
    expect((await access.clientFor({ userKey: 'user-key' })).apiKey).toBe('user-key');
    expect((await access.clientFor({})).baseURL).toBe('http://127.0.0.1:9/v1');
  });

  it('fails with a configuration error that never contains a key', async () => {
    const access = createModelAccess<object>({ getApiKey: () => undefined });
    await expect(access.providerFor({})).rejects.toMatchObject({ code: 'configuration' });
  });
});

describe('model policies', () => {
  it('honours allowed client-requested models only', () => {
    const policy = complexityModelPolicy({
      simpleModel: 'mini',
      complexModel: 'big',
      allowedRequestedModels: ['gpt-5'],
    });
    expect(policy({ text: 'hi', agentType: 'a', requestedModel: 'gpt-5' }).model).toBe('gpt-5');
    expect(policy({ text: 'hi', agentType: 'a', requestedModel: 'gpt-9-secret' }).model).toBe('mini');
    expect(policy({ text: '```ts\nx\n```', agentType: 'a', agentModel: 'own' }).model).toBe('own');
    expect(fixedModelPolicy('m')({ text: 'x', agentType: 'a' })).toEqual({
      model: 'm',
      reason: 'server default',
    });
  });
});

describe('toRelayKitError', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it('maps provider statuses to stable codes', () => {
    const limited = toRelayKitError(
      APIError.generate(
        429,
        { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } },
        undefined,
        headers({ 'retry-after-ms': '1500' }),
      ),
    );
    expect(limited).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 1500 });
    const quota = toRelayKitError(
      APIError.generate(
        429,
        { error: { message: 'no money', type: 'insufficient_quota', code: 'insufficient_quota' } },
        undefined,
        headers({}),
      ),
    );
    expect(quota.code).toBe('quota_exceeded');
    const auth = toRelayKitError(
      APIError.generate(
        401,
        { error: { message: 'Incorrect API key provided: sk-abc***', type: 'invalid_request_error' } },
        undefined,
        headers({}),
      ),
    );
    expect(auth.code).toBe('configuration');
    expect(auth.message).not.toContain('sk-');
    expect(
      toRelayKitError(APIError.generate(503, { error: { message: 'overloaded' } }, undefined, headers({})))
        .code,
    ).toBe('provider_unavailable');
    expect(
      toRelayKitError(
        APIError.generate(
          400,
          { error: { message: 'blocked', code: 'moderation_blocked' } },
          undefined,
          headers({}),
        ),
      ),
    ).toMatchObject({ code: 'content_policy', message: 'blocked' });
    expect(toRelayKitError(new APIConnectionError({ message: 'refused' }))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });
  });
});
