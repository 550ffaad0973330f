/**
 * Scenario E, the classroom assistant: a teacher's assistant with slash commands. `/ptm` routes to an agent whose
 * context builder enriches the prompt with the class's parent-teacher-meeting data (loaded through an injected
 * loader); `/lesson` and `/progress` rewrite the message into a focused prompt for the assistant. Plain phrases
 * ("parent-teacher meeting") trigger the same commands through {@link applyNaturalLanguageTriggers}. With a
 * {@link ClassroomPortraits} generator the assistant also draws student portraits (`generate_student_portrait`), and the
 * student's `profilePhoto` points at the newest one.
 */
import { createToolRegistry, defineTool, RequestError } from '@relaykit/tool-registry';
import { toAgentsTools } from '@relaykit/tool-registry/agents';
import { z } from 'zod';
import {
  type AgentDependencies,
  createAgentRegistry,
  defineAgent,
  type SlashCommand,
} from '../../src/index.ts';
import { appendCapped } from '../demo-store.ts';

export interface Student {
  id: string;
  classId: string;
  name: string;
  scores: { subject: string; score: number }[];
  /** URL of the student's newest generated portrait. */
  profilePhoto?: string;
}

export interface ClassroomStore {
  students: Student[];
  meetings: { studentId: string; parent: string; date: string; notes: string[] }[];
  lessonPlans: { classId: string; title: string; objectives: string[]; activities: string[] }[];
}

/** A small in-memory data set: class 5B with two students and one meeting. */
export function createDemoClassroomStore(): ClassroomStore {
  return {
    students: [
      {
        id: 's1',
        classId: '5b',
        name: 'Lena Park',
        scores: [
          { subject: 'maths', score: 62 },
          { subject: 'reading', score: 88 },
        ],
      },
      { id: 's2', classId: '5b', name: 'Omar Haddad', scores: [{ subject: 'maths', score: 91 }] },
    ],
    meetings: [
      { studentId: 's1', parent: 'Min-ji Park', date: '2026-12-01', notes: ['asked about maths support'] },
    ],
    lessonPlans: [],
  };
}

/** Loader injected into the `/ptm` agent's context builder. */
export interface ClassroomLoaders {
  loadMeetingData(
    classId: string,
  ): Promise<{ student: string; parent: string; date: string; notes: string[] }[]>;
}

/** Draws a student's portrait and stores it (an image model and a blob store); injected by the app. */
export interface ClassroomPortraits {
  /** Generates and stores one portrait of `student` for the teacher `userId`; returns where it can be seen. */
  generatePortrait(
    student: { id: string; name: string; classId: string },
    request: { userId: string | undefined; style: PortraitStyle },
  ): Promise<{ url: string }>;
}

/** The styles the portrait tool offers. */
export const PORTRAIT_STYLES = ['illustration', 'watercolor', 'cartoon'] as const;
/** One of {@link PORTRAIT_STYLES}. */
export type PortraitStyle = (typeof PORTRAIT_STYLES)[number];

/** Loaders over the in-memory store. */
export function createClassroomLoaders(store: ClassroomStore): ClassroomLoaders {
  return {
    loadMeetingData: async (classId) =>
      store.meetings.flatMap((meeting) => {
        const student = store.students.find((s) => s.id === meeting.studentId && s.classId === classId);
        return student
          ? [{ student: student.name, parent: meeting.parent, date: meeting.date, notes: meeting.notes }]
          : [];
      }),
  };
}

/** The slash commands of the classroom assistant. */
export const classroomCommands: SlashCommand[] = [
  { name: 'ptm', description: 'Prepare a parent-teacher meeting', agent: 'ptm_prep' },
  {
    name: 'lesson',
    description: 'Draft a lesson plan',
    prompt: (topic) => `Draft a lesson plan on: ${topic}. Save it with save_lesson_plan.`,
  },
  {
    name: 'progress',
    description: 'Summarise a student’s progress',
    prompt: (student) => `Summarise the progress of ${student} from get_student_progress.`,
  },
];

const TRIGGERS: [RegExp, string][] = [
  [/\bparent[- ]teacher[- ]meeting\b/i, 'ptm'],
  [/\blesson plan\b/i, 'lesson'],
];

/** Natural-language triggers: a message mentioning a command's subject is sent as that command. */
export function applyNaturalLanguageTriggers(text: string): string {
  if (text.trimStart().startsWith('/')) return text;
  const trigger = TRIGGERS.find(([pattern]) => pattern.test(text));
  return trigger ? `/${trigger[1]} ${text}` : text;
}

