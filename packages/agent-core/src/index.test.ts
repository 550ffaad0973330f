import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/agent-core', () => {
  expect(Object.keys(api).sort()).toEqual([
    'RelayKitError',
    'buildAgentRunContext',
    'complexityModelPolicy',
    'createAgentRegistry',
    'createChatKitSession',
    'createModelAccess',
    'defineAgent',
    'fixedModelPolicy',
    'instantiateAgent',
    'isRelayKitError',
    'parseAgentMetadata',
    'parseSlashCommand',
    'toRelayKitError',
  ]);
});
