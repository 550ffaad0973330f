import { expect, it } from 'vitest';
import * as agents from './agents';
import * as api from './index';
import * as postgres from './postgres';

it('pins the exported names of @relaykit/tool-registry', () => {
  expect(Object.keys(api).sort()).toEqual([
    'ConfigurationError',
    'RelayKitError',
    'RequestError',
    'StoreError',
    'TOOL_RISKS',
    'clientToolNames',
    'createClientToolCallItem',
    'createToolRegistry',
    'defineClientTool',
    'defineTool',
    'isClientTool',
    'isRelayKitError',
    'markClientTool',
    'parseClientToolCall',
    'toChatCompletionsTool',
    'toResponsesTool',
    'toToolErrorBody',
    'toolParametersSchema',
  ]);
});

it('pins the exported names of @relaykit/tool-registry/agents', () => {
  expect(Object.keys(agents).sort()).toEqual(['clientToolUseBehavior', 'toAgentsTool', 'toAgentsTools']);
});

it('pins the exported names of @relaykit/tool-registry/postgres', () => {
  expect(Object.keys(postgres).sort()).toEqual([
    'CREATE_TABLE_COLUMN_DEFAULTS',
    'CREATE_TABLE_COLUMN_TYPES',
    'DENIED_FUNCTIONS',
    'DENIED_FUNCTION_PREFIXES',
    'DENIED_FUNCTION_SCHEMAS',
    'DENIED_RELATIONS',
    'SYSTEM_SCHEMAS',
    'callerRoleFor',
    'createPostgresTools',
    'guardReadOnlySql',
    'guardReadOnlySqlSync',
    'loadSqlParser',
    'pgliteConnection',
    'pgliteWorkerConnection',
    'postgresJsConnection',
    'runAsCaller',
  ]);
});
