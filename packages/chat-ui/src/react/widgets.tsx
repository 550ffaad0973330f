import {
  Component,
  type CSSProperties,
  createContext,
  type FormEvent,
  type ReactNode,
  useContext,
  useState,
} from 'react';
import type { WidgetNode } from '../client/types';
import { childrenOf } from '../state/widgets';
import { Icon } from './icons';
import { Markdown } from './markdown';

/** A widget action as the JSON carries it (`ActionConfig`): `handler`, `loadingBehavior`, `streaming` are optional. */
export interface WidgetActionConfig {
  type: string;
  payload?: unknown;
  handler?: 'client' | 'server';
  loadingBehavior?: 'auto' | 'none' | 'self' | 'container';
  streaming?: boolean;
}

/** What the widget tree needs from the message it is in. */
interface WidgetEnvironment {
  /** Unique prefix for element ids (form fields, labels). */
  idPrefix: string;
  /** Sends an action; `values` are the enclosing form's fields (merged into the payload). */
  onAction(action: WidgetActionConfig, values?: Record<string, unknown>): Promise<void>;
  /** True while an action of this widget runs. */
  busy: boolean;
}

const WidgetContext = createContext<WidgetEnvironment>({
  idPrefix: 'rk-widget',
  onAction: async () => {},
  busy: false,
});

const SPACING_UNIT_PX = 4;
const space = (value: unknown): string | undefined =>
  typeof value === 'number' ? `${value * SPACING_UNIT_PX}px` : typeof value === 'string' ? value : undefined;
const size = (value: unknown): string | undefined =>
  typeof value === 'number' ? `${value}px` : typeof value === 'string' ? value : undefined;

const HUES: Record<string, [number, number]> = {
  red: [0, 75],
  orange: [28, 85],
  yellow: [45, 90],
  green: [140, 55],
  teal: [175, 60],
  blue: [215, 75],
  indigo: [235, 60],
  purple: [270, 55],
  pink: [330, 70],
  gray: [220, 10],
  grey: [220, 10],
};

/** A ChatKit color value: a token (`secondary`, `surface`), a primitive (`blue-500`), `{ light, dark }`, or CSS. */
export function widgetColor(
  value: unknown,
  kind: 'text' | 'background' | 'border' = 'text',
): string | undefined {
  if (value && typeof value === 'object') {
    const { light, dark } = value as { light?: unknown; dark?: unknown };
    const lightColor = widgetColor(light, kind);
    const darkColor = widgetColor(dark, kind);
    if (lightColor && darkColor) return `light-dark(${lightColor}, ${darkColor})`;
    return lightColor ?? darkColor;
  }
  if (typeof value !== 'string' || value === '') return undefined;
  const primitive = /^([a-z]+)-(\d{2,3})$/.exec(value);
  if (primitive && HUES[primitive[1]!]) {
    const [hue, saturation] = HUES[primitive[1]!]!;
    const level = Number(primitive[2]);
    const lightness = Math.max(12, Math.min(97, 100 - level / 10.5));
    return `hsl(${hue} ${saturation}% ${lightness.toFixed(0)}%)`;
  }
  if (/^[a-z-]+$/.test(value) && !['transparent', 'currentcolor', 'inherit'].includes(value))
    return `var(--rk-w-${kind}-${value}, var(--rk-w-${value}, ${value}))`;
  return value;
}

const RADII: Record<string, string> = {
  none: '0',
  '2xs': '2px',
  xs: '4px',
  sm: '6px',
  md: '8px',
  lg: '12px',
  xl: '16px',
  '2xl': '20px',
  '3xl': '24px',
  '4xl': '32px',
  full: '9999px',
  '100%': '100%',
};

const JUSTIFY: Record<string, string> = {
  start: 'flex-start',
  end: 'flex-end',
  center: 'center',
  between: 'space-between',
  around: 'space-around',
  evenly: 'space-evenly',
  stretch: 'stretch',
};
const ALIGN: Record<string, string> = {
  start: 'flex-start',
  end: 'flex-end',
  center: 'center',
  baseline: 'baseline',
  stretch: 'stretch',
};

