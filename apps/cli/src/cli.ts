#!/usr/bin/env node
/** The `relaykit` binary: `relaykit chat --url <url> ...` (see `relaykit --help`). */
import process from 'node:process';
import { runCli } from './terminal';

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
