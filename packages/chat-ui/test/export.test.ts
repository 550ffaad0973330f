import { expect, it } from 'vitest';
import { type AnyThreadItem, exportFileName, threadToJSON, threadToMarkdown } from '../src/client';

const base = { thread_id: 'thr_1', created_at: '2026-12-07T10:00:00.000Z' };
const thread = { id: 'thr_1', title: 'Garden party', created_at: '2026-12-07T09:59:00.000Z' };
const items: AnyThreadItem[] = [
  {
    ...base,
    id: 'u1',
    type: 'user_message',
    content: [{ type: 'input_text', text: 'Plan it' }],
    attachments: [{ id: 'atc_1', type: 'file', name: 'list.pdf', mime_type: 'application/pdf' }],
  },
  {
    ...base,
    id: 'w',
    type: 'workflow',
    workflow: { type: 'custom', tasks: [{ type: 'custom', title: 'Called addGuest', content: 'Ana' }] },
  },
  {
    ...base,
    id: 'a1',
    type: 'assistant_message',
    content: [
      {
        type: 'output_text',
        text: '| a | b |\n| - | - |\n| 1 | 2 |',
        annotations: [
          { type: 'annotation', source: { type: 'entity', id: 'relaykit:agent', title: 'planner' } },
          { type: 'annotation', source: { type: 'url', title: 'Docs', url: 'https://example.com' } },
        ],
      },
    ],
  },
  {
    ...base,
    id: 'x',
    type: 'widget',
    widget: { type: 'Card', children: [{ type: 'Title', value: 'Guests' }] },
  },
  { ...base, id: 'h', type: 'hidden_context_item', content: 'SECRET' } as AnyThreadItem,
];

it('exports a thread as Markdown: title, messages with the agent, tasks, widgets, sources; never hidden items', () => {
  const markdown = threadToMarkdown({ thread, items });
  expect(markdown).toContain('# Garden party');
  expect(markdown).toContain('### User\n\nPlan it');
  expect(markdown).toContain('- Attachment: list.pdf (application/pdf)');
  expect(markdown).toContain('- Called addGuest: Ana');
  expect(markdown).toContain('### Assistant (planner)\n\n| a | b |');
  expect(markdown).toContain('- [Docs](https://example.com)');
  expect(markdown).toContain('> Guests');
  expect(markdown).not.toContain('SECRET');
});

it('exports a thread as versioned JSON without hidden items, and names the files', () => {
  const json = JSON.parse(threadToJSON({ thread, items }, new Date('2026-12-07T12:00:00.000Z')));
  expect(json).toMatchObject({
    format: 'relaykit.chatkit-thread',
    version: 1,
    exported_at: '2026-12-07T12:00:00.000Z',
    thread,
  });
  expect(json.items.map((item: { id: string }) => item.id)).toEqual(['u1', 'w', 'a1', 'x']);
  expect(exportFileName(thread, 'md')).toBe('garden-party.md');
  expect(exportFileName({ ...thread, title: '' }, 'json')).toBe('thr_1.json');
});
