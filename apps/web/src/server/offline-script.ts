import type { FakeReply, FakeRequestInfo, FakeRule, FakeScript } from '@relaykit/testing';

/**
 * The offline demo model's script. Without `OPENAI_API_KEY` the app runs on the fake OpenAI server of
 * `@relaykit/testing`, and this script makes each scenario's agent do its own thing for its starter prompts: the
 * replies are scripted, but the runs are real (Agents SDK handoffs, the scenario's real tools on the demo data and the
 * copilot's database, the image model of the fake). Every scripted answer is labelled as the offline demo model's, and
 * anything else gets the fake's labelled default reply. The end-to-end tests import the prompts from here.
 */

/** The prompts the offline demo model answers specially (the agents' starter prompts among them). */
export const OFFLINE_PROMPTS = {
  /** A long markdown reply streamed slowly (≥ 60 chunks), for watching streaming and stopping mid-reply. */
  long: 'Tell me a long story',
  /**
   * For the event planner (client agent): the model calls `addGuest`, which needs the user's approval: the run pauses
   * on an approval card. Approved, the tool runs and the answer names the guest; rejected, the answer says nothing
   * was added. Any name works (`Add a guest: <name>`).
   */
  tool: 'Add a guest: Ana',
  /** Workflow assistant: the orchestrator hands off to `system`, which calls `system_status`. */
  handoff: 'Is the platform healthy?',
  /** Workflow assistant: handoff to `workflow_designer`, which saves a workflow with `create_workflow`. */
  design: 'Design an onboarding workflow',
  /** Workflow assistant: handoff to `deployment`, which lists the user's workflows and deploys the newest. */
  deploy: 'Deploy my workflow to staging',
  /** Event planner (client): `viewContract`, an answer, then the contract widget. */
  contract: 'What is in my contract?',
  /** Event planner (client): `viewGuestList`, then asks whom to add. */
  guests: 'Add a guest',
  /** Event planner (client): `listAvailableElements`. */
  extras: 'Which extras can we add?',
  /** Event planner (venue): `listPendingTasks`. */
  pending: 'What is pending this week?',
  /** Event planner (venue): `listVendors`. */
  vendors: 'List my vendors',
  /**
   * Event planner (venue event): the model calls `updateEvent` with the new date, which needs the user's approval
   * like `addGuest`. Approved, the event moves and the answer gives the new date; rejected, it stays. Any ISO date
   * works (`Move the event to <YYYY-MM-DD>`).
   */
  reschedule: 'Move the event to 2027-09-18',
  /** Database copilot: `list_tables`. */
  tables: 'Which tables do I have?',
  /** Database copilot: a read-only `run_sql` over the seeded `projects` table; the answer shows the real rows. */
  query: 'How many projects are active?',
  /** Classroom: the `/ptm` command (the meeting agent, its prompt enriched with the class's meeting data). */
  ptm: '/ptm',
  /** Classroom: the `/lesson` command (`save_lesson_plan`). */
  lesson: '/lesson fractions',
  /** Classroom: the `/progress` command (`get_student_progress`). */
  progress: '/progress Lena Park',
  /** Classroom: `generate_student_portrait` (the fake image model), answered with the portrait. */
  portrait: 'Draw a portrait of Lena Park',
  /** Health: `get_recent_measurements`, then a long answer in several paragraphs, streamed. */
  heart: 'How was my heart rate this week?',
  /** Health: `log_measurement`, then a short note. */
  sleep: 'I slept 7 hours',
} as const;

/** The date the reschedule prompt moves the event to. */
export const OFFLINE_RESCHEDULE_DATE = '2027-09-18';

/** The guest the tool prompt adds. */
export const OFFLINE_TOOL_GUEST = 'Ana';

/** The label every scripted answer ends with, so nobody mistakes the demo for a real model. */
export const OFFLINE_LABEL = '(offline demo model: a scripted answer; the tool results are real)';

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