function spacing(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const sides = value as Record<string, unknown>;
    const pick = (side: string, axis: string) => space(sides[side] ?? sides[axis] ?? 0) ?? '0';
    return `${pick('top', 'y')} ${pick('right', 'x')} ${pick('bottom', 'y')} ${pick('left', 'x')}`;
  }
  return space(value);
}

function border(value: unknown): CSSProperties {
  if (typeof value === 'number') return { border: `${value}px solid var(--rk-border)` };
  if (!value || typeof value !== 'object') return {};
  const spec = value as Record<string, unknown>;
  if (typeof spec.size === 'number')
    return {
      border: `${spec.size}px ${typeof spec.style === 'string' ? spec.style : 'solid'} ${widgetColor(spec.color, 'border') ?? 'var(--rk-border)'}`,
    };
  return { border: '1px solid var(--rk-border)' };
}

/** Box-model props shared by the layout components (`BoxBase` of the widget spec). */
function boxStyle(node: WidgetNode, direction: 'row' | 'column'): CSSProperties {
  const style: CSSProperties = { display: 'flex', flexDirection: direction };
  const gap = space(node.gap);
  if (gap) style.gap = gap;
  if (typeof node.align === 'string') style.alignItems = ALIGN[node.align] ?? node.align;
  if (typeof node.justify === 'string') style.justifyContent = JUSTIFY[node.justify] ?? node.justify;
  if (typeof node.wrap === 'string') style.flexWrap = node.wrap as CSSProperties['flexWrap'];
  if (node.flex !== undefined) style.flex = node.flex as CSSProperties['flex'];
  const padding = spacing(node.padding);
  if (padding) style.padding = padding;
  const margin = spacing(node.margin);
  if (margin) style.margin = margin;
  for (const key of ['width', 'height', 'minWidth', 'minHeight', 'maxWidth', 'maxHeight'] as const) {
    const value = size(node[key]);
    if (value) style[key] = value;
  }
  if (node.size !== undefined) style.width = style.height = size(node.size);
  if (typeof node.radius === 'string') style.borderRadius = RADII[node.radius] ?? node.radius;
  const background = widgetColor(node.background, 'background');
  if (background) style.background = background;
  if (node.aspectRatio !== undefined) style.aspectRatio = String(node.aspectRatio);
  return { ...style, ...border(node.border) };
}

function textStyle(node: WidgetNode): CSSProperties {
  const style: CSSProperties = {};
  const color = widgetColor(node.color);
  if (color) style.color = color;
  if (typeof node.textAlign === 'string') style.textAlign = node.textAlign as CSSProperties['textAlign'];
  if (node.italic === true) style.fontStyle = 'italic';
  if (node.lineThrough === true) style.textDecoration = 'line-through';
  if (typeof node.maxLines === 'number') {
    style.display = '-webkit-box';
    style.WebkitLineClamp = node.maxLines;
    style.WebkitBoxOrient = 'vertical';
    style.overflow = 'hidden';
  }
  if (node.width !== undefined) style.width = size(node.width);
  return style;
}

const classes = (...names: (string | false | undefined | null)[]) => names.filter(Boolean).join(' ');

function Children({ node }: { node: WidgetNode }) {
  return (
    <>
      {childrenOf(node).map((child, index) => (
        <WidgetNodeView key={child.key ?? child.id ?? index} node={child} />
      ))}
    </>
  );
}

/** Values of a form's named fields (checkbox groups and multi-selects become arrays). */
function formValues(form: HTMLFormElement): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const element of Array.from(form.elements)) {
    const field = element as HTMLInputElement;
    if (!field.name || field.disabled) continue;
    if (field.type === 'checkbox') values[field.name] = field.checked;
    else if (field.type === 'radio') {
      if (field.checked) values[field.name] = field.value;
    } else values[field.name] = field.value;
  }
  return values;
}

