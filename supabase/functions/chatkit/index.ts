/**
 * The full ChatKit protocol (the ChatKit web component's custom backend) for the workflow assistant's agents:
 * one `POST` per request, JSON or SSE as the protocol says.
 */
import { workflowAssistantRegistry } from '../_shared/agents.ts';
import { createBackends, createServer, edgeHandler, loadConfig, serve } from '../_shared/server.ts';

const config = loadConfig();
const backends = await createBackends(config);
const server = createServer(config, backends, workflowAssistantRegistry());

export const handler = edgeHandler(config, backends, { server });

serve(handler);