/** The answer after `addGuest` added `guest` (the tool's `added`) to the demo event. */
const guestAddedAnswer = (guest: string) =>
  `Done: **${guest}** is now on the guest list of the Ana & Rui wedding.`;

/** The answer after the `addGuest` tool ran for {@link OFFLINE_PROMPTS.tool}. */
export const OFFLINE_TOOL_ANSWER = guestAddedAnswer(OFFLINE_TOOL_GUEST);

/** The answer after the user rejected adding `guest`: the tool never ran. */
export const guestRejectedAnswer = (guest: string) =>
  `I did not add **${guest}**: you rejected the change, so the guest list is unchanged.`;

/**
 * The tool output the Agents SDK gives the model for a call the user rejected (`RunState.reject`), so the script
 * can tell a rejection from a tool result.
 */
export const OFFLINE_REJECTED_OUTPUT = 'Tool execution was not approved.';

/** The steps of the workflow the designer saves for {@link OFFLINE_PROMPTS.design}. */
export const OFFLINE_WORKFLOW_STEPS = [
  'Create the accounts',
  'Send the welcome pack',
  'Meet the team',
  'First-week check-in',
];

/** The query the copilot runs for {@link OFFLINE_PROMPTS.query}. */
export const OFFLINE_SQL =
  'select name, created_at::date as since from public.projects where active order by name';

/** The portrait style the classroom assistant asks for. */
export const OFFLINE_PORTRAIT_STYLE = 'watercolor';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (text: string) => `^\\s*${escapeRegExp(text)}\\s*$`;

/** The JSON a tool answered, or `undefined` for text that is not JSON. */
function parsed(request: FakeRequestInfo): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(request.lastToolOutput ?? '') as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A tool error (`{ error: { code, message } }`) as a short answer, or `undefined` when the tool succeeded. */
function toolError(request: FakeRequestInfo): string | undefined {
  const output = parsed(request);
  const error = output?.error as { message?: unknown } | undefined;
  if (!output) return `The tool answered: ${request.lastToolOutput ?? ''}\n\n${OFFLINE_LABEL}`;
  return error
    ? `The tool refused: ${String(error.message ?? 'unknown error')}.\n\n${OFFLINE_LABEL}`
    : undefined;
}

const labelled = (text: string): FakeReply => ({ text: `${text}\n\n${OFFLINE_LABEL}` });

type Answer = (output: Record<string, unknown>, request: FakeRequestInfo) => FakeReply | string;

/** The answer when the user rejected the call of `tool` (the approval card's Reject). */
type Rejected = (request: FakeRequestInfo) => string;

const rejectedCall: Rejected = (request) =>
  `You rejected the \`${request.lastToolName ?? 'tool'}\` call, so I did not run it: nothing changed.`;

/**
 * One agent step of a scripted run: for requests whose last user text matches `prompt` and whose last tool result
 * is `after` (`''`: none yet), reply with `reply`. An answer function gets the previous tool's parsed JSON (a tool
 * error is answered for it; a call the user rejected is answered by `rejected`).
 */
function step(prompt: string, after: string, reply: FakeReply | Answer, rejected = rejectedCall): FakeRule {
  return {
    match: { lastUserText: prompt, lastToolName: `^${escapeRegExp(after)}$` },
    reply:
      typeof reply === 'function'
        ? (request) => {
            if (request.hasToolOutput && request.lastToolOutput === OFFLINE_REJECTED_OUTPUT)
              return labelled(rejected(request));
            const failed = request.hasToolOutput ? toolError(request) : undefined;
            if (failed !== undefined) return { text: failed };
            const answer = reply(parsed(request) ?? {}, request);
            return typeof answer === 'string' ? labelled(answer) : answer;
          }
        : reply,
  };
}

const call = (name: string, args: Record<string, unknown> = {}): FakeReply => ({
  toolCalls: [{ name, arguments: args }],
});

