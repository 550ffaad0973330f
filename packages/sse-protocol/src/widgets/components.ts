/**
 * Typed builders for the ChatKit widget components, one per component of chatkit-python 1.6.5 (`chatkit/widgets.py`)
 * and the ChatKit JS types (`@openai/chatkit` `widgets.d.ts`). Props keep the names the wire uses, which are camelCase
 * (`onClickAction`, `textAlign`, `defaultValue`), exactly as both references spell them.
 *
 * Each builder returns plain JSON with `type` set: `Text({ id: 'answer', value: '' })` is
 * `{ type: 'Text', id: 'answer', value: '' }`. A component type or prop this version does not know stays reachable
 * through {@link widgetComponent} (any `type`, any props). See docs/specs/chatkit-protocol.md §4.2.
 */
import type { IconName } from '../chatkit/model';

// ---------------------------------------------------------------------------------------------------------------
// Shared value types
// ---------------------------------------------------------------------------------------------------------------

/** A color for each theme. */
export type ThemeColor = { dark: string; light: string };
/** A color token (`primary`, `red-100`, ...), a CSS color, or one per theme. */
export type WidgetColor = string | ThemeColor;
/** Spacing per edge; each a spacing unit (number) or a CSS string. */
export type Spacing = {
  top?: number | string;
  right?: number | string;
  bottom?: number | string;
  left?: number | string;
  x?: number | string;
  y?: number | string;
};
/** A border of one edge. */
export type Border = {
  size: number;
  color?: WidgetColor;
  style?: 'solid' | 'dashed' | 'dotted' | 'double' | 'groove' | 'ridge' | 'inset' | 'outset';
};
/** Borders per edge (a width in px or a {@link Border}). */
export type Borders = {
  top?: number | Border;
  right?: number | Border;
  bottom?: number | Border;
  left?: number | Border;
  x?: number | Border;
  y?: number | Border;
};
/** Corner radius tokens. */
export type RadiusValue =
  | '2xs'
  | 'xs'
  | 'sm'
  | 'md'
  | 'lg'
  | 'xl'
  | '2xl'
  | '3xl'
  | '4xl'
  | 'full'
  | '100%'
  | 'none';
/** Cross-axis alignment. */
export type Alignment = 'start' | 'center' | 'end' | 'baseline' | 'stretch';
/** Main-axis distribution. */
export type Justification = 'start' | 'center' | 'end' | 'between' | 'around' | 'evenly' | 'stretch';
/** Button, select and input style variants. */
export type ControlVariant = 'solid' | 'soft' | 'outline' | 'ghost';
/** Button, select and input sizes. */
export type ControlSize = '3xs' | '2xs' | 'xs' | 'sm' | 'md' | 'lg' | 'xl' | '2xl' | '3xl';
/** Horizontal text alignment. */
export type TextAlign = 'start' | 'center' | 'end';
/** Body text sizes. */
export type TextSize = 'xs' | 'sm' | 'md' | 'lg' | 'xl';
/** Title sizes. */
export type TitleSize = 'sm' | 'md' | 'lg' | 'xl' | '2xl' | '3xl' | '4xl' | '5xl';
/** Caption sizes. */
export type CaptionSize = 'sm' | 'md' | 'lg';
/** Icon sizes. */
export type IconSize = 'xs' | 'sm' | 'md' | 'lg' | 'xl' | '2xl' | '3xl';
/** Font weights. */
export type FontWeight = 'normal' | 'medium' | 'semibold' | 'bold';
/** Input gutter sizes. */
export type GutterSize = '2xs' | 'xs' | 'sm' | 'md' | 'lg' | 'xl';
/** A status line above a card or list: text with a favicon or an icon. */
export type WidgetStatus =
  | { text: string; favicon?: string; frame?: boolean }
  | { text: string; icon?: IconName };

/**
 * What a widget sends when clicked, changed or submitted: `type` and `payload` reach the server's `action` handler
 * (`threads.custom_action`), or the client's `onAction` when `handler` is `client`. Build one with {@link widgetAction}.
 */
