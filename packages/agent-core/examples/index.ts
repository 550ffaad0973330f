/**
 * `@relaykit/agent-core/examples`: the five reference scenarios of RelayKit as runnable agent sets (see
 * docs/specs/scenarios.md), on small in-memory demo stores. The reference app and the Supabase Edge Functions of this
 * repository import them from here, so every deployment runs the same agents.
 */
export {
  applyNaturalLanguageTriggers,
  type ClassroomLoaders,
  type ClassroomPortraits,
  type ClassroomStore,
  classroomCommands,
  createClassroomAgents,
  createClassroomLoaders,
  createDemoClassroomStore,
  PORTRAIT_STYLES,
  type PortraitStyle,
} from './classroom/index.ts';
export { createDatabaseCopilotAgents, type DatabaseCopilotDeps } from './database-copilot/index.ts';
export { tableRowCount } from './database-copilot/row-count-tool.ts';
export { appendCapped, MAX_DEMO_ROWS, nextDemoId } from './demo-store.ts';
export {
  createDemoEventStore,
  createEventLoaders,
  createEventPlanningAgents,
  type EventPlanningLoaders,
  type EventPlanningStore,
  type PlannedEvent,
} from './event-planning/index.ts';
export {
  createDemoHealthStore,
  createHealthAssistantAgents,
  type HealthStore,
  type HostedHealthSessionReply,
  startHostedHealthSession,
} from './health-assistant/index.ts';
export { type RunTurnOptions, runTurn, type TurnResult } from './run-turn.ts';
export {
  createDemoWorkflowStore,
  createWorkflowAssistantAgents,
  type WorkflowStore,
} from './workflow-assistant/index.ts';