function ActionForm({
  action,
  className,
  style,
  children,
}: {
  action: WidgetActionConfig | undefined;
  className: string;
  style?: CSSProperties;
  children: ReactNode;
}) {
  const { onAction } = useContext(WidgetContext);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const chosen = submitter?.dataset.action
      ? (JSON.parse(submitter.dataset.action) as WidgetActionConfig)
      : action;
    if (chosen) void onAction(chosen, formValues(event.currentTarget));
  };
  return (
    <form className={className} style={style} onSubmit={submit} noValidate={false}>
      {children}
    </form>
  );
}

function WidgetButton({ node }: { node: WidgetNode }) {
  const { onAction, busy } = useContext(WidgetContext);
  const action = node.onClickAction as WidgetActionConfig | undefined;
  const label = typeof node.label === 'string' ? node.label : undefined;
  const icon = typeof node.iconStart === 'string' ? node.iconStart : undefined;
  const submit = node.submit === true;
  const color =
    typeof node.color === 'string' ? node.color : node.style === 'secondary' ? 'secondary' : 'primary';
  const variant =
    typeof node.variant === 'string' ? node.variant : node.style === 'secondary' ? 'outline' : 'solid';
  return (
    <button
      type={submit ? 'submit' : 'button'}
      className={classes(
        'rk-w-button',
        `rk-w-button-${color}`,
        `rk-w-button-${variant}`,
        node.pill === true && 'rk-w-pill',
        node.block === true && 'rk-w-block',
        typeof node.size === 'string' && `rk-w-size-${node.size}`,
      )}
      disabled={node.disabled === true || busy}
      aria-label={label ? undefined : (icon ?? 'Button')}
      data-action={submit && action ? JSON.stringify(action) : undefined}
      onClick={submit || !action ? undefined : () => void onAction(action)}
    >
      {icon ? <Icon name={icon} /> : null}
      {label ? <span>{label}</span> : null}
      {typeof node.iconEnd === 'string' ? <Icon name={node.iconEnd} /> : null}
    </button>
  );
}

