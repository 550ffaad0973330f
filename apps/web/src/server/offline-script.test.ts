import type { ModelProvider } from '@openai/agents';
import { createModelAccess } from '@relaykit/agent-core';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import type { SqlConnection } from '@relaykit/tool-registry/postgres';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '../../../../packages/agent-core/examples/index.ts';
import { createScenarioAgents } from './agents';
import {
  createOfflineScript,
  OFFLINE_LABEL,
  OFFLINE_PROMPTS,
  OFFLINE_REJECTED_OUTPUT,
  OFFLINE_RESCHEDULE_DATE,
  OFFLINE_TOOL_ANSWER,
  OFFLINE_TOOL_GUEST,
} from './offline-script';

describe('the offline script on the fake OpenAI server', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  beforeAll(async () => {
    fake = await createFakeOpenAI({ script: createOfflineScript({ delayMs: 0 }) });
    client = new OpenAI({ apiKey: 'offline', baseURL: fake.url });
  });
  afterAll(() => fake.close());

  const streamText = async (input: string) => {
    const deltas: string[] = [];
    const stream = await client.responses.create({ model: 'gpt-4.1-mini', input, stream: true });
    for await (const event of stream)
      if (event.type === 'response.output_text.delta') deltas.push(event.delta);
    return deltas;
  };

  it('streams the long story as many markdown chunks with bold text', async () => {
    const deltas = await streamText(OFFLINE_PROMPTS.long);
    expect(deltas.length).toBeGreaterThanOrEqual(60);
    expect(deltas.join('')).toMatch(/\*\*[^*]+\*\*/);
  });

  it('paces the long story with the configured per-chunk delay', () => {
    const script = createOfflineScript({ delayMs: 250 });
    const reply = script.rules?.[0]?.reply;
    expect(typeof reply === 'object' ? reply.faults : undefined).toEqual({ tokenIntervalMs: 250 });
  });

  it('calls addGuest for the tool prompt, then answers naming the guest', async () => {
    const first = await client.responses.create({ model: 'gpt-4.1-mini', input: OFFLINE_PROMPTS.tool });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'addGuest' });
    expect(JSON.parse((call as { arguments: string }).arguments)).toEqual({
      name: OFFLINE_TOOL_GUEST,
      email: null,
    });
    // The Agents SDK sends the whole turn again: the user message, the call and its output.
    const { call_id, name, arguments: args } = call as { call_id: string; name: string; arguments: string };
    const second = await client.responses.create({
      model: 'gpt-4.1-mini',
      input: [
        { role: 'user', content: OFFLINE_PROMPTS.tool },
        { type: 'function_call', call_id, name, arguments: args },
        { type: 'function_call_output', call_id, output: '{"ok":true}' },
      ],
    });
    expect(second.output_text).toContain(OFFLINE_TOOL_GUEST);
  });

  it('answers the largest message a ChatKit item holds (a 1 MB single word) without super-linear work', async () => {
    // The store caps a message item at 1 MiB of JSON; the request bounds at 100,000 characters per text part, 64 parts.
    const word = 'a'.repeat(1_000_000);
    const reply = (await streamText(word)).join('');
    expect(reply).toContain('offline demo model');
    expect(reply).toContain(`"${'a'.repeat(200)}…"`);
    const spaces = `${' '.repeat(500_000)}Tell me a long story!${' '.repeat(500_000)}`;
    expect((await streamText(spaces)).join('')).toContain('offline demo model');
  });

  it('answers anything else with the default reply naming the offline demo model', async () => {
    expect((await streamText('Hello there')).join('')).toContain('offline demo model');
  });
});

