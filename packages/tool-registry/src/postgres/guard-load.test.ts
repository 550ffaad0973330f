import { expect, it } from 'vitest';
import { guardReadOnlySqlSync, loadSqlParser } from './guard';

// A file of its own, so the parser is not loaded yet when it starts.
it('asks for loadSqlParser() before the synchronous guard is used', async () => {
  expect(() => guardReadOnlySqlSync('select 1')).toThrow(/loadSqlParser/);
  await loadSqlParser();
  expect(guardReadOnlySqlSync('select 1')).toMatchObject({ ok: true });
});
