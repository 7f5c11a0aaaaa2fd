import type { Client, ClientConfig } from 'pg';

/** node-pg's message for a statement whose answer did not come within `query_timeout`. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * node-pg's Client for the pool, whose connection attempts give up after `connectMs` with a message
 * naming the server and the setting (code ETIMEDOUT: the connection is lost, not a statement's fault).
 * Set on the client rather than the pool: the pool's own `connectionTimeoutMillis` would also limit
 * the wait for a free connection of a busy pool, which must stay unlimited under load. A pool waiter
 * still never waits for ever: each failed attempt hands the next waiter a new one.
 */
export async function timedClientClass(connectMs: number): Promise<typeof Client> {
  // Loaded here, not at the top: a command on SQLite never needs node-pg (TypeORM loads it for PostgreSQL).
  const { default: pg } = await import('pg');
  return class TimedClient extends pg.Client {
    constructor(config?: string | ClientConfig) {
      super({
        ...(typeof config === 'string' ? { connectionString: config } : config),
        connectionTimeoutMillis: connectMs,
      });
      // A statement left without an answer leaves the connection out of step with the server: closed
      // at once (node-pg's end() cuts a connection with a statement still out), no later statement
      // waits behind it, and the pool drops it when it comes back, also from TypeORM's query runner,
      // which gives clients back without the error.
      const query = this.query.bind(this) as (...args: unknown[]) => unknown;
      const closeIfUnanswered = (error: unknown) => {
        if ((error as { message?: unknown } | null)?.message === QUERY_READ_TIMEOUT) void this.end();
      };
      this.query = ((...args: unknown[]) => {
        const callback = args.at(-1);
        if (typeof callback === 'function') {
          args[args.length - 1] = (error: unknown, result: unknown) => {
            closeIfUnanswered(error);
            (callback as (error: unknown, result: unknown) => void)(error, result);
          };
          return query(...args);
        }
        const result = query(...args);
        if (result instanceof Promise) result.catch(closeIfUnanswered);
        return result;
      }) as Client['query'];
    }

    override connect(): Promise<Client>;
    override connect(callback: (err: Error) => void): void;
    override connect(callback?: (err: Error) => void): Promise<Client> | void {
      const started = Date.now();
      const clear = (error: Error) =>
        connectFailure(error, { host: this.host, port: this.port }, connectMs, started);
      if (callback) return super.connect((err: Error) => callback(err ? clear(err) : err));
      return super.connect().catch((err: unknown) => {
        throw err instanceof Error ? clear(err) : err;
      });
    }
  };
}

/**
 * node-pg's connection timeout ends the attempt with 'timeout expired' (or, a server that says
 * nothing, with the socket's end): said here as what it is, with the setting to change.
 */
function connectFailure(
  error: Error,
  server: { host: string; port: number },
  connectMs: number,
  started: number,
): Error {
  const code = (error as { code?: unknown }).code;
  const timedOut =
    error.message === 'timeout expired' || (code === undefined && Date.now() - started >= connectMs - 50);
  if (!timedOut) return error;
  return Object.assign(
    new Error(
      `PostgreSQL at ${server.host}:${server.port} did not answer within ${seconds(connectMs)} (DATABASE_CONNECT_TIMEOUT_SECONDS)`,
      { cause: error },
    ),
    { code: 'ETIMEDOUT' },
  );
}

/**
 * A statement that got no answer within `queryMs` (node-pg's `query_timeout`), said with the setting,
 * or undefined for any other error. Its connection is closed (TimedClient) and dropped by the pool.
 */
export function queryTimeoutOf(error: unknown, queryMs: number): Error | undefined {
  if (!isQueryReadTimeout(error)) return undefined;
  return Object.assign(
    new Error(
      `PostgreSQL did not answer a statement within ${seconds(queryMs)} (DATABASE_QUERY_TIMEOUT_SECONDS)`,
      { cause: error },
    ),
    { code: 'ETIMEDOUT' },
  );
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * PostgreSQL could not be reached or went away: refused or reset connections, a server shutting
 * down or starting up (57P01-57P03), connection exceptions (08xxx), a pool whose client died.
 */
export function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string } | undefined;
  const code = e?.driverError?.code ?? e?.code ?? '';
  if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|57P0[123]|08\d\d\d)$/.test(code))
    return true;
  return /Connection terminated|terminating connection|the database system is (starting up|shutting down)|Client has encountered a connection error|connect ECONNREFUSED/i.test(
    e?.message ?? '',
  );
}

/** The database is away (see isConnectionLoss) or did not answer a statement in time: no statement's fault. */
export function databaseAway(error: unknown): boolean {
  return isConnectionLoss(error) || isQueryReadTimeout(error);
}

/** node-pg's `query_timeout` fired: the statement got no answer in time (also inside TypeORM's error). */
function isQueryReadTimeout(error: unknown): boolean {
  const e = error as { message?: unknown; driverError?: { message?: unknown } } | undefined;
  return e?.driverError?.message === QUERY_READ_TIMEOUT || e?.message === QUERY_READ_TIMEOUT;
}
