import type { FakeScript } from '@relaykit/testing';

/** The prompts the offline demo model answers specially; the end-to-end tests import them. */
export const OFFLINE_PROMPTS = {
  /** A long markdown reply streamed slowly (≥ 60 chunks), for watching streaming and stopping mid-reply. */
  long: 'Tell me a long story',
  /** For the event planner (client agent): the model calls `addGuest`, then confirms naming the guest. */
  tool: 'Add a guest: Ana',
} as const;

/** The guest the tool prompt adds. */
export const OFFLINE_TOOL_GUEST = 'Ana';

/** The long reply: markdown with bold text, well over 60 streamed tokens. */
export const OFFLINE_LONG_STORY = [
  '# The lighthouse keeper',
  '',
  'Once upon a time, on a rocky island far from any harbour, lived a keeper named **Mira**. Every evening she',
  'climbed the one hundred and twelve steps of the old tower, polished the great lens, and lit the lamp that',
  'guided the fishing boats home through the fog.',
  '',
  'One winter night the lamp would not light. The wind howled, the sea rose, and somewhere out in the dark a',
  'small boat was searching for the shore. Mira remembered the **signal mirrors** her grandmother had kept in a',
  'chest under the stairs. She carried them to the gallery, one by one, and turned them towards the moon.',
  '',
  'The moonlight bounced from mirror to mirror until a thin silver beam swept across the waves. The boat turned,',
  'found the channel, and slid safely into the cove just before dawn.',
  '',
  'In the morning the fishermen climbed the hill to thank her. From then on, the island kept **two lights**: the',
  'lamp for ordinary nights, and the mirrors for the nights when everything else fails.',
  '',
  '*The end.*',
].join('\n');

/** The answer after the `addGuest` tool ran. */
export const OFFLINE_TOOL_ANSWER = `Done: **${OFFLINE_TOOL_GUEST}** is now on the guest list of the Ana & Rui wedding.`;

const exactly = (text: string) => `^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`;

/** Options of {@link createOfflineScript}. */
export interface OfflineScriptOptions {
  /** Milliseconds between two streamed chunks of the long reply. */
  delayMs: number;
}

/**
 * The fake OpenAI server's script for the offline demo: the long story, the event planner's tool call, and the fake's
 * deterministic default reply (it contains `offline demo model`) for anything else. Images use the fake's real PNGs.
 */
export function createOfflineScript(options: OfflineScriptOptions): FakeScript {
  return {
    rules: [
      {
        match: { lastUserText: exactly(OFFLINE_PROMPTS.long) },
        reply: { text: OFFLINE_LONG_STORY, faults: { tokenIntervalMs: options.delayMs } },
      },
      {
        match: { lastUserText: exactly(OFFLINE_PROMPTS.tool), hasToolOutput: true },
        reply: { text: OFFLINE_TOOL_ANSWER },
      },
      {
        match: { lastUserText: exactly(OFFLINE_PROMPTS.tool), hasToolOutput: false },
        reply: { toolCalls: [{ name: 'addGuest', arguments: { name: OFFLINE_TOOL_GUEST, email: null } }] },
      },
    ],
    fallback: 'offline',
  };
}
