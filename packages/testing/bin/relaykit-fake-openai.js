#!/usr/bin/env node
// The `relaykit-fake-openai` bin. A committed shim over the built CLI, so package managers can link the bin in a
// fresh clone before `dist/` exists; it needs `pnpm build` (or the published package) to run.
import { runFakeOpenAICliProcess } from '../dist/cli.js';

runFakeOpenAICliProcess(process.argv.slice(2));