const list = <T>(value: unknown) => (Array.isArray(value) ? (value as T[]) : []);
const money = (amount: unknown) => `€${Number(amount).toLocaleString('en-GB')}`;
const titleCase = (text: string) => text.replace(/\b\w/g, (letter) => letter.toUpperCase());

/** A markdown table of rows (GitHub-flavoured, so the chat renders it as a table). */
function table(rows: Record<string, unknown>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  if (columns.length === 0) return '_(no rows)_';
  const cell = (value: unknown) => String(value ?? '').replace(/\|/g, '\\|');
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((column) => cell(row[column])).join(' | ')} |`),
  ].join('\n');
}

/** Scenario A: the orchestrator hands off, and the specialist uses its own tools. */
function workflowRules(): FakeRule[] {
  const handoff = exactly(OFFLINE_PROMPTS.handoff);
  const design = exactly(OFFLINE_PROMPTS.design);
  const deploy = exactly(OFFLINE_PROMPTS.deploy);
  return [
    step(handoff, '', call('transfer_to_system')),
    step(handoff, 'transfer_to_system', call('system_status')),
    step(handoff, 'system_status', (output) => {
      const services = Object.entries((output.services ?? {}) as Record<string, string>);
      const unwell = services.filter(([, state]) => state !== 'up');
      return [
        unwell.length === 0
          ? 'The platform is healthy: every service is up.'
          : `Mostly: ${unwell.map(([name, state]) => `**${name}** is ${state}`).join(', ')}; the rest are up.`,
        '',
        ...services.map(([name, state]) => `- ${name}: ${state}`),
        '',
        'The orchestrator handed this question to the **system** agent, which read `system_status`.',
      ].join('\n');
    }),
    step(design, '', call('transfer_to_workflow_designer')),
    step(
      design,
      'transfer_to_workflow_designer',
      call('create_workflow', { name: 'Onboarding', steps: OFFLINE_WORKFLOW_STEPS }),
    ),
    step(design, 'create_workflow', (output) =>
      [
        `I saved the workflow **${String(output.name)}** as \`${String(output.id)}\`:`,
        '',
        ...list<string>(output.steps).map((name, index) => `${index + 1}. ${name}`),
        '',
        `Say "${OFFLINE_PROMPTS.deploy}" to deploy it.`,
      ].join('\n'),
    ),
    step(deploy, '', call('transfer_to_deployment')),
    step(deploy, 'transfer_to_deployment', call('list_workflows')),
    step(deploy, 'list_workflows', (output) => {
      const workflows = list<{ id: string }>(output.workflows);
      const newest = workflows.at(-1);
      if (!newest)
        return `You have no workflows yet. Say "${OFFLINE_PROMPTS.design}" first, then ask me again.`;
      return call('deploy_workflow', { workflowId: newest.id, environment: 'staging' });
    }),
    step(
      deploy,
      'deploy_workflow',
      (output) =>
        `Deployed \`${String(output.workflowId)}\` to **${String(output.environment)}** (status: ${String(output.status)}).`,
    ),
  ];
}

