/**
 * A local stand-in for the subset of Supabase's Storage API that supabase-js uses for
 * `storage.from(bucket).upload / update / download / remove / getPublicUrl / createSignedUrl`; NOT Supabase Storage.
 *
 * It follows the documented Storage API and its open-source error definitions: bucket `fileSizeLimit` and
 * `allowedMimeTypes` are enforced, errors answer HTTP 400 (500 for internal errors) with the body
 * `{statusCode, code, error, message}` whose `statusCode` carries the semantic status ("404", "409", "413",
 * "415"), signed URLs carry an HS256 token verified on GET, and public buckets serve `/object/public/...`.
 * Objects are files under `dir`. Row-level security on `storage.objects` is not evaluated: any valid project JWT
 * may read and write unless the `authorize` option says otherwise.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { SignJWT } from 'jose';
import {
  BodyTooLargeError,
  bearerToken,
  type RunningStandIn,
  readBody,
  sendJson,
  startStandIn,
} from './http';
import { mintSupabaseJwt, secretKey, verifySupabaseJwt } from './jwt';

/** A bucket of the stand-in, configured like a Supabase bucket. */
export interface StorageBucketConfig {
  /** Bucket id (and name). */
  id: string;
  /** Public buckets serve objects at `/storage/v1/object/public/<bucket>/<path>` without a token. Default `false`. */
  public?: boolean;
  /** Largest object in bytes, or a Supabase-style size string (`'5MB'`, `'100KB'`). Default: the server limit. */
  fileSizeLimit?: number | string;
  /** Allowed MIME types; `image/*` style wildcards allowed. Default: any. */
  allowedMimeTypes?: string[];
}

/** What a request wants to do, for {@link SupabaseStorageServerOptions.authorize}. */
export interface StorageAccessRequest {
  action: 'upload' | 'update' | 'download' | 'remove' | 'sign';
  bucket: string;
  path: string;
  role: string;
  claims: Record<string, unknown>;
}

/** Options of {@link createSupabaseStorageServer}. */
export interface SupabaseStorageServerOptions {
  /** The project's JWT secret; request tokens and signed-URL tokens are verified with it (HS256). */
  jwtSecret: string;
  /** The buckets that exist. */
  buckets: StorageBucketConfig[];
  /** Folder holding the objects. Default: a fresh temporary folder, removed by `close()`. */
  dir?: string;
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** Global upload limit in bytes (Supabase's project-wide limit). Default 50 MiB. */
  fileSizeLimit?: number;
  /** Optional access rule standing in for RLS on `storage.objects`; return `false` to deny. Default: allow. */
  authorize?: (request: StorageAccessRequest) => boolean | Promise<boolean>;
}

/** An object stored by the stand-in. */
export interface StoredObject {
  id: string;
  bucket: string;
  name: string;
  size: number;
  contentType: string;
  cacheControl: string;
  etag: string;
  owner: string | undefined;
  metadata: Record<string, unknown> | undefined;
  createdAt: string;
  updatedAt: string;
}

/** A running Storage stand-in. */
export interface SupabaseStorageServer extends RunningStandIn {
  /** Folder holding the objects. */
  readonly dir: string;
  /** An `anon` API key signed with the project secret. */
  readonly anonKey: string;
  /** A `service_role` API key signed with the project secret. */
  readonly serviceRoleKey: string;
  /** The stored objects, keyed `<bucket>/<path>`. */
  readonly objects: ReadonlyMap<string, StoredObject>;
}

interface StorageErrorShape {
  status: string;
  code: string;
  error?: string;
  message: string;
}

const ERRORS = {
  noSuchBucket: (): StorageErrorShape => ({
    status: '404',
    code: 'NoSuchBucket',
    error: 'Bucket not found',
    message: 'Bucket not found',
  }),
  noSuchKey: (): StorageErrorShape => ({
    status: '404',
    code: 'NoSuchKey',
    error: 'not_found',
    message: 'Object not found',
  }),
  duplicate: (): StorageErrorShape => ({
    status: '409',
    code: 'KeyAlreadyExists',
    error: 'Duplicate',
    message: 'The resource already exists',
  }),
  tooLarge: (): StorageErrorShape => ({
    status: '413',
    code: 'EntityTooLarge',
    error: 'Payload too large',
    message: 'The object exceeded the maximum allowed size',
  }),
  invalidMime: (mime: string): StorageErrorShape => ({
    status: '415',
    code: 'InvalidMimeType',
    error: 'invalid_mime_type',
    message: `mime type ${mime} is not supported`,
  }),
  invalidJwt: (message: string): StorageErrorShape => ({ status: '400', code: 'InvalidJWT', message }),
  missingAuth: (): StorageErrorShape => ({
    status: '400',
    code: 'InvalidRequest',
    error: 'Error',
    message: "headers must have required property 'authorization'",
  }),
  accessDenied: (): StorageErrorShape => ({
    status: '403',
    code: 'AccessDenied',
    error: 'Unauthorized',
    message: 'new row violates row-level security policy',
  }),
  invalidSignature: (message: string): StorageErrorShape => ({
    status: '400',
    code: 'InvalidSignature',
    message,
  }),
  invalidKey: (key: string): StorageErrorShape => ({
    status: '400',
    code: 'InvalidKey',
    message: `Invalid key: ${key}`,
  }),
  invalidRequest: (message: string): StorageErrorShape => ({
    status: '400',
    code: 'InvalidRequest',
    message,
  }),
};

function sendStorageError(response: ServerResponse, error: StorageErrorShape): void {
  // Supabase Storage answers HTTP 400 for every client error (500 for internal ones); the body carries the real status.
  sendJson(response, error.status === '500' ? 500 : 400, {
    statusCode: error.status,
    code: error.code,
    error: error.error ?? error.code,
    message: error.message,
  });
}

const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1000, MB: 1000 ** 2, GB: 1000 ** 3 };