function fieldId(prefix: string, name: unknown) {
  return `${prefix}-field-${String(name ?? 'field').replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function useChangeAction(node: WidgetNode) {
  const { onAction } = useContext(WidgetContext);
  const action = node.onChangeAction as WidgetActionConfig | undefined;
  return (value: unknown) => {
    if (!action) return;
    const name = typeof node.name === 'string' ? node.name : 'value';
    const payload =
      action.payload && typeof action.payload === 'object' ? { ...(action.payload as object) } : {};
    void onAction({ ...action, payload: { ...payload, [name]: value } });
  };
}

function SimpleChart({ node }: { node: WidgetNode }) {
  const data = Array.isArray(node.data) ? (node.data as Record<string, unknown>[]) : [];
  const series = Array.isArray(node.series)
    ? (node.series as { type?: string; dataKey?: string; label?: string; color?: unknown }[])
    : [];
  const xKey =
    typeof node.xAxis === 'string' ? node.xAxis : (node.xAxis as { dataKey?: string } | undefined)?.dataKey;
  const values = series.flatMap((entry) => data.map((row) => Number(row[entry.dataKey ?? '']) || 0));
  const max = Math.max(1, ...values);
  const width = 320;
  const height = 160;
  const band = data.length > 0 ? width / data.length : width;
  const palette = ['blue-500', 'purple-500', 'orange-500', 'green-500', 'red-500', 'yellow-500', 'pink-500'];
  const summary = data
    .map(
      (row) =>
        `${String(row[xKey ?? ''] ?? '')}: ${series.map((entry) => `${entry.label ?? entry.dataKey} ${row[entry.dataKey ?? '']}`).join(', ')}`,
    )
    .join('; ');
  return (
    <figure className="rk-w-chart" role="img" aria-label={`Chart. ${summary}`}>
      <svg viewBox={`0 0 ${width} ${height + 20}`} preserveAspectRatio="none" aria-hidden="true">
        {series.map((entry, seriesIndex) => {
          const color = widgetColor(entry.color ?? palette[seriesIndex % palette.length], 'background');
          const point = (row: Record<string, unknown>, index: number) =>
            [
              band * index + band / 2,
              height - ((Number(row[entry.dataKey ?? '']) || 0) / max) * (height - 8),
            ] as const;
          if (entry.type === 'line' || entry.type === 'area')
            return (
              <polyline
                key={entry.dataKey ?? seriesIndex}
                points={data.map((row, index) => point(row, index).join(',')).join(' ')}
                fill="none"
                stroke={color}
                strokeWidth={2}
              />
            );
          const barWidth = (band * 0.7) / Math.max(1, series.length);
          return data.map((row, index) => {
            const [, y] = point(row, index);
            return (
              <rect
                key={`${entry.dataKey}-${String(row[xKey ?? ''] ?? index)}`}
                x={band * index + band * 0.15 + barWidth * seriesIndex}
                y={y}
                width={barWidth}
                height={height - y}
                fill={color}
              />
            );
          });
        })}
        {data.map((row, index) => (
          <text
            key={String(row[xKey ?? ''] ?? index)}
            x={band * index + band / 2}
            y={height + 14}
            textAnchor="middle"
            fontSize="10"
            fill="currentColor"
          >
            {String(row[xKey ?? ''] ?? '')}
          </text>
        ))}
      </svg>
    </figure>
  );
}

/** One widget component; unknown types render nothing. */
function WidgetNodeView({ node }: { node: WidgetNode }): ReactNode {
  const { idPrefix, busy } = useContext(WidgetContext);
  switch (node.type) {
    case 'Card': {
      const confirm = node.confirm as { label?: string; action?: WidgetActionConfig } | undefined;
      const cancel = node.cancel as { label?: string; action?: WidgetActionConfig } | undefined;
      const style = boxStyle(node, 'column');
      const footer =
        confirm || cancel ? (
          <div className="rk-w-card-actions">
            {cancel?.action ? (
              <button
                type="submit"
                className="rk-w-button rk-w-button-secondary rk-w-button-outline"
                disabled={busy}
                data-action={JSON.stringify(cancel.action)}
              >
                {cancel.label ?? 'Cancel'}
              </button>
            ) : null}
            {confirm?.action ? (
              <button
                type="submit"
                className="rk-w-button rk-w-button-primary rk-w-button-solid"
                disabled={busy}
                data-action={JSON.stringify(confirm.action)}
              >
                {confirm.label ?? 'Confirm'}
              </button>
            ) : null}
          </div>
        ) : null;
      const body = (
        <>
          <WidgetStatus node={node} />
          {node.collapsed === true ? null : <Children node={node} />}
          {footer}
        </>
      );
      const className = classes('rk-w-card', typeof node.size === 'string' && `rk-w-card-${node.size}`);
      return node.asForm === true || footer ? (
        <ActionForm action={undefined} className={className} style={style}>
          {body}
        </ActionForm>
      ) : (
        <div className={className} style={style}>
          {body}
        </div>
      );
    }
    case 'ListView': {
      return <ListView node={node} />;
    }
    case 'ListViewItem': {
      const action = node.onClickAction as WidgetActionConfig | undefined;
      const style = boxStyle(node, 'row');
      if (!action)
        return (
          <li className="rk-w-listitem" style={style}>
            <Children node={node} />
          </li>
        );
      return (
        <li className="rk-w-listitem">
          <ListItemButton node={node} action={action} style={style} />
        </li>
      );
    }
    case 'Basic':
    case 'Col':
      return (
        <div className={node.type === 'Basic' ? 'rk-w-basic' : 'rk-w-col'} style={boxStyle(node, 'column')}>
          <Children node={node} />
        </div>
      );
    case 'Row':
      return (
        <div className="rk-w-row" style={boxStyle(node, 'row')}>
          <Children node={node} />
        </div>
      );
    case 'Box':
      return (
        <div className="rk-w-box" style={boxStyle(node, node.direction === 'row' ? 'row' : 'column')}>
          <Children node={node} />
        </div>
      );
    case 'Form':
      return (
        <ActionForm
          action={node.onSubmitAction as WidgetActionConfig | undefined}
          className="rk-w-form"
          style={boxStyle(node, node.direction === 'row' ? 'row' : 'column')}
        >
          <Children node={node} />
        </ActionForm>
      );
    case 'Text':
      return (
        <p
          className={classes(
            'rk-w-text',
            typeof node.size === 'string' && `rk-w-text-${node.size}`,
            typeof node.weight === 'string' && `rk-w-weight-${node.weight}`,
            node.truncate === true && 'rk-w-truncate',
            node.streaming === true && 'rk-w-streaming',
          )}
          style={textStyle(node)}
        >
          {String(node.value ?? '')}
        </p>
      );
    case 'Title':
      return (
        <p
          className={classes(
            'rk-w-title',
            typeof node.size === 'string' && `rk-w-title-${node.size}`,
            typeof node.weight === 'string' && `rk-w-weight-${node.weight}`,
            node.truncate === true && 'rk-w-truncate',
          )}
          style={textStyle(node)}
        >
          {String(node.value ?? '')}
        </p>
      );
    case 'Caption':
      return (
        <p
          className={classes('rk-w-caption', typeof node.size === 'string' && `rk-w-caption-${node.size}`)}
          style={textStyle(node)}
        >
          {String(node.value ?? '')}
        </p>
      );
    case 'Markdown':
      return <Markdown text={String(node.value ?? '')} />;
    case 'Badge':
      return (
        <span
          className={classes(
            'rk-w-badge',
            `rk-w-badge-${typeof node.color === 'string' ? node.color : 'secondary'}`,
            `rk-w-badge-${typeof node.variant === 'string' ? node.variant : 'soft'}`,
            node.pill === true && 'rk-w-pill',
          )}
        >
          {String(node.label ?? '')}
        </span>
      );
    case 'Button':
      return <WidgetButton node={node} />;
    case 'Icon': {
      const iconSizes: Record<string, number> = {
        xs: 12,
        sm: 14,
        md: 16,
        lg: 20,
        xl: 24,
        '2xl': 28,
        '3xl': 32,
      };
      return (
        <span className="rk-w-icon" style={{ color: widgetColor(node.color) }}>
          <Icon name={String(node.name ?? 'dot')} size={iconSizes[String(node.size)] ?? 16} />
        </span>
      );
    }
    case 'Image': {
      const style: CSSProperties = {
        objectFit: (node.fit as CSSProperties['objectFit']) ?? 'cover',
        objectPosition: typeof node.position === 'string' ? node.position : undefined,
        borderRadius: typeof node.radius === 'string' ? (RADII[node.radius] ?? node.radius) : undefined,
        width: size(node.width ?? node.size),
        height: size(node.height ?? node.size),
        maxWidth: size(node.maxWidth) ?? '100%',
        aspectRatio: node.aspectRatio === undefined ? undefined : String(node.aspectRatio),
        flex: node.flex as CSSProperties['flex'],
      };
      return typeof node.src === 'string' ? (
        <img
          className={classes('rk-w-image', node.frame === true && 'rk-w-frame')}
          src={node.src}
          alt={typeof node.alt === 'string' ? node.alt : ''}
          loading="lazy"
          style={style}
        />
      ) : null;
    }
    case 'Divider':
      return (
        <hr
          className="rk-w-divider"
          style={{
            borderColor: widgetColor(node.color, 'border'),
            borderTopWidth: size(node.size),
            marginBlock: space(node.spacing),
          }}
        />
      );
    case 'Spacer':
      return (
        <div
          className="rk-w-spacer"
          style={{ flex: 1, minWidth: size(node.minSize), minHeight: size(node.minSize) }}
        />
      );
    case 'Label':
      return (
        <label className="rk-w-label" htmlFor={fieldId(idPrefix, node.fieldName)} style={textStyle(node)}>
          {String(node.value ?? '')}
        </label>
      );
    case 'Input':
      return <InputField node={node} />;
    case 'Textarea':
      return <InputField node={node} multiline />;
    case 'Select':
      return <SelectField node={node} />;
    case 'Checkbox':
      return <CheckboxField node={node} />;
    case 'RadioGroup':
      return <RadioField node={node} />;
    case 'DatePicker':
      return <InputField node={{ ...node, inputType: 'date' }} />;
    case 'Chart':
      return <SimpleChart node={node} />;
    case 'Transition':
      return <Children node={node} />;
    default:
      return null;
  }
}

function WidgetStatus({ node }: { node: WidgetNode }) {
  const status = node.status as { text?: string; icon?: string; favicon?: string } | undefined;
  if (!status?.text) return null;
  return (
    <p className="rk-w-status">
      {status.icon ? <Icon name={status.icon} /> : null}
      {status.text}
    </p>
  );
}

function ListView({ node }: { node: WidgetNode }) {
  const items = childrenOf(node);
  const limit = typeof node.limit === 'number' ? node.limit : items.length;
  const [showAll, setShowAll] = useState(false);
  const visible = showAll ? items : items.slice(0, limit);
  return (
    <div className="rk-w-listview">
      <WidgetStatus node={node} />
      <ul>
        {visible.map((child, index) => (
          <WidgetNodeView key={child.key ?? child.id ?? index} node={child} />
        ))}
      </ul>
      {visible.length < items.length ? (
        <button type="button" className="rk-link-button" onClick={() => setShowAll(true)}>
          Show {items.length - visible.length} more
        </button>
      ) : null}
    </div>
  );
}

function ListItemButton({
  node,
  action,
  style,
}: {
  node: WidgetNode;
  action: WidgetActionConfig;
  style: CSSProperties;
}) {
  const { onAction, busy } = useContext(WidgetContext);
  return (
    <button
      type="button"
      className="rk-w-listitem-button"
      style={style}
      disabled={busy}
      onClick={() => void onAction(action)}
    >
      <Children node={node} />
    </button>
  );
}

function accessibleName(node: WidgetNode): string {
  for (const key of ['ariaLabel', 'label', 'placeholder', 'name'])
    if (typeof node[key] === 'string' && node[key] !== '') return node[key] as string;
  return 'Field';
}

function InputField({ node, multiline = false }: { node: WidgetNode; multiline?: boolean }) {
  const { idPrefix, busy } = useContext(WidgetContext);
  const change = useChangeAction(node);
  const common = {
    id: fieldId(idPrefix, node.name),
    name: typeof node.name === 'string' ? node.name : undefined,
    defaultValue:
      typeof node.defaultValue === 'string'
        ? node.defaultValue.slice(0, node.inputType === 'date' ? 10 : undefined)
        : undefined,
    placeholder: typeof node.placeholder === 'string' ? node.placeholder : undefined,
    required: node.required === true,
    disabled: node.disabled === true || busy,
    'aria-label': accessibleName(node),
    className: classes('rk-w-input', node.pill === true && 'rk-w-pill'),
  };
  if (multiline)
    return (
      <textarea
        {...common}
        rows={typeof node.rows === 'number' ? node.rows : 3}
        onBlur={(event) => change(event.target.value)}
      />
    );
  return (
    <input
      {...common}
      type={typeof node.inputType === 'string' ? node.inputType : 'text'}
      pattern={typeof node.pattern === 'string' ? node.pattern : undefined}
      min={typeof node.min === 'string' ? node.min.slice(0, 10) : undefined}
      max={typeof node.max === 'string' ? node.max.slice(0, 10) : undefined}
      onChange={node.inputType === 'date' ? (event) => change(event.target.value) : undefined}
      onBlur={
        node.inputType === 'date' ? undefined : (event) => node.onChangeAction && change(event.target.value)
      }
    />
  );
}

function SelectField({ node }: { node: WidgetNode }) {
  const { idPrefix, busy } = useContext(WidgetContext);
  const change = useChangeAction(node);
  const options = Array.isArray(node.options)
    ? (node.options as { value: string; label?: string; disabled?: boolean }[])
    : [];
  return (
    <select
      id={fieldId(idPrefix, node.name)}
      name={typeof node.name === 'string' ? node.name : undefined}
      className={classes('rk-w-input', node.block === true && 'rk-w-block')}
      defaultValue={typeof node.defaultValue === 'string' ? node.defaultValue : ''}
      disabled={node.disabled === true || busy}
      aria-label={accessibleName(node)}
      onChange={(event) => change(event.target.value)}
    >
      <option value="" disabled>
        {typeof node.placeholder === 'string' ? node.placeholder : 'Choose…'}
      </option>
      {options.map((option) => (
        <option key={option.value} value={option.value} disabled={option.disabled === true}>
          {option.label ?? option.value}
        </option>
      ))}
    </select>
  );
}

function CheckboxField({ node }: { node: WidgetNode }) {
  const { idPrefix, busy } = useContext(WidgetContext);
  const change = useChangeAction(node);
  return (
    <label className="rk-w-checkbox">
      <input
        type="checkbox"
        id={fieldId(idPrefix, node.name)}
        name={typeof node.name === 'string' ? node.name : undefined}
        defaultChecked={node.defaultChecked === true}
        disabled={node.disabled === true || busy}
        required={node.required === true}
        onChange={(event) => change(event.target.checked)}
      />
      <span>{typeof node.label === 'string' ? node.label : String(node.name ?? '')}</span>
    </label>
  );
}

function RadioField({ node }: { node: WidgetNode }) {
  const { idPrefix, busy } = useContext(WidgetContext);
  const change = useChangeAction(node);
  const options = Array.isArray(node.options)
    ? (node.options as { value: string; label?: string; disabled?: boolean }[])
    : [];
  const name = typeof node.name === 'string' ? node.name : `${idPrefix}-radio`;
  return (
    <div
      role="radiogroup"
      aria-label={accessibleName({ ...node, label: undefined })}
      className={classes('rk-w-radiogroup', node.direction === 'row' && 'rk-w-radiogroup-row')}
    >
      {options.map((option) => (
        <label key={option.value} className="rk-w-radio">
          <input
            type="radio"
            name={name}
            value={option.value}
            defaultChecked={node.defaultValue === option.value}
            disabled={node.disabled === true || option.disabled === true || busy}
            onChange={() => change(option.value)}
          />
          <span>{option.label ?? option.value}</span>
        </label>
      ))}
    </div>
  );
}

/** Keeps one bad widget from taking the whole thread down: a render error shows a short note instead. */
class WidgetBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? (
      <p className="rk-muted">This widget could not be shown.</p>
    ) : (
      this.props.children
    );
  }
}

/** Props of {@link Widget}. */
export interface WidgetProps {
  /** The widget root (`Card`, `ListView`, `Basic`) or any component. */
  widget: WidgetNode;
  /** Unique per widget on the page (form field ids derive from it). */
  idPrefix: string;
  /** Sends an action (the enclosing form's values are merged into the payload). */
  onAction(action: WidgetActionConfig): Promise<void>;
}

/**
 * Renders a ChatKit widget tree (the component set of chatkit-python's `widgets.py`): Card, ListView, ListViewItem,
 * Basic, Box, Row, Col, Form, Text, Title, Caption, Markdown, Badge, Button, Icon, Image, Divider, Spacer, Label,
 * Input, Textarea, Select, Checkbox, RadioGroup, DatePicker, Chart (simple bars and lines), Transition. Unknown
 * components render nothing; a broken one never crashes the page.
 */
export function Widget({ widget, idPrefix, onAction }: WidgetProps) {
  const [busy, setBusy] = useState(false);
  const environment: WidgetEnvironment = {
    idPrefix,
    busy,
    async onAction(action, values) {
      const payload =
        values === undefined
          ? action.payload
          : {
              ...(action.payload && typeof action.payload === 'object' ? (action.payload as object) : {}),
              ...values,
            };
      const loading = action.loadingBehavior !== 'none';
      if (loading) setBusy(true);
      try {
        await onAction({ ...action, payload });
      } finally {
        if (loading) setBusy(false);
      }
    },
  };
  return (
    <WidgetBoundary>
      <WidgetContext.Provider value={environment}>
        <div className="rk-widget" aria-busy={busy || undefined}>
          <WidgetNodeView node={widget} />
        </div>
      </WidgetContext.Provider>
    </WidgetBoundary>
  );
}