/** Scenario D: the event planner's tools, on the demo event. */
function eventRules(): FakeRule[] {
  const contract = exactly(OFFLINE_PROMPTS.contract);
  const addGuest = '^\\s*Add a guest:\\s*(\\S.*?)\\s*$';
  const guestOf = (request: FakeRequestInfo) =>
    new RegExp(addGuest).exec(request.lastUserText)?.[1] ?? OFFLINE_TOOL_GUEST;
  const guests = exactly(OFFLINE_PROMPTS.guests);
  const extras = exactly(OFFLINE_PROMPTS.extras);
  const pending = exactly(OFFLINE_PROMPTS.pending);
  const vendors = exactly(OFFLINE_PROMPTS.vendors);
  const reschedule = '^\\s*Move the event to (\\d{4}-\\d{2}-\\d{2})\\s*$';
  const dateOf = (request: FakeRequestInfo) =>
    new RegExp(reschedule).exec(request.lastUserText)?.[1] ?? OFFLINE_RESCHEDULE_DATE;
  return [
    step(contract, '', call('viewContract')),
    step(contract, 'viewContract', (output) =>
      [
        `Your contract totals **${money(output.total)}** and is ${output.signed ? '**signed**' : '**not signed yet**'}.`,
        '',
        `Terms: ${String(output.terms)}.`,
        '',
        'The contract card below shows it at a glance.',
      ].join('\n'),
    ),
    step(addGuest, '', (_output, request) => call('addGuest', { name: guestOf(request), email: null })),
    // addGuest needs approval: the run pauses on the approval card, and resumes with the result or the rejection.
    step(
      addGuest,
      'addGuest',
      (output) => guestAddedAnswer(String(output.added)),
      (request) => guestRejectedAnswer(guestOf(request)),
    ),
    step(guests, '', call('viewGuestList')),
    step(guests, 'viewGuestList', (output) => {
      const names = list<{ name: string }>(output.guests).map((guest) => guest.name);
      return [
        `Your guest list has ${names.length} ${names.length === 1 ? 'guest' : 'guests'}: ${names.join(', ') || 'nobody yet'}.`,
        '',
        `Whom should I add? Say, for example, "${OFFLINE_PROMPTS.tool}".`,
      ].join('\n');
    }),
    step(extras, '', call('listAvailableElements')),
    step(extras, 'listAvailableElements', (output) =>
      [
        'The venue offers these extras:',
        '',
        table(
          list<{ name: string; price: number }>(output.elements).map((element) => ({
            extra: element.name,
            price: money(element.price),
          })),
        ),
        '',
        'Tell me which one to request; the venue confirms every change.',
      ].join('\n'),
    ),
    step(pending, '', call('listPendingTasks')),
    step(pending, 'listPendingTasks', (output) => {
      const tasks = list<{ id: string; title: string }>(output.tasks);
      return tasks.length === 0
        ? 'Nothing is pending.'
        : ['Pending tasks:', '', ...tasks.map((task) => `- ${task.title} (\`${task.id}\`)`)].join('\n');
    }),
    step(reschedule, '', (_output, request) =>
      call('updateEvent', { date: dateOf(request), guestCount: null }),
    ),
    // updateEvent needs approval too: the run pauses on the approval card, and resumes with the result or the rejection.
    step(
      reschedule,
      'updateEvent',
      (output) =>
        `Done: the event is now on **${String(output.date)}**, still for ${String(output.guestCount)} guests.`,
      (request) =>
        `I did not move the event to **${dateOf(request)}**: you rejected the change, so the date is unchanged.`,
    ),
    step(vendors, '', call('listVendors')),
    step(vendors, 'listVendors', (output) =>
      [
        'Your vendors:',
        '',
        ...list<{ name: string; service: string }>(output.vendors).map(
          (vendor) => `- **${vendor.name}**: ${vendor.service}`,
        ),
      ].join('\n'),
    ),
  ];
}

/** Scenario C: the copilot's read-only SQL over the seeded `projects` table. */
function copilotRules(): FakeRule[] {
  const tables = exactly(OFFLINE_PROMPTS.tables);
  const query = exactly(OFFLINE_PROMPTS.query);
  return [
    step(tables, '', call('list_tables', { schema: 'public' })),
    step(tables, 'list_tables', (output) => {
      const found = list<{ schema: string; name: string; rlsEnabled: boolean }>(output.tables);
      return [
        `You have ${found.length} ${found.length === 1 ? 'table' : 'tables'}:`,
        '',
        table(
          found.map((entry) => ({
            table: `${entry.schema}.${entry.name}`,
            'row-level security': entry.rlsEnabled ? 'on' : 'off',
          })),
        ),
      ].join('\n');
    }),
    step(query, '', call('run_sql', { sql: OFFLINE_SQL })),
    step(query, 'run_sql', (output) => {
      const rows = list<Record<string, unknown>>(output.rows);
      return [
        `**${rows.length}** ${rows.length === 1 ? 'project is' : 'projects are'} active. I ran this read-only query:`,
        '',
        '```sql',
        OFFLINE_SQL,
        '```',
        '',
        table(rows),
      ].join('\n');
    }),
  ];
}