/** The agents of scenario E over `store`. */
export function createClassroomAgents(deps: {
  store: ClassroomStore;
  loaders?: ClassroomLoaders;
  /** Enables `generate_student_portrait`. */
  portraits?: ClassroomPortraits;
}) {
  const { store, portraits } = deps;
  const dependencies = { ...(deps.loaders ?? createClassroomLoaders(store)) } as AgentDependencies;
  const metadata = z.object({ classId: z.string().min(1) });
  const studentOf = (classId: string, name: string) => {
    const student = store.students.find(
      (s) => s.classId === classId && s.name.toLowerCase() === name.toLowerCase(),
    );
    if (!student) throw new RequestError('not_found', `no student named ${name} in class ${classId}`);
    return student;
  };
  const toolsFor = (classId: string) =>
    toAgentsTools(
      createToolRegistry().register(
        defineTool({
          name: 'get_student_progress',
          description: 'Scores of one student of the class, by subject.',
          risk: 'read',
          input: z.object({ studentName: z.string() }),
          execute: ({ studentName }) => {
            const { name, scores } = studentOf(classId, studentName);
            return { name, scores };
          },
        }),
        defineTool({
          name: 'save_lesson_plan',
          description: 'Save a lesson plan for the class.',
          risk: 'write',
          input: z.object({
            title: z.string().min(1),
            objectives: z.array(z.string()),
            activities: z.array(z.string()),
          }),
          execute: (plan) => {
            appendCapped(store.lessonPlans, { classId, ...plan });
            return {
              saved: plan.title,
              plans: store.lessonPlans.filter((p) => p.classId === classId).length,
            };
          },
        }),
        ...(portraits
          ? [
              defineTool({
                name: 'generate_student_portrait',
                description:
                  'Draw a friendly portrait of one student of the class and set it as their profile photo; returns its URL.',
                risk: 'write',
                input: z.object({ studentName: z.string(), style: z.enum(PORTRAIT_STYLES) }),
                execute: async ({ studentName, style }, context) => {
                  const student = studentOf(classId, studentName);
                  const { url } = await portraits.generatePortrait(
                    { id: student.id, name: student.name, classId },
                    { userId: context.userId, style },
                  );
                  student.profilePhoto = url;
                  return { student: student.name, url };
                },
              }),
            ]
          : []),
        defineTool({
          name: 'record_meeting_note',
          description: 'Add a note to a student’s parent-teacher meeting.',
          risk: 'write',
          input: z.object({ studentName: z.string(), note: z.string().min(1) }),
          execute: ({ studentName, note }) => {
            const student = studentOf(classId, studentName);
            const meeting = store.meetings.find((m) => m.studentId === student.id);
            if (!meeting) throw new RequestError('not_found', `${student.name} has no meeting scheduled`);
            appendCapped(meeting.notes, note);
            return { student: student.name, notes: meeting.notes };
          },
        }),
      ),
    );

  const assistant = defineAgent({
    type: 'classroom_assistant',
    description: 'A teacher’s assistant for lessons and student progress.',
    metadata,
    instructions: ({ metadata }) =>
      `You assist the teacher of class ${metadata.classId}. Be concise and practical.`,
    tools: ({ metadata }) => toolsFor(metadata.classId),
    model: 'gpt-4o-mini',
    starterPrompts: [
      '/lesson fractions',
      '/progress Lena Park',
      '/ptm',
      ...(portraits ? ['Draw a portrait of Lena Park'] : []),
    ],
  });
  const ptm = defineAgent({
    type: 'ptm_prep',
    description: 'Prepares parent-teacher meetings from the class’s meeting data.',
    metadata,
    contextBuilder: ({ classId }, deps) => (deps as unknown as ClassroomLoaders).loadMeetingData(classId),
    instructions: ({ metadata, data }) =>
      `You prepare parent-teacher meetings for class ${metadata.classId}. Meetings:\n` +
      (data
        .map((m) => `- ${m.date}: ${m.student} with ${m.parent}; notes: ${m.notes.join('; ') || 'none'}`)
        .join('\n') || 'none scheduled'),
    tools: ({ metadata }) => toolsFor(metadata.classId),
    model: 'gpt-4o-mini',
  });
  const registry = createAgentRegistry([assistant, ptm], { slashCommands: classroomCommands });
  return { registry, dependencies };
}