export type ActionConfig = {
  type: string;
  payload?: unknown;
  /** Who handles it. Default `server`. */
  handler?: 'client' | 'server';
  /** What shows as loading while it runs. Default `auto`. */
  loadingBehavior?: 'auto' | 'none' | 'self' | 'container';
  /** `false` sends `threads.sync_custom_action` (JSON) instead of the streaming request. */
  streaming?: boolean;
};
/** A confirm or cancel button in a card's footer. */
export type CardAction = { label: string; action: ActionConfig };
/** Size props shared by blocks (boxes, images, charts). */
export type BlockProps = {
  height?: number | string;
  width?: number | string;
  size?: number | string;
  minHeight?: number | string;
  minWidth?: number | string;
  minSize?: number | string;
  maxHeight?: number | string;
  maxWidth?: number | string;
  maxSize?: number | string;
  aspectRatio?: number | string;
  radius?: RadiusValue;
  margin?: number | string | Spacing;
};
/** Layout props of the flex containers (`Box`, `Row`, `Col`, `Form`). */
export type BoxProps = BlockProps & {
  children?: WidgetComponentNode[];
  align?: Alignment;
  justify?: Justification;
  wrap?: 'nowrap' | 'wrap' | 'wrap-reverse';
  flex?: number | string;
  gap?: number | string;
  padding?: number | string | Spacing;
  border?: number | Border | Borders;
  background?: WidgetColor;
};
/** Props every component has: `key` (list identity) and `id` (needed to stream a `Text`/`Markdown` value). */
export type ComponentBase = { key?: string; id?: string };
/** Typography props of `Title`, `Caption` and `Text`. */
export type TextProps = {
  value: string;
  color?: WidgetColor;
  weight?: FontWeight;
  textAlign?: TextAlign;
  truncate?: boolean;
  maxLines?: number;
};
/** One option of a `Select`. */
export type SelectOption = { value: string; label: string; disabled?: boolean; description?: string };
/** One option of a `RadioGroup`. */
export type RadioOption = { label: string; value: string; disabled?: boolean };
/** X axis of a `Chart`: a data key, or a config. */
export type XAxisConfig = { dataKey: string; hide?: boolean; labels?: Record<string, string> };
/** Interpolation of `area` and `line` series. */
export type CurveType =
  | 'basis'
  | 'basisClosed'
  | 'basisOpen'
  | 'bumpX'
  | 'bumpY'
  | 'bump'
  | 'linear'
  | 'linearClosed'
  | 'natural'
  | 'monotoneX'
  | 'monotoneY'
  | 'monotone'
  | 'step'
  | 'stepBefore'
  | 'stepAfter';
/** One series of a `Chart`. */
export type ChartSeries =
  | { type: 'bar'; label?: string; dataKey: string; stack?: string; color?: WidgetColor }
  | {
      type: 'area';
      label?: string;
      dataKey: string;
      stack?: string;
      color?: WidgetColor;
      curveType?: CurveType;
    }
  | { type: 'line'; label?: string; dataKey: string; color?: WidgetColor; curveType?: CurveType };

// ---------------------------------------------------------------------------------------------------------------
// Components (each a type alias, so it is assignable to the protocol's loose `WidgetRoot`/`WidgetComponent` JSON)
// ---------------------------------------------------------------------------------------------------------------

