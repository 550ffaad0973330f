import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatKitSession } from './chatkit-session';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function clientFor(server: FakeOpenAI) {
  return new OpenAI({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
}

describe('createChatKitSession against the fake OpenAI server', () => {
  it('mints a session with the beta header and maps it', async () => {
    fake = await createFakeOpenAI();
    const session = await createChatKitSession({
      client: clientFor(fake),
      workflowId: 'wf_health',
      user: 'device-123',
      stateVariables: { locale: 'en' },
    });
    expect(session.id).toMatch(/^cksess_/);
    expect(session.clientSecret.length).toBeGreaterThan(10);
    expect(session).toMatchObject({ user: 'device-123', workflowId: 'wf_health', status: 'active' });
    expect(session.expiresAt).toBeGreaterThan(Date.now() / 1000);
    const call = fake.calls.find((entry) => entry.path === '/v1/chatkit/sessions');
    expect(call?.headers['openai-beta']).toBe('chatkit_beta=v1');
    expect(call?.body).toMatchObject({
      user: 'device-123',
      workflow: { id: 'wf_health', state_variables: { locale: 'en' } },
    });
    expect(call?.headers.authorization).toBeUndefined();
  });

  it('refuses an empty user before calling the provider', async () => {
    fake = await createFakeOpenAI();
    await expect(
      createChatKitSession({ client: clientFor(fake), workflowId: 'wf_1', user: '' }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(fake.calls.filter((entry) => entry.path === '/v1/chatkit/sessions')).toHaveLength(0);
  });

  it('maps provider errors to RelayKit codes', async () => {
    fake = await createFakeOpenAI({
      script: {
        rules: [
          {
            match: { endpoint: 'chatkit.sessions' },
            replies: [
              {
                error: {
                  status: 429,
                  message: 'Too many sessions',
                  code: 'rate_limit_exceeded',
                  retryAfterMs: 2000,
                },
              },
              {
                error: {
                  status: 401,
                  message: 'Incorrect API key provided: sk-te**',
                  code: 'invalid_api_key',
                },
              },
            ],
          },
        ],
      },
    });
    const client = clientFor(fake);
    await expect(createChatKitSession({ client, workflowId: 'wf_1', user: 'u' })).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 2000,
      retryable: true,
    });
    const auth = await createChatKitSession({ client, workflowId: 'wf_1', user: 'u' }).catch(
      (error) => error,
    );
    expect(auth.code).toBe('configuration');
    expect(auth.message).not.toContain('sk-te');
  });
});
