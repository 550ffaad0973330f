import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorResponse, jsonResponse, type RequestAuthenticator } from '@relaykit/agent-core';
import { createEventStreamDecoder, RequestError, type SSEMessage } from '@relaykit/sse-protocol';

/** One stored image of the user, as the images page lists it. */
export interface StoredImageJSON {
  url: string;
  path: string;
  /** The prompt, when the app recorded it (images made before prompts were recorded have none). */
  prompt?: string;
  createdAt: string;
}

/** A page of the user's images, newest first. */
export interface ImageListResponse {
  images: StoredImageJSON[];
  /** Pass as `?after=` for the next page; absent on the last page. */
  after?: string;
}

const IMAGE_FILE = /^(\d{8}T\d{9}Z)-[0-9a-f]+\.(png|jpe?g|webp)$/;

/** `20261207T101500123Z` → ISO 8601. */
function stampToIso(stamp: string): string {
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`;
}

async function walk(folder: string, prefix: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? walk(join(folder, entry.name), `${prefix}${entry.name}/`)
        : Promise.resolve([`${prefix}${entry.name}`]),
    ),
  );
  return nested.flat();
}

/**
 * The images of the filesystem blob store (`<root>/images/<userId>/…/<timestamp>-<hash>.png`, as the image routes
 * store them) with the prompts the app recorded beside them (`<file>.json`), for `GET /api/images?after=&limit=`.
 */
export function createImageIndex(root: string, publicUrl: (path: string) => string) {
  const sidecar = (path: string) => join(root, ...`${path}.json`.split('/'));
  return {
    /** Records the prompt of a stored image (best effort: a failed write only loses the caption). */
    async record(image: { path: string; prompt: string; createdAt?: string }): Promise<void> {
      const file = sidecar(image.path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify({ prompt: image.prompt, createdAt: image.createdAt }));
    },
    /** A page of `userId`'s images, newest first (`after`: the last path of the previous page). */
    async list(
      userId: string,
      options: { after?: string | null; limit: number },
    ): Promise<ImageListResponse> {
      const prefix = `images/${userId}/`;
      const paths = (await walk(join(root, 'images', userId), prefix))
        .filter((path) => IMAGE_FILE.test(path.split('/').at(-1)!))
        .map((path) => ({ path, stamp: IMAGE_FILE.exec(path.split('/').at(-1)!)![1]! }))
        .sort((a, b) =>
          a.stamp === b.stamp ? b.path.localeCompare(a.path) : b.stamp.localeCompare(a.stamp),
        );
      let start = 0;
      if (options.after) {
        start = paths.findIndex((entry) => entry.path === options.after) + 1;
        if (start === 0) throw new RequestError('invalid_request', 'after is not one of your images.');
      }
      const page = paths.slice(start, start + options.limit);
      const images = await Promise.all(
        page.map(async ({ path, stamp }) => {
          const recorded = await readFile(sidecar(path), 'utf8')
            .then((text) => JSON.parse(text) as { prompt?: unknown })
            .catch(() => ({}) as { prompt?: unknown });
          return {
            url: publicUrl(path),
            path,
            ...(typeof recorded.prompt === 'string' ? { prompt: recorded.prompt } : {}),
            createdAt: stampToIso(stamp),
          };
        }),
      );
      const more = start + options.limit < paths.length;
      return { images, ...(more && page.length > 0 ? { after: page.at(-1)!.path } : {}) };
    },
  };
}

/** The image index the app keeps. */
export type ImageIndex = ReturnType<typeof createImageIndex>;

/** `GET /api/images?after=&limit=`: the signed-in user's stored images, newest first (24 per page by default). */
export function createImageListHandler(
  index: ImageIndex,
  authenticate: RequestAuthenticator,
  onUnexpectedError?: (error: unknown) => void,
) {
  return async (request: Request): Promise<Response> => {
    try {
      const user = await authenticate(request);
      const url = new URL(request.url);
      const raw = url.searchParams.get('limit');
      const limit = raw === null ? 24 : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new RequestError('invalid_request', 'limit must be an integer from 1 to 100.');
      return jsonResponse(await index.list(user.userId, { after: url.searchParams.get('after'), limit }));
    } catch (error) {
      return errorResponse(error, onUnexpectedError ? { onUnexpectedError } : {});
    }
  };
}

/**
 * Wraps the image routes so every stored image's prompt is recorded beside it: the single route's JSON answer, and
 * the batch's `progress` events (read from a tee of the stream; the client's copy is untouched).
 */
export function recordingImagePrompts(index: ImageIndex) {
  const safely = (work: Promise<void>) => work.catch(() => {});
  return {
    single:
      (handler: (request: Request) => Promise<Response>) =>
      async (request: Request): Promise<Response> => {
        const response = await handler(request);
        if (response.ok) {
          // Recorded before answering (a few milliseconds), so the list shows the prompt as soon as the image.
          const body = (await response
            .clone()
            .json()
            .catch(() => ({}))) as { image?: { path: string; prompt: string; createdAt: string } };
          if (body.image) await safely(index.record(body.image));
        }
        return response;
      },
    batch:
      (handler: (request: Request) => Promise<Response>) =>
      async (request: Request): Promise<Response> => {
        const response = await handler(request);
        if (!response.ok || !response.body) return response;
        const [client, mine] = response.body.tee();
        void (async () => {
          const messages = mine.pipeThrough(
            createEventStreamDecoder(),
          ) as unknown as AsyncIterable<SSEMessage>;
          for await (const message of messages) {
            if (message.event !== 'progress') continue;
            const { item } = JSON.parse(message.data) as {
              item?: { image?: { path: string; prompt: string; createdAt: string } };
            };
            if (item?.image) await safely(index.record(item.image));
          }
        })().catch(() => {});
        return new Response(client, { status: response.status, headers: response.headers });
      },
  };
}