/** Scenario E: the classroom's slash commands and portraits. */
function classroomRules(): FakeRule[] {
  const lesson = '^Draft a lesson plan on: (.+?)\\. Save it with save_lesson_plan\\.$';
  const progress = '^Summarise the progress of (.+?) from get_student_progress\\.$';
  const portrait = '^\\s*Draw a portrait of (.+?)\\s*$';
  return [
    // `/ptm` routes to the meeting agent, whose instructions the context builder filled with the meeting data.
    {
      match: { instructions: '^You prepare parent-teacher meetings', lastToolName: '^$' },
      reply: (request) => {
        const [heading, ...lines] = (request.instructions ?? '').split('\n');
        const meetings = lines
          .map((line) => /^- (\S+): (.+?) with (.+?); notes: (.*)$/.exec(line))
          .filter((match) => match !== null);
        return labelled(
          [
            `**Parent-teacher meetings** (${heading?.replace(/^You prepare parent-teacher meetings for /, '').replace(/\. Meetings:$/, '') ?? 'your class'}):`,
            '',
            ...(meetings.length === 0
              ? ['No meetings are scheduled.']
              : meetings.map(
                  ([, date, student, parent, notes]) =>
                    `- **${student}** with ${parent} on ${date}. Notes: ${notes}.`,
                )),
            '',
            'Suggested agenda: start with what is going well, go through the notes above, agree on one goal for next',
            'term, and write down who does what.',
            '',
            `(You asked: "${request.lastUserText}".)`,
          ].join('\n'),
        );
      },
    },
    step(lesson, '', (_output, request) => {
      const topic = new RegExp(lesson).exec(request.lastUserText)?.[1] ?? 'the topic';
      return call('save_lesson_plan', {
        title: titleCase(topic),
        objectives: [`Explain ${topic} in their own words`, `Solve three ${topic} problems`],
        activities: [
          'Warm-up quiz (5 min)',
          'Pair work with worked examples (20 min)',
          'Exit ticket (5 min)',
        ],
      });
    }),
    step(lesson, 'save_lesson_plan', (output, request) => {
      const topic = new RegExp(lesson).exec(request.lastUserText)?.[1] ?? 'the topic';
      return [
        `I saved the lesson plan **${String(output.saved)}** (${String(output.plans)} saved for this class so far).`,
        '',
        `**Objectives:** explain ${topic} in their own words; solve three ${topic} problems.`,
        '',
        '**Activities:** warm-up quiz (5 min), pair work with worked examples (20 min), exit ticket (5 min).',
      ].join('\n');
    }),
    step(progress, '', (_output, request) =>
      call('get_student_progress', {
        studentName: new RegExp(progress).exec(request.lastUserText)?.[1] ?? '',
      }),
    ),
    step(progress, 'get_student_progress', (output) =>
      [
        `**${String(output.name)}**'s scores:`,
        '',
        table(list<{ subject: string; score: number }>(output.scores)),
      ].join('\n'),
    ),
    step(portrait, '', (_output, request) =>
      call('generate_student_portrait', {
        studentName: new RegExp(portrait).exec(request.lastUserText)?.[1] ?? '',
        style: OFFLINE_PORTRAIT_STYLE,
      }),
    ),
    step(portrait, 'generate_student_portrait', (output) =>
      [
        `Here is the new portrait of **${String(output.student)}**; it is now their profile photo.`,
        '',
        `![Portrait of ${String(output.student)}](${String(output.url)})`,
        '',
        'The offline image model draws a placeholder picture; with an OpenAI key it is a real portrait.',
      ].join('\n'),
    ),
  ];
}

