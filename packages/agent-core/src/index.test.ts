import { expect, it } from 'vitest';
import * as api from './index';

it('pins the exported names of @relaykit/agent-core', () => {
  expect(Object.keys(api).sort()).toEqual([
    'DEFAULT_MAX_BODY_BYTES',
    'RelayKitError',
    'bearerToken',
    'buildAgentRunContext',
    'complexityModelPolicy',
    'corsHeaders',
    'createAgentRegistry',
    'createBearerAuthenticator',
    'createChatKitSession',
    'createGuardedHandler',
    'createJwtVerifier',
    'createModelAccess',
    'defineAgent',
    'errorResponse',
    'fixedModelPolicy',
    'instantiateAgent',
    'isOriginAllowed',
    'isPreflightRequest',
    'isRelayKitError',
    'isUuid',
    'jsonResponse',
    'parseAgentMetadata',
    'parseJsonText',
    'parseSlashCommand',
    'preflightResponse',
    'readBodyText',
    'readJsonBody',
    'runHealthChecks',
    'toRelayKitError',
    'validateBody',
    'withHeaders',
  ]);
});
