/**
 * The full ChatKit protocol (the ChatKit web component's custom backend) for the workflow assistant's agents:
 * one `POST` per request, JSON or SSE as the protocol says.
 */
import { workflowAssistantRegistry } from '../_shared/agents.ts';
import { createFunctionHandler, serve } from '../_shared/server.ts';

export const handler = createFunctionHandler(workflowAssistantRegistry, (server) => ({ server }));

serve(handler);