/** Parses a bucket size limit (`5242880`, `'5MB'`, `'100KB'`) into bytes. */
export function parseFileSizeLimit(limit: number | string): number {
  if (typeof limit === 'number') return limit;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)\s*$/i.exec(limit);
  if (match === null)
    throw new TypeError(`Invalid file size format ${JSON.stringify(limit)}, use 20GB / 20MB / 30KB / 3B`);
  return Math.floor(Number(match[1]) * (SIZE_UNITS[(match[2] ?? 'B').toUpperCase()] ?? 1));
}

function mimeAllowed(mime: string, allowed: string[] | undefined): boolean {
  if (allowed === undefined || allowed.length === 0) return true;
  return allowed.some((pattern) => {
    const normalised = pattern.toLowerCase();
    if (normalised === '*/*' || normalised === mime) return true;
    return normalised.endsWith('/*') && mime.startsWith(normalised.slice(0, -1));
  });
}

function baseMime(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

interface ParsedUpload {
  bytes: Buffer;
  contentType: string;
  cacheControl: string;
  metadata: Record<string, unknown> | undefined;
}

async function parseUpload(request: IncomingMessage, body: Buffer): Promise<ParsedUpload> {
  const contentType = request.headers['content-type'] ?? 'application/octet-stream';
  if (baseMime(contentType) === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    }).formData();
    let file: Blob | undefined;
    for (const [, value] of form) if (typeof value !== 'string') file = value;
    if (file === undefined) throw new Error('No content provided');
    const cacheControl = form.get('cacheControl');
    const metadata = form.get('metadata');
    return {
      bytes: Buffer.from(await file.arrayBuffer()),
      contentType: file.type === '' ? 'application/octet-stream' : file.type,
      cacheControl: typeof cacheControl === 'string' ? `max-age=${cacheControl}` : 'no-cache',
      metadata: typeof metadata === 'string' ? (JSON.parse(metadata) as Record<string, unknown>) : undefined,
    };
  }
  const metadataHeader = request.headers['x-metadata'];
  return {
    bytes: body,
    contentType,
    cacheControl:
      typeof request.headers['cache-control'] === 'string' ? request.headers['cache-control'] : 'no-cache',
    metadata:
      typeof metadataHeader === 'string'
        ? (JSON.parse(Buffer.from(metadataHeader, 'base64').toString('utf8')) as Record<string, unknown>)
        : undefined,
  };
}

