import { RequestError } from '@relaykit/sse-protocol';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { createToolRegistry } from '../registry';
import * as testing from './index';
import { createScriptedTool, createToolCallRecorder } from './index';

it('pins the exported names of @relaykit/tool-registry/testing', () => {
  expect(Object.keys(testing).sort()).toEqual([
    'UnexpectedToolCallError',
    'createScriptedTool',
    'createToolCallRecorder',
  ]);
});

it('scripts results, records calls and reports calls beyond the script', async () => {
  const scripted = createScriptedTool({
    name: 'lookup',
    input: z.object({ id: z.string() }),
    results: [
      { found: true },
      new RequestError('not_found', 'No such id.'),
      (input: unknown) => ({ echo: input }),
    ],
  });
  const recorder = createToolCallRecorder();
  const registry = createToolRegistry({ hooks: recorder.hooks }).register(scripted.tool);
  expect(() => scripted.assertComplete()).toThrow(/0 of 3/);
  expect(await registry.execute('lookup', { id: 'a' }, { userId: 'u1' })).toEqual({
    ok: true,
    output: { found: true },
  });
  expect(await registry.execute('lookup', { id: 'b' })).toEqual({
    ok: false,
    error: { code: 'not_found', message: 'No such id.' },
  });
  expect(await registry.execute('lookup', { id: 'c' })).toEqual({ ok: true, output: { echo: { id: 'c' } } });
  expect(await registry.execute('lookup', { id: 'd' })).toMatchObject({
    ok: false,
    error: { code: 'internal' },
  });
  expect(scripted.calls.map((call) => call.input)).toEqual([
    { id: 'a' },
    { id: 'b' },
    { id: 'c' },
    { id: 'd' },
  ]);
  expect(scripted.calls[0]?.context.userId).toBe('u1');
  expect(() => scripted.assertComplete()).not.toThrow();
  expect(recorder.ends.map((event) => event.outcome)).toEqual(['success', 'error', 'success', 'error']);
  expect(recorder.starts).toHaveLength(4);
  recorder.clear();
  expect(recorder.ends).toHaveLength(0);
});
