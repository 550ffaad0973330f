import type { WidgetNode } from '../client/types';

/** The children of a widget node as an array (a `Transition` has one child, most have a list, leaves none). */
export function childrenOf(node: WidgetNode): WidgetNode[] {
  const { children } = node;
  if (!children) return [];
  return (Array.isArray(children) ? children : [children]).filter(
    (child): child is WidgetNode =>
      typeof child === 'object' && child !== null && typeof child.type === 'string',
  );
}

/** A copy of `node` with the component whose `id` is `componentId` replaced by `update(component)`. */
export function mapWidgetComponent(
  node: WidgetNode,
  componentId: string,
  update: (component: WidgetNode) => WidgetNode,
): WidgetNode {
  if (node.id === componentId) return update(node);
  const { children } = node;
  if (!children) return node;
  if (Array.isArray(children)) {
    let changed = false;
    const next = children.map((child) => {
      if (typeof child !== 'object' || child === null) return child;
      const mapped = mapWidgetComponent(child, componentId, update);
      if (mapped !== child) changed = true;
      return mapped;
    });
    return changed ? { ...node, children: next } : node;
  }
  const mapped = mapWidgetComponent(children, componentId, update);
  return mapped === children ? node : { ...node, children: mapped };
}

/** The plain text of a widget (its `Text`, `Title`, `Caption`, `Markdown` values and labels), for copy and export. */
export function widgetText(node: WidgetNode): string {
  const own = ['value', 'label', 'title']
    .map((key) => node[key])
    .filter((value): value is string => typeof value === 'string' && value !== '');
  const nested = childrenOf(node).map(widgetText).filter(Boolean);
  return [...own, ...nested].join('\n');
}
