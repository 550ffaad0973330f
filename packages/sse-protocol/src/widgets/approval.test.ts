import { describe, expect, it } from 'vitest';
import { WidgetItem } from '../chatkit/model';
import { chatKitToSimpleStream } from '../translate/simple';
import {
  APPROVAL_ACTION_TYPE,
  approvalArgumentsMarkdown,
  approvalRequestOf,
  approvalWidget,
} from './approval';

const request = {
  approvalId: 'hc_1',
  callId: 'call_1',
  tool: 'updateEvent',
  arguments: { date: '2027-08-01', guestCount: null, tags: ['vip'] },
  agent: 'venue_event',
};

describe('approval widget', () => {
  it('shows the tool, the agent, readable arguments, and Approve / Reject actions carrying the call', () => {
    const widget = approvalWidget(request) as { type: string; children: Record<string, unknown>[] };
    expect(widget.type).toBe('Card');
    expect(widget.children.slice(0, 3)).toEqual([
      { type: 'Title', value: 'Allow updateEvent?', size: 'sm' },
      { type: 'Caption', value: 'Requested by venue_event' },
      { type: 'Markdown', value: '- **date**: 2027-08-01\n- **guestCount**: _none_\n- **tags**: `["vip"]`' },
    ]);
    const buttons = (widget.children[3] as { children: { label: string; onClickAction: unknown }[] })
      .children;
    expect(buttons.map((button) => button.label)).toEqual(['Approve', 'Reject']);
    expect(buttons[1]?.onClickAction).toEqual({
      type: APPROVAL_ACTION_TYPE,
      payload: {
        approvalId: 'hc_1',
        callId: 'call_1',
        decision: 'reject',
        tool: 'updateEvent',
        arguments: request.arguments,
      },
      handler: 'server',
      loadingBehavior: 'auto',
    });
    // A valid ChatKit widget item.
    expect(
      WidgetItem.safeParse({ type: 'widget', id: 'w', thread_id: 't', created_at: new Date(), widget })
        .success,
    ).toBe(true);
  });

  it('once decided, shows a badge instead of the buttons and is no longer an open request', () => {
    const decided = approvalWidget(request, { decision: 'approve' });
    expect(JSON.stringify(decided)).toContain('"label":"Approved"');
    expect(JSON.stringify(decided)).not.toContain(APPROVAL_ACTION_TYPE);
    expect(approvalRequestOf({ widget: decided })).toBeNull();
    expect(approvalRequestOf({ widget: approvalWidget(request) })).toEqual({
      approvalId: 'hc_1',
      callId: 'call_1',
      tool: 'updateEvent',
      arguments: request.arguments,
    });
    expect(approvalArgumentsMarkdown({})).toBe('_No arguments._');
    expect(approvalArgumentsMarkdown('raw')).toBe('raw');
  });

  it('the simple stream reports an open approval widget as approval_required', async () => {
    const events = [];
    for await (const event of chatKitToSimpleStream(
      [
        {
          type: 'thread.item.done',
          item: {
            type: 'widget',
            id: 'msg_w',
            thread_id: 't',
            created_at: new Date().toISOString(),
            widget: approvalWidget(request),
          },
        } as never,
      ],
      { sessionId: 's' },
    ))
      events.push(event);
    expect(events).toEqual([
      {
        event: 'approval_required',
        data: {
          sessionId: 's',
          approvalId: 'hc_1',
          callId: 'call_1',
          tool: 'updateEvent',
          arguments: request.arguments,
          itemId: 'msg_w',
        },
      },
      { event: 'done', data: { sessionId: 's' } },
    ]);
  });

  it('the simple stream asks again for an approval widget replaced by its open state, not for a decided one', async () => {
    const widget = (decided: boolean) =>
      ({
        type: 'thread.item.replaced',
        item: {
          type: 'widget',
          id: 'msg_w',
          thread_id: 't',
          created_at: new Date().toISOString(),
          widget: decided ? approvalWidget(request, { decision: 'approve' }) : approvalWidget(request),
        },
      }) as never;
    const events = [];
    for await (const event of chatKitToSimpleStream([widget(true), widget(false)], { sessionId: 's' }))
      events.push(event);
    expect(events).toEqual([
      {
        event: 'approval_required',
        data: {
          sessionId: 's',
          approvalId: 'hc_1',
          callId: 'call_1',
          tool: 'updateEvent',
          arguments: request.arguments,
          itemId: 'msg_w',
        },
      },
      { event: 'done', data: { sessionId: 's' } },
    ]);
  });
});
