import { describe, expect, it } from 'vitest';
import { threadItemsToAgentInput, userMessageText } from './convert';

const base = (id: string) => ({ id, thread_id: 'thr_1', created_at: '2026-01-01T00:00:00Z' });
const userText = (item: unknown) => (item as { content: { text: string }[] }).content[0]?.text;

describe('threadItemsToAgentInput (docs/specs/chatkit-protocol.md §8.2)', () => {
  it('converts user messages (tags as @text, quoted text only on the last item, tag context) and assistant text', () => {
    const items = [
      {
        ...base('m1'),
        type: 'user_message',
        content: [
          { type: 'input_text', text: 'Ask ' },
          { type: 'input_tag', id: 't1', text: 'Alice', data: { role: 'admin' }, interactive: false },
        ],
        attachments: [],
        inference_options: {},
        quoted_text: 'not last',
      },
      {
        ...base('m2'),
        type: 'assistant_message',
        content: [
          {
            type: 'output_text',
            text: 'Sure',
            annotations: [{ type: 'annotation', source: { type: 'url', url: 'https://x.test', title: 'X' } }],
          },
        ],
      },
      {
        ...base('m3'),
        type: 'user_message',
        content: [{ type: 'input_text', text: 'Thanks' }],
        attachments: [],
        inference_options: {},
        quoted_text: 'this bit',
      },
    ] as never[];
    const out = threadItemsToAgentInput(items);
    expect(out).toHaveLength(5);
    expect(userText(out[0])).toBe('Ask @Alice');
    expect(userText(out[1])).toContain('# User-provided context for @-mentions');
    expect(userText(out[1])).toContain('- Alice: {"role":"admin"}');
    expect(out[2]).toEqual({
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Sure' }],
    });
    expect(userText(out[3])).toBe('Thanks');
    expect(userText(out[4])).toBe('The user is referring to this in particular: \nthis bit');
    expect(userMessageText(items[0] as never)).toBe('Ask @Alice');
  });

  it('client tool calls: pending skipped, completed → function_call + output; hidden context wrapped; end_of_turn dropped', () => {
    const out = threadItemsToAgentInput([
      { ...base('t0'), type: 'client_tool_call', status: 'pending', call_id: 'c0', name: 'x', arguments: {} },
      {
        ...base('t1'),
        type: 'client_tool_call',
        status: 'completed',
        call_id: 'c1',
        name: 'loc',
        arguments: { a: 1 },
        output: { city: 'Paris' },
      },
      { ...base('h1'), type: 'sdk_hidden_context', content: 'The user cancelled the stream.' },
      { ...base('e1'), type: 'end_of_turn' },
    ] as never[]);
    expect(out).toEqual([
      { type: 'function_call', callId: 'c1', name: 'loc', arguments: '{"a":1}', status: 'completed' },
      {
        type: 'function_call_result',
        callId: 'c1',
        name: 'loc',
        status: 'completed',
        output: '{"city":"Paris"}',
      },
      {
        role: 'user',
        content: [
          {
            type: 'input_text',
            text: 'Hidden context for the agent (not shown to the user):\n<HiddenContext>\nThe user cancelled the stream.\n</HiddenContext>',
          },
        ],
      },
    ]);
  });

  it('widgets, custom workflow tasks, structured input and generated images become user messages; attachments need a converter', () => {
    const out = threadItemsToAgentInput([
      { ...base('w1'), type: 'widget', widget: { type: 'Card', children: [], id: null } },
      {
        ...base('wf'),
        type: 'workflow',
        workflow: {
          type: 'custom',
          expanded: false,
          tasks: [
            { type: 'custom', title: 'Booked', content: 'Room 4', status_indicator: 'none' },
            { type: 'thought', content: 'hmm', status_indicator: 'none' },
          ],
        },
      },
      {
        ...base('s1'),
        type: 'structured_input',
        status: 'answered',
        inputs: [
          { type: 'freeform', id: 'q1', question: 'Name?', answer: { values: ['Ann', 'B'], skipped: false } },
          { type: 'freeform', id: 'q2', question: 'Age?', answer: { values: [], skipped: true } },
          { type: 'freeform', id: 'q3', question: 'City?' },
        ],
      },
      { ...base('g1'), type: 'generated_image', image: { id: 'img', url: 'https://img.test/a.png' } },
    ] as never[]);
    expect(userText(out[0])).toBe(
      'The following graphical UI widget (id: w1) was displayed to the user:{"type":"Card","children":[]}',
    );
    expect(userText(out[1])).toBe(
      'A message was displayed to the user that the following task was performed:\n<Task>\nBooked: Room 4\n</Task>',
    );
    expect(userText(out[2])).toBe(
      'A structured input request was displayed to the user with the following status: answered\n<StructuredInput>\n- Name?: Ann, B\n- Age?: skipped\n- City?: unanswered\n</StructuredInput>',
    );
    expect((out[3] as { content: unknown[] }).content[1]).toEqual({
      type: 'input_image',
      image: 'https://img.test/a.png',
      detail: 'auto',
    });
    expect(out).toHaveLength(4);
    const withFile = [
      {
        ...base('m1'),
        type: 'user_message',
        content: [{ type: 'input_text', text: 'see' }],
        attachments: [{ id: 'atc_1', type: 'file', name: 'a.txt', mime_type: 'text/plain' }],
        inference_options: {},
      },
    ] as never[];
    expect(() => threadItemsToAgentInput(withFile)).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    const converted = threadItemsToAgentInput(withFile, {
      attachmentToContent: (a) => [{ type: 'input_text', text: `[file ${a.name}]` }],
    });
    expect((converted[0] as { content: unknown[] }).content[1]).toEqual({
      type: 'input_text',
      text: '[file a.txt]',
    });
  });
});