/** Root container with a header, padding, and confirm/cancel actions. */
export type Card = ComponentBase & {
  type: 'Card';
  children: WidgetComponentNode[];
  asForm?: boolean;
  background?: WidgetColor;
  border?: number | Border | Borders;
  size?: 'sm' | 'md' | 'lg' | 'full';
  padding?: number | string | Spacing;
  status?: WidgetStatus;
  collapsed?: boolean;
  confirm?: CardAction;
  cancel?: CardAction;
  theme?: 'light' | 'dark';
};
/** Root list of {@link ListViewItem}s with an optional "show more" limit. */
export type ListView = ComponentBase & {
  type: 'ListView';
  children: ListViewItem[];
  limit?: number | 'auto';
  status?: WidgetStatus;
  theme?: 'light' | 'dark';
};
/** Root layout that can nest components and other roots. */
export type Basic = ComponentBase & {
  type: 'Basic';
  children: (WidgetComponentNode | WidgetRootNode)[];
  theme?: 'light' | 'dark';
  direction?: 'row' | 'col';
  gap?: number | string;
  padding?: number | string | Spacing;
  align?: Alignment;
  justify?: Justification;
};
/** One row of a {@link ListView}. */
export type ListViewItem = ComponentBase & {
  type: 'ListViewItem';
  children: WidgetComponentNode[];
  onClickAction?: ActionConfig;
  gap?: number | string;
  align?: Alignment;
};
/** Flex container with a direction. */
export type Box = ComponentBase & BoxProps & { type: 'Box'; direction?: 'row' | 'col' };
/** Horizontal flex container. */
export type Row = ComponentBase & BoxProps & { type: 'Row' };
/** Vertical flex container. */
export type Col = ComponentBase & BoxProps & { type: 'Col' };
/** A form: its controls' values are sent with `onSubmitAction`. */
export type Form = ComponentBase &
  BoxProps & { type: 'Form'; onSubmitAction?: ActionConfig; direction?: 'row' | 'col' };
/** Plain text; with an `id`, its `value` can stream (`widget.streaming_text.value_delta`). */
export type Text = ComponentBase &
  TextProps & {
    type: 'Text';
    streaming?: boolean;
    italic?: boolean;
    lineThrough?: boolean;
    width?: number | string;
    size?: TextSize;
    minLines?: number;
    editable?:
      | false
      | {
          name: string;
          autoFocus?: boolean;
          autoSelect?: boolean;
          autoComplete?: string;
          allowAutofillExtensions?: boolean;
          pattern?: string;
          placeholder?: string;
          required?: boolean;
        };
  };
/** Headline text. */
export type Title = ComponentBase & TextProps & { type: 'Title'; size?: TitleSize };
/** Supporting text. */
export type Caption = ComponentBase & TextProps & { type: 'Caption'; size?: CaptionSize };
/** Markdown; with an `id`, its `value` can stream. */
export type Markdown = ComponentBase & { type: 'Markdown'; value: string; streaming?: boolean };
/** A small status label. */
export type Badge = ComponentBase & {
  type: 'Badge';
  label: string;
  color?: 'secondary' | 'success' | 'danger' | 'warning' | 'info' | 'discovery';
  variant?: 'solid' | 'soft' | 'outline';
  size?: 'sm' | 'md' | 'lg';
  pill?: boolean;
};
/** A button, usually with an `onClickAction`. */
export type Button = ComponentBase & {
  type: 'Button';
  submit?: boolean;
  label?: string;
  onClickAction?: ActionConfig;
  iconStart?: IconName;
  iconEnd?: IconName;
  style?: 'primary' | 'secondary';
  iconSize?: 'sm' | 'md' | 'lg' | 'xl' | '2xl';
  color?: 'primary' | 'secondary' | 'info' | 'discovery' | 'success' | 'caution' | 'warning' | 'danger';
  variant?: ControlVariant;
  size?: ControlSize;
  pill?: boolean;
  uniform?: boolean;
  block?: boolean;
  disabled?: boolean;
};
/** A built-in icon. */
export type Icon = ComponentBase & { type: 'Icon'; name: IconName; color?: WidgetColor; size?: IconSize };
/** An image. */
export type Image = ComponentBase &
  BlockProps & {
    type: 'Image';
    src: string;
    alt?: string;
    fit?: 'cover' | 'contain' | 'fill' | 'scale-down' | 'none';
    position?:
      | 'top left'
      | 'top'
      | 'top right'
      | 'left'
      | 'center'
      | 'right'
      | 'bottom left'
      | 'bottom'
      | 'bottom right';
    frame?: boolean;
    flush?: boolean;
    background?: WidgetColor;
    flex?: number | string;
  };
