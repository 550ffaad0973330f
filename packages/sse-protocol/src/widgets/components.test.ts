import { describe, expect, it } from 'vitest';
import { serializeChatKitEvent } from '../chatkit/serialize';
import * as widgets from './components';
import {
  Badge,
  Basic,
  Box,
  Button,
  Caption,
  Card,
  Chart,
  Checkbox,
  Col,
  DatePicker,
  Divider,
  Form,
  Icon,
  Image,
  Input,
  Label,
  ListView,
  ListViewItem,
  Markdown,
  RadioGroup,
  Row,
  Select,
  Spacer,
  Text,
  Textarea,
  Title,
  Transition,
  WIDGET_COMPONENT_TYPES,
  widgetAction,
  widgetComponent,
} from './components';
import { widgetToJSON } from './json';

describe('widget builders', () => {
  it('has a builder for every component of chatkit-python 1.6.5 (and the Basic root)', () => {
    expect([...WIDGET_COMPONENT_TYPES].sort()).toEqual(
      [
        'Badge',
        'Basic',
        'Box',
        'Button',
        'Caption',
        'Card',
        'Chart',
        'Checkbox',
        'Col',
        'DatePicker',
        'Divider',
        'Form',
        'Icon',
        'Image',
        'Input',
        'Label',
        'ListView',
        'ListViewItem',
        'Markdown',
        'RadioGroup',
        'Row',
        'Select',
        'Spacer',
        'Text',
        'Textarea',
        'Title',
        'Transition',
      ].sort(),
    );
    for (const type of WIDGET_COMPONENT_TYPES) {
      const build = (widgets as unknown as Record<string, (props: object) => { type: string }>)[type];
      expect(build?.({}).type, type).toBe(type);
    }
  });

  it('builds plain JSON with the wire (camelCase) prop names', () => {
    const contract = Card({
      size: 'md',
      status: { text: 'Draft', icon: 'document' },
      confirm: { label: 'Sign', action: widgetAction('contract.sign', { contractId: 'c_1' }) },
      children: [
        Row({
          gap: 2,
          align: 'center',
          children: [Icon({ name: 'document', size: 'lg' }), Title({ value: 'Venue contract', size: 'lg' })],
        }),
        Divider({ spacing: 2 }),
        Text({ id: 'terms', value: '', streaming: true, textAlign: 'start', lineThrough: false }),
        Markdown({ id: 'notes', value: '**Deposit** 30%' }),
        Caption({ value: 'Valid 14 days', color: 'secondary' }),
        Badge({ label: 'pending', color: 'warning', pill: true }),
        Image({ src: 'https://example.test/venue.png', alt: 'Venue', aspectRatio: 16 / 9, radius: 'md' }),
        Box({ direction: 'row', children: [Spacer({ minSize: 8 })] }),
        Col({ children: [] }),
        Form({
          onSubmitAction: widgetAction('contract.update'),
          children: [
            Label({ value: 'Guests', fieldName: 'guests' }),
            Input({ name: 'guests', inputType: 'number', defaultValue: '80' }),
            Textarea({ name: 'notes', rows: 3, autoResize: true }),
            Select({ name: 'menu', options: [{ value: 'veg', label: 'Vegetarian' }], clearable: true }),
            Checkbox({ name: 'insurance', label: 'Insurance', defaultChecked: true }),
            RadioGroup({ name: 'slot', options: [{ label: 'Evening', value: 'pm' }], direction: 'row' }),
            DatePicker({ name: 'date', defaultValue: '2026-12-24T00:00:00Z', side: 'bottom' }),
            Button({ label: 'Save', submit: true, iconStart: 'check', style: 'primary' }),
          ],
        }),
        Chart({
          data: [{ month: 'Jan', guests: 40 }],
          series: [{ type: 'bar', dataKey: 'guests', label: 'Guests' }],
          xAxis: { dataKey: 'month' },
          showLegend: true,
        }),
        Transition({ children: Text({ value: 'Saved' }) }),
      ],
    });
    expect(contract.type).toBe('Card');
    expect(contract.confirm).toEqual({
      label: 'Sign',
      action: {
        type: 'contract.sign',
        payload: { contractId: 'c_1' },
        handler: 'server',
        loadingBehavior: 'auto',
      },
    });
    const json = JSON.parse(JSON.stringify(contract));
    expect(json.children[2]).toEqual({
      type: 'Text',
      id: 'terms',
      value: '',
      streaming: true,
      textAlign: 'start',
      lineThrough: false,
    });
    expect(json.children[9].children[1]).toEqual({
      type: 'Input',
      name: 'guests',
      inputType: 'number',
      defaultValue: '80',
    });
    expect(json.children[10].xAxis).toEqual({ dataKey: 'month' });
  });

  it('ListView, ListViewItem and the Basic root', () => {
    const list = ListView({
      limit: 'auto',
      children: [
        ListViewItem({ onClickAction: widgetAction('open', { id: 1 }), children: [Text({ value: 'One' })] }),
      ],
    });
    expect(list.children[0]?.type).toBe('ListViewItem');
    const basic = Basic({ direction: 'col', gap: 2, children: [list, Title({ value: 'x' })] });
    expect(basic.children.map((child) => child.type)).toEqual(['ListView', 'Title']);
  });

  it('widgetAction fills the reference defaults; options override them', () => {
    expect(widgetAction('go')).toEqual({ type: 'go', handler: 'server', loadingBehavior: 'auto' });
    expect(
      widgetAction('go', null, { handler: 'client', loadingBehavior: 'none', streaming: false }),
    ).toEqual({
      type: 'go',
      payload: null,
      handler: 'client',
      loadingBehavior: 'none',
      streaming: false,
    });
  });

  it('widgetComponent builds any other component (escape hatch)', () => {
    expect(widgetComponent('Table', { id: 't', rows: [['a']] })).toEqual({
      type: 'Table',
      id: 't',
      rows: [['a']],
    });
    expect(Card({ children: [widgetComponent('Table')] }).children[0]).toEqual({ type: 'Table' });
  });
});

describe('widgetToJSON', () => {
  it('drops null and undefined fields and list entries recursively, keeps type, copies deeply', () => {
    const source = {
      type: 'Card',
      size: null,
      padding: undefined,
      children: [
        null,
        { type: 'Text', value: 'a', color: null, editable: { name: 'n', placeholder: undefined } },
      ],
      confirm: { label: 'OK', action: { type: 'ok', payload: { keep: null } } },
    };
    const json = widgetToJSON(source);
    expect(json).toEqual({
      type: 'Card',
      children: [{ type: 'Text', value: 'a', editable: { name: 'n' } }],
      confirm: { label: 'OK', action: { type: 'ok', payload: { keep: null } } },
    });
    expect(JSON.stringify(json)).toBe(
      '{"type":"Card","children":[{"type":"Text","value":"a","editable":{"name":"n"}}],"confirm":{"label":"OK","action":{"type":"ok","payload":{"keep":null}}}}',
    );
    (source.children[1] as { value: string }).value = 'changed';
    expect((json.children as { value: string }[])[0]?.value).toBe('a');
  });

  it('matches what the ChatKit serializer puts on the wire', () => {
    const widget = Card({ children: [Text({ id: 't', value: 'a', color: undefined })] });
    const frame = serializeChatKitEvent({
      type: 'thread.item.done',
      item: { id: 'w', thread_id: 't', created_at: '2026-01-01T00:00:00Z', type: 'widget', widget },
    });
    expect(frame).toContain(`"widget":${JSON.stringify(widgetToJSON(widget))}`);
  });
});
