import { join } from 'node:path';
import { setTracingDisabled } from '@openai/agents';
import {
  type AdapterContext,
  type ChatKitAgentsOptions,
  type ChatKitServer,
  createAgentsRespond,
  createChatKitServer,
  createModelAccess,
  type ModelAccess,
} from '@relaykit/agent-core';
import type { BlobStore } from '@relaykit/image-gen';
import { createFilesystemBlobStore } from '@relaykit/image-gen/filesystem';
import { createMemoryStreamLog, type StreamLog } from '@relaykit/sse-protocol';
import type { FakeOpenAI } from '@relaykit/testing';
import {
  createPriceTable,
  createRateLimiter,
  createUsageRecorder,
  fixedWindow,
  type RateLimiter,
  type UsageRecorder,
} from '@relaykit/usage-tracker';
import { type AgentOption, createScenarioAgents } from './agents';
import { attachmentHistory, createAppAttachmentStore, createAttachmentBlobs } from './attachments';
import { type AppConfig, readAppConfig } from './config';
import { startFakeModel } from './fake-model';
import { createImageIndex } from './image-list';
import { createOfflineScript } from './offline-script';
import { createPortraits } from './portraits';
import { type AppStores, closeOnFailure, openAppStores } from './stores';
import { contractWidget, createToolWidgets } from './tool-widgets';

/** Where the browser loads stored images (served by `/api/images/file/[...path]`). */
export const IMAGE_FILE_BASE_URL = '/api/images/file/';

/** Model runs a user may start per minute on `/api/chatkit` and `/api/chat`. */
export const CHAT_RUNS_PER_MINUTE = 60;
/** Image requests (single or batch) a user may make per minute. */
export const IMAGE_REQUESTS_PER_MINUTE = 30;

/** Everything the routes share, created once per server process. */
export interface AppRuntime {
  config: AppConfig;
  stores: AppStores;
  /** The in-process fake OpenAI server in offline mode. */
  fake?: FakeOpenAI;
  modelAccess: ModelAccess<AdapterContext>;
  chatKit: ChatKitServer<AdapterContext>;
  agents: AgentOption[];
  recorder: UsageRecorder;
  chatLimiter: RateLimiter;
  imageLimiter: RateLimiter;
  /** Resumable simple-chat runs (`/api/chat` GET and DELETE); one process, so in memory. */
  streamLog: StreamLog;
  blobs: BlobStore;
  /** Attachment bytes (two-phase uploads of the chat composer). */
  attachmentBlobs: BlobStore;
  close(): Promise<void>;
}

/** Builds the runtime for `config`: stores (migrated), the model (real or the offline fake), agents, limits. */
export async function createAppRuntime(config: AppConfig): Promise<AppRuntime> {
  for (const warning of config.warnings) console.warn(`[relaykit/web] ${warning}`);
  let fake: FakeOpenAI | undefined;
  if (config.offline) {
    setTracingDisabled(true);
    fake = await startFakeModel(createOfflineScript({ delayMs: config.offlineDelayMs }));
  }
  // A database that is down must not leak the fake server (one per request, as a failed start is retried).
  const stores = await closeOnFailure(
    () => openAppStores(config),
    async () => fake?.close(),
  );
  const modelAccess = createModelAccess<AdapterContext>({
    apiKey: config.openAIApiKey ?? 'offline-demo-model',
    ...(fake ? { baseURL: fake.url } : config.openAIBaseURL ? { baseURL: config.openAIBaseURL } : {}),
  });
  const recorder = createUsageRecorder({ store: stores.usage, prices: createPriceTable() });
  const chatLimiter = createRateLimiter({
    store: stores.rateLimits,
    algorithm: fixedWindow(CHAT_RUNS_PER_MINUTE, '1m'),
    onStoreFailure: 'allow',
    prefix: 'chat',
  });
  const imageLimiter = createRateLimiter({
    store: stores.rateLimits,
    algorithm: fixedWindow(IMAGE_REQUESTS_PER_MINUTE, '1m'),
    onStoreFailure: 'allow',
    prefix: 'images',
  });
  const blobs = createFilesystemBlobStore({
    root: join(config.dataDir, 'images'),
    baseUrl: IMAGE_FILE_BASE_URL,
  });
  const publicUrl = (path: string) => `${IMAGE_FILE_BASE_URL}${path}`;
  const portraits = createPortraits({
    clientFor: (userId) => modelAccess.clientFor({ userId } as AdapterContext),
    blobs,
    publicUrl,
    index: createImageIndex(join(config.dataDir, 'images'), publicUrl),
    limit: (userId) => imageLimiter.limit(userId),
    usage: recorder,
  });
  const scenario = createScenarioAgents(stores.copilot, { portraits });
  // The event planner's contract is shown as a widget after `viewContract` ran.
  const toolWidgets = createToolWidgets<AdapterContext>({
    viewContract: contractWidget(scenario.eventStore),
  });
  const agentsOptions: ChatKitAgentsOptions<AdapterContext> = {
    registry: scenario.registry,
    modelAccess,
    dependencies: scenario.dependencies,
    usage: recorder,
    titles: !config.offline,
    toolProgress: true,
    history: attachmentHistory,
    onToolCall: (event) => toolWidgets.onToolCall(event),
  };
  // With `agents`, the server routes a new message before it streams or stores anything (a bad agentType or missing
  // agent metadata is a 400 JSON answer); `respond` wraps the agents responder to add the tool widgets.
  const attachmentBlobs = createAttachmentBlobs(config.dataDir);
  const chatKit = createChatKitServer<AdapterContext>({
    store: stores.chatkit,
    agents: agentsOptions,
    respond: toolWidgets.wrap(createAgentsRespond<AdapterContext>(stores.chatkit, agentsOptions), stores.chatkit),
    attachments: createAppAttachmentStore(attachmentBlobs, stores.chatkit),
    rateLimiter: chatLimiter,
    rateLimitKey: (context) => context.userId,
  });
  return {
    config,
    stores,
    ...(fake ? { fake } : {}),
    modelAccess,
    chatKit,
    agents: scenario.options,
    recorder,
    chatLimiter,
    imageLimiter,
    streamLog: createMemoryStreamLog(),
    blobs,
    attachmentBlobs,
    async close() {
      await stores.close();
      await fake?.close();
    },
  };
}

const RUNTIME_KEY = Symbol.for('relaykit.web.runtime');
type RuntimeHolder = { [RUNTIME_KEY]?: Promise<AppRuntime> };

/**
 * The process-wide runtime, created on first use from `process.env` and cached on `globalThis`, so dev-server
 * reloads reuse one database and one fake server instead of leaking them. A failed start is not cached.
 */
export function getRuntime(): Promise<AppRuntime> {
  const holder = globalThis as RuntimeHolder;
  if (!holder[RUNTIME_KEY]) {
    const starting = createAppRuntime(readAppConfig());
    holder[RUNTIME_KEY] = starting;
    starting.catch(() => {
      if (holder[RUNTIME_KEY] === starting) delete holder[RUNTIME_KEY];
    });
  }
  return holder[RUNTIME_KEY];
}

/** Closes and forgets the cached runtime (tests). */
export async function resetRuntime(): Promise<void> {
  const holder = globalThis as RuntimeHolder;
  const current = holder[RUNTIME_KEY];
  delete holder[RUNTIME_KEY];
  if (current) await (await current).close();
}
