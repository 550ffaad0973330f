import { isRelayKitError } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import {
  applyNaturalLanguageTriggers,
  createClassroomAgents,
  createDemoClassroomStore,
} from '../../examples/classroom/index.ts';
import { runTurn } from '../../examples/run-turn.ts';
import { startFake, toolOutputs } from './harness.ts';

type Body = { model: string; instructions: string; input: { role?: string; content?: unknown }[] };
const metadata = { classId: '5b' };

describe('scenario E: classroom assistant', () => {
  it('/ptm routes to the meeting agent, whose prompt is enriched with the meeting data', async () => {
    const store = createDemoClassroomStore();
    const { registry, dependencies } = createClassroomAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: {
          toolCalls: [
            {
              name: 'record_meeting_note',
              arguments: { studentName: 'lena park', note: 'share maths plan' },
            },
          ],
        },
      },
      {
        match: { hasToolOutput: true },
        reply: { text: 'Noted. Bring the maths plan to the meeting with Min-ji Park.' },
      },
    ]);
    try {
      const { route, result } = await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: '/ptm Lena tomorrow',
        metadata,
        userId: 'teacher-1',
      });
      expect(route).toMatchObject({ reason: 'slash_command', text: 'Lena tomorrow' });
      expect(result.lastAgent?.name).toBe('ptm_prep');
      expect(result.finalOutput).toBe('Noted. Bring the maths plan to the meeting with Min-ji Park.');
      const body = fake.calls[0]!.body as Body;
      expect(body.model).toBe('gpt-4o-mini');
      expect(body.instructions).toContain(
        '- 2026-12-01: Lena Park with Min-ji Park; notes: asked about maths support',
      );
      expect(store.meetings[0]!.notes).toEqual(['asked about maths support', 'share maths plan']);
    } finally {
      await fake.close();
    }
  });

  it('/lesson rewrites the prompt and the assistant saves the plan', async () => {
    const store = createDemoClassroomStore();
    const { registry, dependencies } = createClassroomAgents({ store });
    const plan = { title: 'Fractions', objectives: ['compare fractions'], activities: ['pizza slices'] };
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false, lastUserText: '^Draft a lesson plan on: fractions for year 5\\.' },
        reply: { toolCalls: [{ name: 'save_lesson_plan', arguments: plan }] },
      },
      { match: { hasToolOutput: true }, reply: { text: 'Saved “Fractions”.' } },
    ]);
    try {
      const { route, result } = await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: '/lesson fractions for year 5',
        metadata,
        userId: 'teacher-1',
      });
      expect(route.agent.type).toBe('classroom_assistant');
      expect(route.command?.command.name).toBe('lesson');
      expect(result.lastAgent?.name).toBe('classroom_assistant');
      expect(result.finalOutput).toBe('Saved “Fractions”.');
      expect(store.lessonPlans).toEqual([{ classId: '5b', ...plan }]);
    } finally {
      await fake.close();
    }
  });

  it('/progress reads the student’s scores; a student of another class is not found', async () => {
    const store = createDemoClassroomStore();
    const { registry, dependencies } = createClassroomAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false, lastUserText: 'progress of Lena Park' },
        reply: {
          toolCalls: [
            { name: 'get_student_progress', arguments: { studentName: 'Lena Park' } },
            { name: 'get_student_progress', arguments: { studentName: 'Zoe Other' } },
          ],
        },
      },
      { match: { hasToolOutput: true }, reply: { text: 'Lena is strong in reading; maths needs support.' } },
    ]);
    try {
      const { result } = await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: '/progress Lena Park',
        metadata,
        userId: 'teacher-1',
      });
      expect(result.finalOutput).toBe('Lena is strong in reading; maths needs support.');
      expect(toolOutputs(fake).map((o) => o.output)).toEqual([
        { name: 'Lena Park', scores: store.students[0]!.scores },
        { error: { code: 'not_found', message: 'no student named Zoe Other in class 5b' } },
      ]);
    } finally {
      await fake.close();
    }
  });

  it('draws a student portrait with the injected generator and sets the profile photo; offered only with one', async () => {
    const store = createDemoClassroomStore();
    const drawn: unknown[] = [];
    const { registry, dependencies } = createClassroomAgents({
      store,
      portraits: {
        generatePortrait: async (student, request) => {
          drawn.push({ student, request });
          return { url: `/portraits/${student.id}-${request.style}.png` };
        },
      },
    });
    expect(registry.get('classroom_assistant').starterPrompts).toContain('Draw a portrait of Lena Park');
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: {
          toolCalls: [
            {
              name: 'generate_student_portrait',
              arguments: { studentName: 'lena park', style: 'watercolor' },
            },
          ],
        },
      },
      { match: { hasToolOutput: true }, reply: { text: 'Here is Lena.' } },
    ]);
    try {
      const { result } = await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: 'Draw a portrait of Lena Park',
        metadata,
        userId: 'teacher-1',
      });
      expect(result.finalOutput).toBe('Here is Lena.');
      expect(drawn).toEqual([
        {
          student: { id: 's1', name: 'Lena Park', classId: '5b' },
          request: { userId: 'teacher-1', style: 'watercolor' },
        },
      ]);
      expect(toolOutputs(fake).map((o) => o.output)).toEqual([
        { student: 'Lena Park', url: '/portraits/s1-watercolor.png' },
      ]);
      expect(store.students[0]!.profilePhoto).toBe('/portraits/s1-watercolor.png');
    } finally {
      await fake.close();
    }
    const plain = createClassroomAgents({ store: createDemoClassroomStore() }).registry;
    expect(plain.get('classroom_assistant').starterPrompts).not.toContain('Draw a portrait of Lena Park');
  });

  it('natural-language triggers, unknown slash text and missing metadata', async () => {
    const { registry } = createClassroomAgents({ store: createDemoClassroomStore() });
    const triggered = applyNaturalLanguageTriggers('Help me prepare the parent-teacher meeting for Lena');
    expect(triggered).toBe('/ptm Help me prepare the parent-teacher meeting for Lena');
    expect(registry.route({ text: triggered, metadata }).agent.type).toBe('ptm_prep');
    expect(applyNaturalLanguageTriggers('/progress Omar')).toBe('/progress Omar');

    const shrug = registry.route({ text: '/shrug not a command', metadata });
    expect(shrug).toMatchObject({ reason: 'default', text: '/shrug not a command' });
    expect(shrug.agent.type).toBe('classroom_assistant');
    expect(registry.commands().map((c) => c.name)).toEqual(['ptm', 'lesson', 'progress']);

    let error: unknown;
    try {
      registry.route({ text: '/ptm', metadata: {} });
    } catch (caught) {
      error = caught;
    }
    expect(isRelayKitError(error) && error.code).toBe('invalid_request');
    expect((error as Error).message).toContain('classId');
  });
});

