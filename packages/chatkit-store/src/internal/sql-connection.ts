import type { ChatKitStoreContext } from '../ports';
import type { SqlFunctionCaller } from './sql-store';

/**
 * How each SQL driver reaches the database and runs one chatkit_* function as the user in the context, shared by the
 * ChatKit store (`drivers/*`) and the Agents SDK session store (`sessions/*`) of the same backend. One file per backend,
 * so a subpath loads only its own optional peer.
 */
/** A caller of chatkit_* functions and how to release what was opened for it. */
export interface SqlConnection {
  call: SqlFunctionCaller<ChatKitStoreContext>;
  close(): Promise<void>;
}
