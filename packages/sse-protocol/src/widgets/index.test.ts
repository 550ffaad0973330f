import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/sse-protocol/widgets', () => {
  expect(Object.keys(api).sort()).toEqual(
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
      'WIDGET_COMPONENT_TYPES',
      'accumulateText',
      'diffWidget',
      'streamWidget',
      'widgetAction',
      'widgetComponent',
      'widgetToJSON',
    ].sort(),
  );
});
