import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { createRouteChecks, type FuzzThreadStore, orphanThreads, percentEncode } from './fuzz';

const { checkAnswer, probeRoute } = createRouteChecks({ not_found: 404, invalid_request: 400 });
const json = (status: number, body: unknown) => Response.json(body, { status });

describe('createRouteChecks', () => {
  it('passes a typed 4xx and flags a 5xx, an unknown code, a code of another status and internals', async () => {
    expect((await checkAnswer(json(404, { error: { code: 'not_found', message: 'No.' } }))).problems).toEqual(
      [],
    );
    expect((await checkAnswer(json(500, { error: { code: 'x', message: 'x' } }))).problems).toContain(
      'status 500',
    );
    expect((await checkAnswer(json(400, { error: { code: 'nope', message: 'x' } }))).problems).toEqual([
      'a 400 without a stable error code (nope)',
    ]);
    expect((await checkAnswer(json(400, { error: { code: 'not_found', message: 'x' } }))).problems).toEqual([
      'a 400 whose code not_found means another status',
    ]);
    const leaky = json(400, {
      error: { code: 'invalid_request', message: 'syntax error at src/store.ts:3' },
    });
    expect((await checkAnswer(leaky)).problems).toEqual([
      'a file path in the error body',
      'SQL or a driver error in the error body',
    ]);
  });

  it('fails a probe whose rejected request changed the store, and removes threads a probe created', async () => {
    const threads = new Map<string, string[]>([['thr_1', ['user_message:msg_1']]]);
    const store: FuzzThreadStore = {
      loadThreads: async () => ({ data: [...threads.keys()].map((id) => ({ id })) }),
      loadThreadItems: async (threadId) => ({
        data: (threads.get(threadId) ?? []).map((item) => {
          const [type = '', id = ''] = item.split(':');
          return { type, id };
        }),
      }),
      deleteThread: async (threadId) => {
        threads.delete(threadId);
      },
    };
    const rejected = () => json(400, { error: { code: 'invalid_request', message: 'Bad.' } });
    await expect(probeRoute(store, 'u', 'unchanged', async () => rejected())).resolves.toMatchObject({
      status: 400,
    });
    const changing = async () => {
      threads.get('thr_1')?.push('assistant_message:msg_2');
      return rejected();
    };
    await expect(probeRoute(store, 'u', 'changed', changing)).rejects.toBeInstanceOf(AssertionError);
    const creating = async () => {
      threads.set('thr_2', ['user_message:msg_3']);
      return json(200, { ok: true });
    };
    await probeRoute(store, 'u', 'created', creating);
    expect([...threads.keys()]).toEqual(['thr_1']);
  });

  it('finds orphan threads and encodes lone surrogates as the bytes a careless client sends', () => {
    expect(orphanThreads({ a: ['user_message:1'], b: ['assistant_message:2'], c: [] })).toEqual(['b', 'c']);
    expect(percentEncode('a\ud800/')).toBe('a%ED%A0%80%2F');
  });
});
