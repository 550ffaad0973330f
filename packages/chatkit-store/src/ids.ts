import type { ItemIdKind } from './ports';

const PREFIXES: Record<ItemIdKind, string> = {
  thread: 'thr',
  message: 'msg',
  tool_call: 'tc',
  task: 'tsk',
  workflow: 'wf',
  attachment: 'atc',
  sdk_hidden_context: 'shcx',
};

function eightHex(): string {
  return crypto.randomUUID().replaceAll('-', '').slice(0, 8);
}

/** A new thread id: `thr_` + 8 hex digits. */
export function generateThreadId(): string {
  return `thr_${eightHex()}`;
}

/** A new id for `kind` with the spec's prefix: `msg_…`, `tc_…`, `tsk_…`, `wf_…`, `atc_…`, `shcx_…`, `thr_…`. */
export function generateItemId(kind: ItemIdKind): string {
  return `${PREFIXES[kind]}_${eightHex()}`;
}