/** Creates the request handler (used by {@link createSupabaseStorageServer} and the combined stand-in). */
export function createStorageHandler(
  options: SupabaseStorageServerOptions & { dir: string },
  objects: Map<string, StoredObject>,
): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean> {
  const secret = secretKey(options.jwtSecret);
  const root = resolve(options.dir);
  const globalLimit = options.fileSizeLimit ?? 50 * 1024 * 1024;
  const buckets = new Map(options.buckets.map((bucket) => [bucket.id, bucket]));
  const bucketLimits = new Map(
    options.buckets.map((bucket) => [
      bucket.id,
      Math.min(
        globalLimit,
        bucket.fileSizeLimit === undefined ? globalLimit : parseFileSizeLimit(bucket.fileSizeLimit),
      ),
    ]),
  );

  const filePath = (bucket: string, name: string) => {
    const path = resolve(root, bucket, name);
    if (!path.startsWith(root + sep)) throw new Error('path escapes the storage folder');
    return path;
  };

  async function authenticate(request: IncomingMessage) {
    const token = bearerToken(request);
    if (token === undefined) return { error: ERRORS.missingAuth() } as const;
    const verification = await verifySupabaseJwt(token, secret);
    if (!verification.ok) return { error: ERRORS.invalidJwt(verification.message) } as const;
    const role = typeof verification.claims.role === 'string' ? verification.claims.role : 'anon';
    return { role, claims: verification.claims } as const;
  }

  async function allowed(access: StorageAccessRequest): Promise<boolean> {
    if (access.role === 'service_role' || options.authorize === undefined) return true;
    return options.authorize(access);
  }

  async function serveObject(response: ServerResponse, url: URL, object: StoredObject, head: boolean) {
    const bytes = await readFile(filePath(object.bucket, object.name));
    const headers: Record<string, string> = {
      'content-type': object.contentType,
      'content-length': String(bytes.length),
      'cache-control': object.cacheControl,
      etag: object.etag,
      'last-modified': new Date(object.updatedAt).toUTCString(),
    };
    const download = url.searchParams.get('download');
    if (download !== null) {
      const filename = download === '' ? (object.name.split('/').pop() ?? object.name) : download;
      headers['content-disposition'] = `attachment; filename=${encodeURIComponent(filename)};`;
    }
    response.writeHead(200, headers);
    response.end(head ? undefined : bytes);
  }

  function splitObjectPath(rest: string): { bucket: string; name: string } | undefined {
    const decoded = rest.split('/').map((segment) => decodeURIComponent(segment));
    const [bucket, ...name] = decoded;
    if (bucket === undefined || bucket === '' || name.length === 0) return undefined;
    return { bucket, name: name.filter((segment) => segment !== '').join('/') };
  }

  return async (request, response, url) => {
    const prefix = '/storage/v1/object/';
    if (!url.pathname.startsWith(prefix)) return false;
    const method = request.method ?? 'GET';
    const rest = url.pathname.slice(prefix.length);

    // Public objects and signed URLs need no Authorization header.
    const publicMatch = /^public\/(.+)$/.exec(rest);
    const signMatch = /^sign\/(.+)$/.exec(rest);
    if ((method === 'GET' || method === 'HEAD') && publicMatch !== null) {
      const target = splitObjectPath(publicMatch[1] ?? '');
      const bucket = target === undefined ? undefined : buckets.get(target.bucket);
      if (target === undefined || bucket === undefined || bucket.public !== true) {
        sendStorageError(response, ERRORS.noSuchBucket());
        return true;
      }
      const object = objects.get(`${target.bucket}/${target.name}`);
      if (object === undefined) sendStorageError(response, ERRORS.noSuchKey());
      else await serveObject(response, url, object, method === 'HEAD');
      return true;
    }
    if ((method === 'GET' || method === 'HEAD') && signMatch !== null) {
      const target = splitObjectPath(signMatch[1] ?? '');
      const token = url.searchParams.get('token');
      if (target === undefined || token === null) {
        sendStorageError(response, ERRORS.invalidRequest('Missing token'));
        return true;
      }
      const verification = await verifySupabaseJwt(token, secret);
      if (!verification.ok) {
        sendStorageError(response, ERRORS.invalidJwt(verification.message));
        return true;
      }
      if (verification.claims.url !== `${target.bucket}/${target.name}`) {
        sendStorageError(response, ERRORS.invalidSignature('The url do not match the signature'));
        return true;
      }
      const object = objects.get(`${target.bucket}/${target.name}`);
      if (object === undefined) sendStorageError(response, ERRORS.noSuchKey());
      else await serveObject(response, url, object, method === 'HEAD');
      return true;
    }

    const auth = await authenticate(request);
    if ('error' in auth) {
      request.resume();
      sendStorageError(response, auth.error as StorageErrorShape);
      return true;
    }
    const { role, claims } = auth;

    // Create a signed URL: POST /object/sign/<bucket>/<path> {expiresIn}
    if (method === 'POST' && signMatch !== null) {
      const target = splitObjectPath(signMatch[1] ?? '');
      const body = JSON.parse((await readBody(request, 64 * 1024)).toString('utf8') || '{}') as {
        expiresIn?: unknown;
      };
      const expiresIn = Number(body.expiresIn);
      if (target === undefined || !Number.isFinite(expiresIn) || expiresIn <= 0) {
        sendStorageError(response, ERRORS.invalidRequest('body must have a positive expiresIn'));
        return true;
      }
      if (!buckets.has(target.bucket)) {
        sendStorageError(response, ERRORS.noSuchBucket());
        return true;
      }
      const object = objects.get(`${target.bucket}/${target.name}`);
      if (
        object === undefined ||
        !(await allowed({ action: 'sign', ...target, path: target.name, role, claims }))
      ) {
        sendStorageError(response, ERRORS.noSuchKey());
        return true;
      }
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        url: `${target.bucket}/${target.name}`,
        iat: now,
        exp: now + expiresIn,
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(secret);
      const signedPath = `/object/sign/${target.bucket}/${target.name}`;
      sendJson(response, 200, { signedURL: `${signedPath}?token=${token}` });
      return true;
    }

    // Remove: DELETE /object/<bucket> {prefixes: [...]}
    if (method === 'DELETE' && !rest.includes('/')) {
      const bucket = decodeURIComponent(rest);
      if (!buckets.has(bucket)) {
        sendStorageError(response, ERRORS.noSuchBucket());
        return true;
      }
      const body = JSON.parse((await readBody(request, 1024 * 1024)).toString('utf8') || '{}') as {
        prefixes?: unknown;
      };
      if (!Array.isArray(body.prefixes) || !body.prefixes.every((prefix) => typeof prefix === 'string')) {
        sendStorageError(response, ERRORS.invalidRequest('body must have required property prefixes'));
        return true;
      }
      const removed: unknown[] = [];
      for (const name of body.prefixes as string[]) {
        const object = objects.get(`${bucket}/${name}`);
        if (object === undefined) continue;
        if (!(await allowed({ action: 'remove', bucket, path: name, role, claims }))) continue;
        objects.delete(`${bucket}/${name}`);
        await unlink(filePath(bucket, name)).catch(() => {});
        removed.push({
          bucket_id: bucket,
          name,
          id: object.id,
          owner: object.owner ?? null,
          created_at: object.createdAt,
          updated_at: object.updatedAt,
          last_accessed_at: object.updatedAt,
          metadata: {
            eTag: object.etag,
            size: object.size,
            mimetype: object.contentType,
            cacheControl: object.cacheControl,
            lastModified: object.updatedAt,
            contentLength: object.size,
            httpStatusCode: 200,
          },
        });
      }
      sendJson(response, 200, removed);
      return true;
    }

    const authenticatedRest = rest.startsWith('authenticated/') ? rest.slice('authenticated/'.length) : rest;
    const target = splitObjectPath(authenticatedRest);
    if (target === undefined) {
      request.resume();
      sendStorageError(response, ERRORS.invalidRequest(`Route ${method}:${url.pathname} not found`));
      return true;
    }
    const bucket = buckets.get(target.bucket);
    if (bucket === undefined) {
      request.resume();
      sendStorageError(response, ERRORS.noSuchBucket());
      return true;
    }
    if (target.name.split('/').some((segment) => segment === '..' || segment === '.')) {
      request.resume();
      sendStorageError(response, ERRORS.invalidKey(target.name));
      return true;
    }
    const key = `${target.bucket}/${target.name}`;

    if (method === 'GET' || method === 'HEAD') {
      const object = objects.get(key);
      if (
        object === undefined ||
        !(await allowed({ action: 'download', ...target, path: target.name, role, claims }))
      ) {
        sendStorageError(response, ERRORS.noSuchKey());
      } else {
        await serveObject(response, url, object, method === 'HEAD');
      }
      return true;
    }

    if (method === 'POST' || method === 'PUT') {
      const limit = bucketLimits.get(target.bucket) ?? globalLimit;
      let body: Buffer;
      try {
        // Multipart framing adds a little; the object itself is checked against the exact limit below.
        body = await readBody(request, limit + 64 * 1024);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          sendStorageError(response, ERRORS.tooLarge());
          return true;
        }
        throw error;
      }
      let upload: ParsedUpload;
      try {
        upload = await parseUpload(request, body);
      } catch (error) {
        sendStorageError(
          response,
          ERRORS.invalidRequest(error instanceof Error ? error.message : String(error)),
        );
        return true;
      }
      if (upload.bytes.length > limit) {
        sendStorageError(response, ERRORS.tooLarge());
        return true;
      }
      const mime = baseMime(upload.contentType);
      if (!mimeAllowed(mime, bucket.allowedMimeTypes)) {
        sendStorageError(response, ERRORS.invalidMime(mime));
        return true;
      }
      const existing = objects.get(key);
      const upsert = method === 'PUT' || request.headers['x-upsert'] === 'true';
      if (method === 'PUT' && existing === undefined) {
        sendStorageError(response, ERRORS.noSuchKey());
        return true;
      }
      if (existing !== undefined && !upsert) {
        sendStorageError(response, ERRORS.duplicate());
        return true;
      }
      const action = method === 'PUT' ? 'update' : 'upload';
      if (!(await allowed({ action, ...target, path: target.name, role, claims }))) {
        sendStorageError(response, ERRORS.accessDenied());
        return true;
      }
      const path = filePath(target.bucket, target.name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, upload.bytes);
      const now = new Date().toISOString();
      const object: StoredObject = {
        id: existing?.id ?? randomUUID(),
        bucket: target.bucket,
        name: target.name,
        size: upload.bytes.length,
        contentType: upload.contentType,
        cacheControl: upload.cacheControl,
        etag: `"${createHash('md5').update(upload.bytes).digest('hex')}"`,
        owner: typeof claims.sub === 'string' ? claims.sub : undefined,
        metadata: upload.metadata,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      objects.set(key, object);
      sendJson(response, 200, { Id: object.id, Key: key });
      return true;
    }

    request.resume();
    sendStorageError(response, ERRORS.invalidRequest(`Route ${method}:${url.pathname} not found`));
    return true;
  };
}

