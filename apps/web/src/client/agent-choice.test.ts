import { describe, expect, it } from 'vitest';
import { requestAgentMetadata } from './agent-choice';

const client = { agentType: 'client', clientId: 'client-1', eventId: 'event-1' };

describe('requestAgentMetadata', () => {
  it('sends the picked agent for a new thread', () => {
    expect(requestAgentMetadata({ threadId: null, pickerChanged: false, agentMetadata: client })).toEqual(
      client,
    );
  });

  it('sends no agent for an existing thread the user did not re-route (the server keeps its saved agent)', () => {
    const workflow = { agentType: 'orchestrator' };
    expect(
      requestAgentMetadata({ threadId: 'thr_1', pickerChanged: false, agentMetadata: workflow }),
    ).toEqual({});
    expect(
      requestAgentMetadata({ threadId: 'thr_1', pickerChanged: false, agentMetadata: undefined }),
    ).toEqual({});
  });

  it('sends the newly picked agent when the user changed the picker after opening the thread', () => {
    expect(requestAgentMetadata({ threadId: 'thr_1', pickerChanged: true, agentMetadata: client })).toEqual(
      client,
    );
  });
});
