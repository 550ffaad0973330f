import { createServer, type Socket } from 'node:net';

/** Options of {@link startRefusingPostgres}. */
export interface RefusingPostgresOptions {
  /** The SQLSTATE of the refusal. Default `57P03` (cannot connect now: the server is starting up). */
  sqlState?: string;
  /** The message of the refusal. Default `the database system is starting up`. */
  message?: string;
}

/** A server speaking just enough of the Postgres wire protocol to refuse every connection. */
export interface RefusingPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/refused`. */
  readonly url: string;
  /** Stops the server and closes open sockets. */
  close(): Promise<void>;
}

/** One `ErrorResponse` message (`E`): severity, SQLSTATE and message fields, as a real server sends at startup. */
function errorResponse(sqlState: string, message: string): Buffer {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', sqlState],
      ['M', message],
    ]
      .map(([type, value]) => Buffer.from(`${type}${value}\0`, 'utf8'))
      .concat(Buffer.from([0])),
  );
  const header = Buffer.alloc(5);
  header.write('E', 0, 'ascii');
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/**
 * Starts a Postgres stand-in on a free local port that answers every startup with a FATAL error (by default
 * `57P03`, as a real server does while it starts up or recovers), then closes the connection. Point a driver at
 * `url` to see how a store behaves when the database refuses connections. An SSL request is declined first (`N`).
 */
export async function startRefusingPostgres(
  options: RefusingPostgresOptions = {},
): Promise<RefusingPostgres> {
  const refusal = errorResponse(
    options.sqlState ?? '57P03',
    options.message ?? 'the database system is starting up',
  );
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        const code = pending.readInt32BE(4);
        pending = pending.subarray(length);
        // SSLRequest and GSSENCRequest: decline, the client goes on in plain text.
        if (code === 80877103 || code === 80877104) {
          socket.write('N');
          continue;
        }
        socket.end(refusal);
        return;
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/refused`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A Postgres URL on a local port where nothing listens (the port was free a moment ago): a driver pointed at it
 * fails with `ECONNREFUSED`, like a database that is down.
 */
export async function unreachablePostgresUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `postgres://postgres@127.0.0.1:${port}/unreachable`;
}
