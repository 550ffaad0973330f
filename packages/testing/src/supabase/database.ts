import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import type { PGliteTestDatabase } from '../postgres/pglite';
import type { TestDatabase } from '../postgres/test-database';

/** Something the RPC stand-in can run SQL on: a harness database, a postgres.js client, or a PGlite instance. */
export type RpcDatabase = TestDatabase | PGliteTestDatabase | Sql | PGlite;

export type Row = Record<string, unknown>;
export type Query = (text: string, params?: unknown[]) => Promise<Row[]>;

/** Runs `fn` in one transaction, whatever the database is. */
export type TransactionRunner = <T>(fn: (query: Query) => Promise<T>) => Promise<T>;

function isPostgresJs(database: unknown): database is Sql {
  return typeof database === 'function' && 'begin' in database && 'unsafe' in database;
}

export function transactionRunner(database: RpcDatabase): TransactionRunner {
  if ('kind' in database && database.kind === 'postgres') return transactionRunner(database.sql);
  if ('kind' in database && database.kind === 'pglite') return transactionRunner(database.db);
  if (isPostgresJs(database)) {
    return async <T>(fn: (query: Query) => Promise<T>) =>
      (await database.begin((tx) =>
        fn((text, params = []) => tx.unsafe(text, params as never[]) as Promise<Row[]>),
      )) as T;
  }
  const pglite = database as PGlite;
  return <T>(fn: (query: Query) => Promise<T>) =>
    pglite.transaction((tx) => fn(async (text, params = []) => (await tx.query<Row>(text, params)).rows));
}
