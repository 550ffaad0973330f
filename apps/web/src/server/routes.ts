import { join } from 'node:path';
import {
  type AdapterContext,
  errorResponse,
  jsonResponse,
  openAIHealthCheck,
  type RequestAuthenticator,
  rateLimitStatusOf,
} from '@relaykit/agent-core';
import {
  createAttachmentUploadRoute,
  createChatKitRoute,
  createChatStreamRoute,
  createHealthRoute,
  createImageRoutes,
  createThreadSearchRoute,
  createUsageRoute,
} from '@relaykit/next';
import { RelayKitError } from '@relaykit/sse-protocol';
import { createAttachmentFileHandler } from './attachments';
import { createAppAuthenticator } from './auth';
import { createImageFileHandler } from './image-files';
import { createImageIndex, createImageListHandler, recordingImagePrompts } from './image-list';
import { type AppRuntime, getRuntime, IMAGE_FILE_BASE_URL } from './runtime';

/** A route handler as Next.js calls it. */
export type Handler = (request: Request) => Promise<Response>;

/** The handlers of every API route, built once per runtime. */
export interface AppRoutes {
  chatkit: Handler;
  chat: Handler;
  chatResume: Handler;
  chatStop: Handler;
  health: Handler;
  usage: Handler;
  agents: Handler;
  images: Handler;
  imagesBatch: Handler;
  imageFile: Handler;
  /** `GET /api/images`: the user's stored images, newest first. */
  imageList: Handler;
  /** `POST|PUT /api/chatkit/attachments/<id>`: the bytes of a two-phase upload. */
  attachmentUpload: Handler;
  /** `GET /api/chatkit/attachments/<id>`: an attachment's bytes (its owner only). */
  attachmentFile: Handler;
  /** `GET /api/chatkit/search?q=`: full-text search over the user's threads. */
  threadSearch: Handler;
}

const MAX_CHAT_BODY_BYTES = 1024 * 1024;
const MAX_IMAGE_BATCH = 40;

/**
 * Logs an error the app did not expect (the client sees a generic 500 `internal` and the request id, which this line
 * names when the route knows it).
 */
export const logUnexpectedError = (error: unknown, info?: { requestId?: string | undefined }) =>
  info?.requestId
    ? console.error(`[relaykit/web] request ${info.requestId}`, error)
    : console.error('[relaykit/web]', error);

function agentsHandler(runtime: AppRuntime, authenticate: RequestAuthenticator): Handler {
  return async (request) => {
    try {
      await authenticate(request);
      return jsonResponse({ agents: runtime.agents });
    } catch (error) {
      return errorResponse(error, { onUnexpectedError: logUnexpectedError });
    }
  };
}

/** Builds the handlers over one runtime. */
export function createAppRoutes(runtime: AppRuntime): AppRoutes {
  const authenticate = createAppAuthenticator(runtime.config);
  const onUnexpectedError = logUnexpectedError;
  const shared = { auth: authenticate, maxBodyBytes: MAX_CHAT_BODY_BYTES, onUnexpectedError };
  const chatkit = createChatKitRoute<AdapterContext>({ ...shared, server: runtime.chatKit });
  const chat = createChatStreamRoute<AdapterContext>({
    ...shared,
    server: runtime.chatKit,
    streamLog: runtime.streamLog,
  });
  const { config, fake } = runtime;
  const health = createHealthRoute({
    // The public sees `{ status }`; a signed-in user also sees each check's latency and error code.
    detailsFor: async (request) => {
      await authenticate(request);
      return true;
    },
    checks: {
      database: async () => {
        await runtime.stores.query('select 1', []);
      },
      model: openAIHealthCheck({
        apiKey: config.openAIApiKey ?? 'offline-demo-model',
        baseURL: fake?.url ?? config.openAIBaseURL ?? 'https://api.openai.com/v1',
      }),
    },
  });
  const usage = createUsageRoute({
    auth: authenticate,
    getUsageSummary: (userId, range) => runtime.recorder.getUsageSummary(userId, range),
    getDailyStats: (userId, range) => runtime.recorder.getDailyStats(range, { userId }),
    getRateLimitStatus: rateLimitStatusOf(runtime.chatLimiter),
    getRecentErrors: (userId, limit, options) => runtime.recorder.getRecentErrors(userId, limit, options),
  });
  const images = createImageRoutes({
    auth: authenticate,
    modelAccess: runtime.modelAccess,
    blobs: runtime.blobs,
    publicUrl: (path) => `${IMAGE_FILE_BASE_URL}${path}`,
    rateLimiter: runtime.imageLimiter,
    usage: runtime.recorder,
    maxBatchSize: MAX_IMAGE_BATCH,
    onUnexpectedError,
  });
  const imageIndex = createImageIndex(
    join(config.dataDir, 'images'),
    (path) => `${IMAGE_FILE_BASE_URL}${path}`,
  );
  const recording = recordingImagePrompts(imageIndex);
  const attachments = createAttachmentUploadRoute<AdapterContext>({
    server: runtime.chatKit,
    blobs: runtime.attachmentBlobs,
    auth: authenticate,
    onUnexpectedError,
  });
  const search = createThreadSearchRoute<AdapterContext>({
    server: runtime.chatKit,
    auth: authenticate,
    onUnexpectedError,
  });
  return {
    chatkit: chatkit.POST,
    chat: chat.POST,
    chatResume: chat.GET,
    chatStop: chat.DELETE,
    health: health.GET,
    usage: usage.GET,
    agents: agentsHandler(runtime, authenticate),
    images: recording.single(images.generate.POST),
    imagesBatch: recording.batch(images.batch.POST),
    imageFile: createImageFileHandler(runtime.blobs, authenticate, onUnexpectedError),
    imageList: createImageListHandler(imageIndex, authenticate, onUnexpectedError),
    attachmentUpload: attachments.POST,
    attachmentFile: createAttachmentFileHandler(
      runtime.attachmentBlobs,
      runtime.stores.chatkit,
      authenticate,
      onUnexpectedError,
    ),
    threadSearch: search.GET,
  };
}

const routesByRuntime = new WeakMap<AppRuntime, AppRoutes>();

/** Returns a handler that starts (or reuses) the runtime on first call, then delegates to route `name`. */
export function lazyRoute(name: keyof AppRoutes): Handler {
  return async (request) => {
    let runtime: AppRuntime;
    try {
      runtime = await getRuntime();
    } catch (error) {
      console.error('[relaykit/web] the runtime failed to start', error);
      return errorResponse(
        RelayKitError.isInstance(error)
          ? error
          : new RelayKitError('configuration', 'The app failed to start.'),
      );
    }
    let routes = routesByRuntime.get(runtime);
    if (!routes) {
      routes = createAppRoutes(runtime);
      routesByRuntime.set(runtime, routes);
    }
    return routes[name](request);
  };
}