/** The health assistant's long answer, in paragraphs, about the measurements the tool returned. */
function heartRateAnswer(output: Record<string, unknown>): string {
  const values = list<{ value: number; at: string }>(output.measurements);
  const summary =
    values.length === 0
      ? 'I found **no heart-rate readings** for you this week, so I cannot compare against your own numbers yet.'
      : `I found **${values.length}** heart-rate ${values.length === 1 ? 'reading' : 'readings'} this week, ` +
        `averaging **${Math.round(values.reduce((sum, entry) => sum + entry.value, 0) / values.length)} bpm**.`;
  return [
    '## Your heart rate this week',
    '',
    summary,
    '',
    'A resting heart rate between 60 and 100 beats per minute is typical for adults, and fit people often sit',
    'lower. What matters most is your own trend: a resting rate that climbs by ten beats or more over a few days',
    'can mean poor sleep, stress, dehydration or an infection on the way.',
    '',
    '### Getting a reliable reading',
    '',
    'Measure at the same time each morning, before coffee and before you get out of bed. Sit or lie still for a',
    'minute first. Watches are good at trends but can be off during exercise, so compare like with like.',
    '',
    '### What you can do',
    '',
    '- Keep a regular sleep schedule; a short night shows up in the next morning’s numbers.',
    '- Drink water through the day, especially after exercise.',
    '- Add a few minutes of slow breathing in the evening.',
    '',
    'Tell me your readings (for example "My heart rate was 62 this morning") and I will log them for you.',
    '',
    'I am not a doctor: if you notice chest pain, fainting, or a racing heart at rest, please see one.',
  ].join('\n');
}

/** Scenario B: the health assistant's tools and a long answer. */
function healthRules(delayMs: number): FakeRule[] {
  const heart = exactly(OFFLINE_PROMPTS.heart);
  const sleep = '^\\s*I slept (\\d+(?:\\.\\d+)?) hours?\\s*$';
  return [
    step(heart, '', call('get_recent_measurements', { kind: 'heart_rate', limit: 7 })),
    step(heart, 'get_recent_measurements', (output) => ({
      text: `${heartRateAnswer(output)}\n\n${OFFLINE_LABEL}`,
      faults: { tokenIntervalMs: delayMs },
    })),
    step(sleep, '', (_output, request) =>
      call('log_measurement', {
        kind: 'sleep_hours',
        value: Number(new RegExp(sleep).exec(request.lastUserText)?.[1] ?? 0),
      }),
    ),
    step(sleep, 'log_measurement', (output) => {
      const logged = output.logged as { value?: number } | undefined;
      return `Logged **${String(logged?.value)} hours** of sleep. Most adults need 7 to 9 hours; keep it up.`;
    }),
  ];
}

/** Options of {@link createOfflineScript}. */
export interface OfflineScriptOptions {
  /** Milliseconds between two streamed chunks of the long replies. */
  delayMs: number;
}

/**
 * The fake OpenAI server's script for the offline demo: the long story, one scripted run per starter prompt of each
 * scenario (see {@link OFFLINE_PROMPTS}), and the fake's deterministic default reply (it contains `offline demo
 * model`) for anything else. Images use the fake's real PNGs.
 */
export function createOfflineScript(options: OfflineScriptOptions): FakeScript {
  return {
    rules: [
      {
        match: { lastUserText: exactly(OFFLINE_PROMPTS.long) },
        reply: { text: OFFLINE_LONG_STORY, faults: { tokenIntervalMs: options.delayMs } },
      },
      ...workflowRules(),
      ...eventRules(),
      ...copilotRules(),
      ...classroomRules(),
      ...healthRules(options.delayMs),
    ],
    fallback: 'offline',
  };
}