/** A separator line. */
export type Divider = ComponentBase & {
  type: 'Divider';
  color?: WidgetColor;
  size?: number | string;
  spacing?: number | string;
  flush?: boolean;
};
/** Flexible space. */
export type Spacer = ComponentBase & { type: 'Spacer'; minSize?: number | string };
/** A single-line text input. */
export type Input = ComponentBase & {
  type: 'Input';
  name: string;
  inputType?: 'number' | 'email' | 'text' | 'password' | 'tel' | 'url';
  defaultValue?: string;
  required?: boolean;
  pattern?: string;
  placeholder?: string;
  allowAutofillExtensions?: boolean;
  autoSelect?: boolean;
  autoFocus?: boolean;
  disabled?: boolean;
  variant?: 'soft' | 'outline';
  size?: ControlSize;
  gutterSize?: GutterSize;
  pill?: boolean;
};
/** A multi-line text input. */
export type Textarea = ComponentBase & {
  type: 'Textarea';
  name: string;
  defaultValue?: string;
  required?: boolean;
  pattern?: string;
  placeholder?: string;
  autoSelect?: boolean;
  autoFocus?: boolean;
  disabled?: boolean;
  variant?: 'soft' | 'outline';
  size?: ControlSize;
  gutterSize?: GutterSize;
  rows?: number;
  autoResize?: boolean;
  maxRows?: number;
  allowAutofillExtensions?: boolean;
};
/** A dropdown. */
export type Select = ComponentBase & {
  type: 'Select';
  name: string;
  options: SelectOption[];
  onChangeAction?: ActionConfig;
  placeholder?: string;
  defaultValue?: string;
  variant?: ControlVariant;
  size?: ControlSize;
  pill?: boolean;
  block?: boolean;
  clearable?: boolean;
  disabled?: boolean;
};
/** A checkbox. */
export type Checkbox = ComponentBase & {
  type: 'Checkbox';
  name: string;
  label?: string;
  defaultChecked?: boolean;
  onChangeAction?: ActionConfig;
  disabled?: boolean;
  required?: boolean;
};
/** A group of radio buttons. */
export type RadioGroup = ComponentBase & {
  type: 'RadioGroup';
  name: string;
  options?: RadioOption[];
  ariaLabel?: string;
  onChangeAction?: ActionConfig;
  defaultValue?: string;
  direction?: 'row' | 'col';
  disabled?: boolean;
  required?: boolean;
};
/** A date picker; dates are ISO-8601 strings. */
export type DatePicker = ComponentBase & {
  type: 'DatePicker';
  name: string;
  onChangeAction?: ActionConfig;
  placeholder?: string;
  defaultValue?: string;
  min?: string;
  max?: string;
  variant?: ControlVariant;
  size?: ControlSize;
  side?: 'top' | 'bottom' | 'left' | 'right';
  align?: 'start' | 'center' | 'end';
  pill?: boolean;
  block?: boolean;
  clearable?: boolean;
  disabled?: boolean;
};
/** A label for a form field. */
export type Label = ComponentBase & {
  type: 'Label';
  value: string;
  fieldName: string;
  size?: TextSize;
  weight?: FontWeight;
  textAlign?: TextAlign;
  color?: WidgetColor;
};
/** A bar, area or line chart. */
export type Chart = ComponentBase &
  BlockProps & {
    type: 'Chart';
    data: Record<string, string | number>[];
    series: ChartSeries[];
    xAxis: string | XAxisConfig;
    showYAxis?: boolean;
    showLegend?: boolean;
    showTooltip?: boolean;
    barGap?: number;
    barCategoryGap?: number;
    flex?: number | string;
  };
