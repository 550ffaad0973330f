/** `@relaykit/image-gen/postgres`: an `onStored` hook updating a row with postgres.js. */
export { type PostgresRowUpdaterOptions, postgresRowUpdater } from './drivers/postgres-row';