describe('scenario E: multi-turn history', () => {
  it('the second turn sends the first turn’s messages and tool results back to the model', async () => {
    const store = createDemoClassroomStore();
    const { registry, dependencies } = createClassroomAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false, lastUserText: 'progress of Omar' },
        reply: { toolCalls: [{ name: 'get_student_progress', arguments: { studentName: 'Omar Haddad' } }] },
      },
      { match: { hasToolOutput: true }, reply: { text: 'Omar scored 91 in maths.' } },
      {
        match: { lastUserText: '^And how does that compare' },
        reply: { text: 'It is the top maths score in 5B.' },
      },
    ]);
    try {
      const base = { registry, dependencies, modelProvider, metadata, userId: 'teacher-1' };
      const first = await runTurn({ ...base, text: '/progress Omar Haddad' });
      expect(first.result.finalOutput).toBe('Omar scored 91 in maths.');
      const second = await runTurn({
        ...base,
        text: 'And how does that compare with the class?',
        history: first.result.history,
      });
      expect(second.result.finalOutput).toBe('It is the top maths score in 5B.');
      const sent = JSON.stringify((fake.calls.at(-1)!.body as { input: unknown }).input);
      expect(sent).toContain('Summarise the progress of Omar Haddad');
      expect(sent).toContain('"function_call_output"');
      expect(sent).toContain('Omar scored 91 in maths.');
    } finally {
      await fake.close();
    }
  });
});
