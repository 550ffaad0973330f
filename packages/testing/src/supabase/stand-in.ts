import { startStandIn } from './http';
import { mintSupabaseJwt } from './jwt';
import { createRpcHandler, type RecordedRpcCall, type SupabaseRpcServerOptions } from './rpc-server';
import {
  createStorageHandler,
  type StorageBucketConfig,
  type StoredObject,
  type SupabaseStorageServerOptions,
  storageFolder,
} from './storage-server';

/** Options of {@link createSupabaseStandIn}: the RPC and Storage options, sharing one secret and one URL. */
export interface SupabaseStandInOptions {
  /** The project's JWT secret. */
  jwtSecret: string;
  /** Serve `/rest/v1/rpc/*` on this database (omit to serve no RPC). */
  database?: SupabaseRpcServerOptions['database'];
  /** RPC options other than `database`, `jwtSecret` and `port`. */
  rpc?: Omit<SupabaseRpcServerOptions, 'database' | 'jwtSecret' | 'port'>;
  /** Serve `/storage/v1/object/*` with these buckets (omit to serve no Storage). */
  buckets?: StorageBucketConfig[];
  /** Storage options other than `buckets`, `jwtSecret` and `port`. */
  storage?: Omit<SupabaseStorageServerOptions, 'buckets' | 'jwtSecret' | 'port'>;
  /** Port on 127.0.0.1. Default 0. */
  port?: number;
}

/** RPC and Storage stand-ins behind one "project URL", so one supabase-js client reaches both. */
export interface SupabaseStandIn {
  readonly url: string;
  readonly anonKey: string;
  readonly serviceRoleKey: string;
  readonly rpcCalls: RecordedRpcCall[];
  readonly objects: ReadonlyMap<string, StoredObject>;
  /** The Storage folder, when Storage is served. */
  readonly storageDir: string | undefined;
  close(): Promise<void>;
}

/** Starts the RPC and Storage stand-ins on one port (`createClient(standIn.url, standIn.anonKey)` reaches both). */
export async function createSupabaseStandIn(options: SupabaseStandInOptions): Promise<SupabaseStandIn> {
  const rpcCalls: RecordedRpcCall[] = [];
  const objects = new Map<string, StoredObject>();
  const handlers = [];
  if (options.database !== undefined) {
    handlers.push(
      createRpcHandler(
        { ...options.rpc, database: options.database, jwtSecret: options.jwtSecret },
        rpcCalls,
      ),
    );
  }
  let folder: Awaited<ReturnType<typeof storageFolder>> | undefined;
  if (options.buckets !== undefined) {
    folder = await storageFolder(options.storage?.dir);
    handlers.push(
      createStorageHandler(
        { ...options.storage, buckets: options.buckets, jwtSecret: options.jwtSecret, dir: folder.dir },
        objects,
      ),
    );
  }
  const running = await startStandIn(handlers, { port: options.port ?? 0 });
  const [anonKey, serviceRoleKey] = await Promise.all([
    mintSupabaseJwt({ secret: options.jwtSecret, role: 'anon', expiresIn: 10 * 365 * 24 * 3600 }),
    mintSupabaseJwt({ secret: options.jwtSecret, role: 'service_role', expiresIn: 10 * 365 * 24 * 3600 }),
  ]);
  return {
    url: running.url,
    anonKey,
    serviceRoleKey,
    rpcCalls,
    objects,
    storageDir: folder?.dir,
    close: async () => {
      await running.close();
      await folder?.cleanup();
    },
  };
}