/** Resolves the storage folder: the given one, or a fresh temporary one removed on close. */
export async function storageFolder(
  dir: string | undefined,
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  if (dir !== undefined) {
    await mkdir(dir, { recursive: true });
    return { dir, cleanup: async () => {} };
  }
  const created = await mkdtemp(join(tmpdir(), 'relaykit-storage-'));
  return { dir: created, cleanup: () => rm(created, { recursive: true, force: true }) };
}

/**
 * Starts the Storage stand-in on 127.0.0.1. Point supabase-js at it: `createClient(server.url, server.anonKey,
 * { global: { headers: { Authorization: `Bearer ${userJwt}` } } }).storage.from('bucket').upload(...)`.
 */
export async function createSupabaseStorageServer(
  options: SupabaseStorageServerOptions,
): Promise<SupabaseStorageServer> {
  const folder = await storageFolder(options.dir);
  const objects = new Map<string, StoredObject>();
  const running = await startStandIn([createStorageHandler({ ...options, dir: folder.dir }, objects)], {
    port: options.port ?? 0,
  });
  const [anonKey, serviceRoleKey] = await Promise.all([
    mintSupabaseJwt({ secret: options.jwtSecret, role: 'anon', expiresIn: 10 * 365 * 24 * 3600 }),
    mintSupabaseJwt({ secret: options.jwtSecret, role: 'service_role', expiresIn: 10 * 365 * 24 * 3600 }),
  ]);
  return {
    url: running.url,
    dir: folder.dir,
    anonKey,
    serviceRoleKey,
    objects,
    close: async () => {
      await running.close();
      await folder.cleanup();
    },
  };
}