/** Animates layout changes of its one child. */
export type Transition = ComponentBase & { type: 'Transition'; children: WidgetComponentNode | null };
/** Any component or prop set this version does not type (e.g. `Table`), built with {@link widgetComponent}. */
export type DynamicComponent = ComponentBase & { type: string; [prop: string]: unknown };

/** A widget root: what a `widget` thread item shows. */
export type WidgetRootNode = Card | ListView | Basic;
/** Any widget component that can appear inside a root. */
export type WidgetComponentNode =
  | Text
  | Title
  | Caption
  | Chart
  | Badge
  | Markdown
  | Box
  | Row
  | Col
  | Divider
  | Icon
  | Image
  | ListViewItem
  | Button
  | Checkbox
  | Spacer
  | Select
  | DatePicker
  | Form
  | Input
  | Label
  | RadioGroup
  | Textarea
  | Transition
  | DynamicComponent;

// ---------------------------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------------------------

/** A component's props: everything but `type`. */
export type PropsOf<T extends { type: string }> = Omit<T, 'type'>;

function builder<T extends { type: string }>(type: T['type']): (props: PropsOf<T>) => T {
  return (props) => ({ type, ...props }) as T;
}

/** Builds a component of any `type` with any props: the escape hatch for what the typed builders do not cover. */
export function widgetComponent<TType extends string>(
  type: TType,
  props: ComponentBase & Record<string, unknown> = {},
): DynamicComponent & { type: TType } {
  return { type, ...props };
}

/**
 * An {@link ActionConfig} with the reference defaults filled in (`handler: 'server'`, `loadingBehavior: 'auto'`), as
 * chatkit-python's `Action.create()` sends it.
 */
export function widgetAction(
  type: string,
  payload?: unknown,
  options: Pick<ActionConfig, 'handler' | 'loadingBehavior' | 'streaming'> = {},
): ActionConfig {
  return {
    type,
    ...(payload === undefined ? {} : { payload }),
    handler: options.handler ?? 'server',
    loadingBehavior: options.loadingBehavior ?? 'auto',
    ...(options.streaming === undefined ? {} : { streaming: options.streaming }),
  };
}

export const Card = builder<Card>('Card');
export const ListView = builder<ListView>('ListView');
export const Basic = builder<Basic>('Basic');
export const ListViewItem = builder<ListViewItem>('ListViewItem');
export const Box = builder<Box>('Box');
export const Row = builder<Row>('Row');
export const Col = builder<Col>('Col');
export const Form = builder<Form>('Form');
export const Text = builder<Text>('Text');
export const Title = builder<Title>('Title');
export const Caption = builder<Caption>('Caption');
export const Markdown = builder<Markdown>('Markdown');
export const Badge = builder<Badge>('Badge');
export const Button = builder<Button>('Button');
export const Icon = builder<Icon>('Icon');
export const Image = builder<Image>('Image');
export const Divider = builder<Divider>('Divider');
export const Spacer = builder<Spacer>('Spacer');
export const Input = builder<Input>('Input');
export const Textarea = builder<Textarea>('Textarea');
export const Select = builder<Select>('Select');
export const Checkbox = builder<Checkbox>('Checkbox');
export const RadioGroup = builder<RadioGroup>('RadioGroup');
export const DatePicker = builder<DatePicker>('DatePicker');
export const Label = builder<Label>('Label');
export const Chart = builder<Chart>('Chart');
export const Transition = builder<Transition>('Transition');

/** Every component type with a typed builder here. */
export const WIDGET_COMPONENT_TYPES = [
  'Card',
  'ListView',
  'Basic',
  'ListViewItem',
  'Box',
  'Row',
  'Col',
  'Form',
  'Text',
  'Title',
  'Caption',
  'Markdown',
  'Badge',
  'Button',
  'Icon',
  'Image',
  'Divider',
  'Spacer',
  'Input',
  'Textarea',
  'Select',
  'Checkbox',
  'RadioGroup',
  'DatePicker',
  'Label',
  'Chart',
  'Transition',
] as const;