describe('the offline script through the real scenario agents and tools (Agents SDK runs)', () => {
  let fake: FakeOpenAI;
  let modelProvider: ModelProvider;
  const portraitsDrawn: string[] = [];
  // The copilot's database is exercised by the browser suite (a real PGlite); these runs never reach it.
  const noDatabase = {
    query: () => Promise.reject(new Error('the copilot database is not used here')),
  } as unknown as SqlConnection;
  const scenario = createScenarioAgents(
    { connection: noDatabase },
    {
      portraits: {
        generatePortrait: async (student, { style }) => {
          portraitsDrawn.push(`${student.name}/${style}`);
          return { url: `/api/images/file/images/teacher/portrait-${student.id}/1.png` };
        },
      },
    },
  );
  const userId = '00000000-0000-4000-8000-00000000a0a0';
  const turn = (text: string, agentType: string, approve?: (call: { tool: string }) => boolean) =>
    runTurn({
      registry: scenario.registry,
      dependencies: scenario.dependencies,
      modelProvider,
      text,
      metadata: { agentType },
      userId,
      ...(approve ? { approve } : {}),
    });

  beforeAll(async () => {
    fake = await createFakeOpenAI({ script: createOfflineScript({ delayMs: 0 }) });
    modelProvider = await createModelAccess({ apiKey: 'offline', baseURL: fake.url }).providerFor({});
  });
  afterAll(() => fake.close());

  it('workflow: the orchestrator hands off to system, which reads the real service status', async () => {
    const { result } = await turn(OFFLINE_PROMPTS.handoff, 'workflow');
    expect(result.lastAgent?.name).toBe('system');
    expect(result.finalOutput).toContain('**scheduler** is degraded');
    expect(result.finalOutput).toContain(OFFLINE_LABEL);
  });

  it('workflow: the designer saves a workflow, and deployment deploys the newest one to staging', async () => {
    const designed = await turn(OFFLINE_PROMPTS.design, 'workflow');
    expect(designed.result.lastAgent?.name).toBe('workflow_designer');
    const id = /as `(wf-\d+)`/.exec(String(designed.result.finalOutput))?.[1];
    expect(id).toBeDefined();
    const deployed = await turn(OFFLINE_PROMPTS.deploy, 'workflow');
    expect(deployed.result.lastAgent?.name).toBe('deployment');
    expect(deployed.result.finalOutput).toContain(`Deployed \`${id}\` to **staging**`);
  });

  it('event planner: the contract from viewContract, and the guest the message names', async () => {
    const contract = await turn(OFFLINE_PROMPTS.contract, 'event-client');
    expect(contract.result.finalOutput).toContain('Your contract totals **€18,500** and is **signed**');
    // addGuest needs approval: without a decision the run stops at it (no answer yet), and nothing is written.
    const paused = await turn(OFFLINE_PROMPTS.tool, 'event-client');
    expect(paused.result.interruptions.map((item: { name?: string }) => item.name)).toEqual(['addGuest']);
    expect(paused.approvals).toEqual([]);
    expect(scenario.eventStore.guests.map((entry) => entry.name)).not.toContain(OFFLINE_TOOL_GUEST);
    const guest = await turn(OFFLINE_PROMPTS.tool, 'event-client', () => true);
    expect(guest.approvals).toEqual([
      { tool: 'addGuest', arguments: { name: OFFLINE_TOOL_GUEST, email: null }, approved: true },
    ]);
    expect(guest.result.finalOutput).toContain(OFFLINE_TOOL_ANSWER);
    expect(scenario.eventStore.guests.map((entry) => entry.name)).toContain(OFFLINE_TOOL_GUEST);
  });

  it('event planner: a rejected addGuest never runs, and the answer says the guest was not added', async () => {
    const before = scenario.eventStore.guests.map((entry) => entry.name);
    const rejected = await turn('Add a guest: Bruno', 'event-client', () => false);
    expect(rejected.approvals).toEqual([
      { tool: 'addGuest', arguments: { name: 'Bruno', email: null }, approved: false },
    ]);
    expect(rejected.result.finalOutput).toContain(
      'I did not add **Bruno**: you rejected the change, so the guest list is unchanged.',
    );
    expect(rejected.result.finalOutput).toContain(OFFLINE_LABEL);
    expect(scenario.eventStore.guests.map((entry) => entry.name)).toEqual(before);
    // The script recognises the rejection by the exact output the Agents SDK gives the model.
    expect(JSON.stringify(rejected.result.history)).toContain(OFFLINE_REJECTED_OUTPUT);
  });

  it('event planner (venue event): updateEvent pauses for approval; rejected it never runs, approved the event moves', async () => {
    const event = () => scenario.eventStore.events.find((entry) => entry.id === 'event-1');
    const before = event()?.date;
    expect(before).not.toBe(OFFLINE_RESCHEDULE_DATE);
    const paused = await turn(OFFLINE_PROMPTS.reschedule, 'event-venue-event');
    expect(paused.result.interruptions.map((item: { name?: string }) => item.name)).toEqual(['updateEvent']);
    expect(event()?.date).toBe(before);
    const rejected = await turn(OFFLINE_PROMPTS.reschedule, 'event-venue-event', () => false);
    expect(rejected.approvals).toEqual([
      {
        tool: 'updateEvent',
        arguments: { date: OFFLINE_RESCHEDULE_DATE, guestCount: null },
        approved: false,
      },
    ]);
    expect(rejected.result.finalOutput).toContain(
      `I did not move the event to **${OFFLINE_RESCHEDULE_DATE}**: you rejected the change`,
    );
    expect(event()?.date).toBe(before);
    const approved = await turn(OFFLINE_PROMPTS.reschedule, 'event-venue-event', () => true);
    expect(approved.approvals.map((entry: { approved: boolean }) => entry.approved)).toEqual([true]);
    expect(approved.result.finalOutput).toContain(
      `Done: the event is now on **${OFFLINE_RESCHEDULE_DATE}**, still for ${event()?.guestCount} guests.`,
    );
    expect(approved.result.finalOutput).toContain(OFFLINE_LABEL);
    expect(event()?.date).toBe(OFFLINE_RESCHEDULE_DATE);
  });

  it('classroom: /ptm answers from the meeting data, /lesson saves a plan, a portrait is drawn', async () => {
    const ptm = await turn(OFFLINE_PROMPTS.ptm, 'classroom');
    expect(ptm.result.lastAgent?.name).toBe('ptm_prep');
    expect(ptm.result.finalOutput).toContain('**Lena Park** with Min-ji Park on 2026-12-01');
    expect(ptm.result.finalOutput).toContain('(You asked: "/ptm".)');
    const lesson = await turn(OFFLINE_PROMPTS.lesson, 'classroom');
    expect(lesson.result.finalOutput).toMatch(/I saved the lesson plan \*\*Fractions\*\* \(\d+ saved/);
    const portrait = await turn(OFFLINE_PROMPTS.portrait, 'classroom');
    expect(portraitsDrawn).toEqual(['Lena Park/watercolor']);
    expect(portrait.result.finalOutput).toContain(
      '![Portrait of Lena Park](/api/images/file/images/teacher/portrait-s1/1.png)',
    );
  });

  it('health: a long answer in several paragraphs after reading the measurements', async () => {
    const { result } = await turn(OFFLINE_PROMPTS.heart, 'health');
    const paragraphs = String(result.finalOutput).split('\n\n');
    expect(paragraphs.length).toBeGreaterThanOrEqual(8);
    expect(result.finalOutput).toContain('## Your heart rate this week');
  });
});
