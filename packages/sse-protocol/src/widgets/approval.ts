/**
 * The tool-approval widget: what a ChatKit client sees when an agent's tool needs the user's approval (the Agents
 * SDK's `needsApproval`), and how its Approve / Reject buttons answer (`threads.custom_action`).
 */
import type { WidgetItem, WidgetRoot } from '../chatkit/model';
import {
  Badge,
  Button,
  Caption,
  Card,
  Markdown,
  Row,
  Title,
  type WidgetComponentNode,
  widgetAction,
} from './components';
import { widgetToJSON } from './json';

/** The `type` of the custom action an approval widget's buttons send. */
export const APPROVAL_ACTION_TYPE = 'relaykit.tool_approval';

/** A decision on a tool call that needs approval. */
export type ApprovalDecision = 'approve' | 'reject';

/** One tool call waiting for the user's decision. */
export interface ApprovalRequest {
  /** Names the paused run (the hidden item holding its state). */
  approvalId: string;
  /** The model's call id of the tool call. */
  callId: string;
  /** The tool's name. */
  tool: string;
  /** The call's arguments as the model sent them (parsed JSON; the raw string when it is not JSON). */
  arguments: unknown;
  /** The agent that called the tool. */
  agent?: string;
}

/** The payload of an {@link APPROVAL_ACTION_TYPE} action (`tool` and `arguments` are informative: the server reads its own copy). */
export interface ApprovalActionPayload {
  approvalId: string;
  callId: string;
  decision: ApprovalDecision;
  tool?: string;
  arguments?: unknown;
}

/** Options of {@link approvalWidget}. */
export interface ApprovalWidgetOptions {
  /** The decision already taken: the widget then shows it instead of the buttons. */
  decision?: ApprovalDecision;
  /** The title. Default `Allow <tool>?`. */
  title?: string;
}

function readable(value: unknown): string {
  if (value === null || value === undefined) return '_none_';
  if (typeof value === 'string') return value === '' ? '_empty_' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `\`${JSON.stringify(value)}\``;
}

/** The call's arguments as Markdown: one `- **name**: value` line per field (or the raw value). */
export function approvalArgumentsMarkdown(args: unknown): string {
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
    const entries = Object.entries(args as Record<string, unknown>);
    if (entries.length === 0) return '_No arguments._';
    return entries.map(([key, value]) => `- **${key}**: ${readable(value)}`).join('\n');
  }
  return readable(args);
}

/**
 * The approval card of one tool call: a title, the agent, the arguments rendered readably, and Approve / Reject
 * buttons sending {@link APPROVAL_ACTION_TYPE} with an {@link ApprovalActionPayload}. With `decision` the buttons are
 * replaced by an "Approved" / "Rejected" badge.
 */
export function approvalWidget(request: ApprovalRequest, options: ApprovalWidgetOptions = {}): WidgetRoot {
  const action = (decision: ApprovalDecision) =>
    widgetAction(APPROVAL_ACTION_TYPE, {
      approvalId: request.approvalId,
      callId: request.callId,
      decision,
      tool: request.tool,
      arguments: request.arguments,
    } satisfies ApprovalActionPayload);
  const footer: WidgetComponentNode = options.decision
    ? Badge({
        label: options.decision === 'approve' ? 'Approved' : 'Rejected',
        color: options.decision === 'approve' ? 'success' : 'danger',
      })
    : Row({
        gap: 2,
        children: [
          Button({ label: 'Approve', style: 'primary', onClickAction: action('approve') }),
          Button({ label: 'Reject', style: 'secondary', onClickAction: action('reject') }),
        ],
      });
  return widgetToJSON(
    Card({
      key: `approval:${request.approvalId}:${request.callId}`,
      children: [
        Title({ value: options.title ?? `Allow ${request.tool}?`, size: 'sm' }),
        ...(request.agent ? [Caption({ value: `Requested by ${request.agent}` })] : []),
        Markdown({ value: approvalArgumentsMarkdown(request.arguments) }),
        footer,
      ],
    }),
  );
}

/**
 * The approval request behind a widget item built by {@link approvalWidget} while it still waits for a decision
 * (read from its Approve button), else null. Lets clients without a widget renderer (the simple stream) ask instead.
 */
export function approvalRequestOf(item: Pick<WidgetItem, 'widget'>): ApprovalRequest | null {
  let found: ApprovalRequest | null = null;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const action = record.onClickAction as { type?: unknown; payload?: unknown } | undefined;
    if (record.type === 'Button' && action?.type === APPROVAL_ACTION_TYPE) {
      const payload = action.payload as Partial<ApprovalActionPayload> | undefined;
      if (typeof payload?.approvalId === 'string' && typeof payload.callId === 'string')
        found = {
          approvalId: payload.approvalId,
          callId: payload.callId,
          tool: typeof payload.tool === 'string' ? payload.tool : '',
          arguments: payload.arguments ?? null,
        };
      return;
    }
    for (const child of Array.isArray(record.children) ? record.children : [record.children]) visit(child);
  };
  visit(item.widget);
  return found;
}
