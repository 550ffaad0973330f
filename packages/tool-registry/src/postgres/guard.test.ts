import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENIGN_SQL, HOSTILE_CASES } from '../../test/hostile-inputs';
import { guardReadOnlySql, guardReadOnlySqlSync, loadSqlParser } from './guard';

beforeAll(async () => {
  await loadSqlParser();
});

describe('guardReadOnlySql', () => {
  const guardCases = HOSTILE_CASES.filter((entry) => entry.layer === 'guard');

  it('has a corpus of at least 100 hostile inputs', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(HOSTILE_CASES.map((entry) => entry.name)).size).toBe(HOSTILE_CASES.length);
  });

  it.each(guardCases.map((entry) => [entry.name, entry] as const))('refuses %s', async (_name, entry) => {
    const verdict = await guardReadOnlySql(entry.sql ?? '');
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(entry.codes).toContain(verdict.code);
      expect(verdict.reason.length).toBeGreaterThan(10);
    }
  });

  it.each(BENIGN_SQL.map((sql) => [sql]))('accepts %s', async (sql) => {
    const verdict = await guardReadOnlySql(sql);
    expect(verdict).toMatchObject({ ok: true });
  });

  it('classifies statements and strips the trailing semicolon', () => {
    expect(guardReadOnlySqlSync('  select 1 ;  ')).toEqual({
      ok: true,
      kind: 'select',
      statement: 'select 1',
    });
    expect(guardReadOnlySqlSync('explain select 1')).toMatchObject({ ok: true, kind: 'explain' });
    expect(guardReadOnlySqlSync('show search_path')).toMatchObject({ ok: true, kind: 'show' });
  });

  it('gives the reason a model can act on', () => {
    expect(guardReadOnlySqlSync('select * from widgets for update')).toEqual({
      ok: false,
      code: 'forbidden',
      reason: 'Row-locking clauses (FOR UPDATE / FOR SHARE) are not allowed.',
    });
    expect(guardReadOnlySqlSync('select 1; select 2')).toMatchObject({
      reason: 'Exactly one statement is allowed; got 2.',
    });
  });

  it('never throws and never accepts more than one statement, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 60 }), (first, second) => {
        const verdict = guardReadOnlySqlSync(`${first}`);
        expect(typeof verdict.ok).toBe('boolean');
        const stacked = guardReadOnlySqlSync(
          `select 1; delete from t where x = '${second.replaceAll("'", "''")}'`,
        );
        expect(stacked.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any write statement however its keywords are cased or commented', () => {
    const writes = [
      'delete from t',
      "update t set a = 'b'",
      'insert into t values (1)',
      'drop table t',
      'truncate t',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...writes),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (sql, upper) => {
          const cased = [...sql]
            .map((character, index) => (upper[index % 30] ? character.toUpperCase() : character))
            .join('');
          const commented = cased.replaceAll(' ', ' /* c */ ');
          for (const text of [cased, commented, `with x as (${cased} returning 1) select 1`]) {
            expect(guardReadOnlySqlSync(text).ok).toBe(false);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
