import { RedisEvictionPolicyError } from '../queue/errors.js';
import { ConfigError, StartupError } from '../shared/errors.js';

type Setting = 'DATABASE_URL' | 'REDIS_URL';

/**
 * Where a start was when it failed: still `connecting` (any failure is the connection's: one line), or
 * `connected` (running migrations: only a failure known to be the server's or the disk's is one line,
 * a failed migration keeps its stack trace).
 */
export type ConnectPhase = 'connecting' | 'connected';

/** Codes of a server that is not there (down, wrong host or port, no route). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

/** Node's codes for a TLS handshake or certificate that failed (ERR_TLS_CERT_ALTNAME_INVALID, …). */
const TLS =
  /^(ERR_TLS_|ERR_SSL_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_(VERIFY|GET_ISSUER)|CERT_|HOSTNAME_MISMATCH)/;

/**
 * Runs `open` (connecting to the database or Redis at start); a connection failure becomes one line
 * naming the setting and what to do, never a stack trace. `open` calls `connected()` once it holds a
 * connection: after that only failures known to be the server's pass as one line (a migration that
 * fails is a fault of the code, and keeps its stack trace).
 */
export async function connecting<T>(
  setting: Setting,
  url: string,
  open: (connected: () => void) => Promise<T>,
): Promise<T> {
  let phase: ConnectPhase = 'connecting';
  try {
    return await open(() => (phase = 'connected'));
  } catch (error) {
    throw explainConnectionFailure(setting, url, error, phase) ?? error;
  }
}

/**
 * The one line for a failure to connect, or undefined when `error` is not one: a failure once
 * `connected` whose code is not the server's or the disk's (a failed migration), or a programming
 * error (TypeError, …) without a code.
 */
export function explainConnectionFailure(
  setting: Setting,
  url: string,
  error: unknown,
  phase: ConnectPhase = 'connecting',
): StartupError | undefined {
  // Already one line of our own ("the folder /data does not exist"): main prints it as it is.
  if (!url || error instanceof ConfigError || error instanceof StartupError) return undefined;
  const reason = codeOf(error) ?? codeOf(error instanceof Error ? error.cause : undefined);
  const text =
    evictionLine(url, error) ??
    (reason === undefined ? undefined : knownLine(setting, url, reason, error)) ??
    (phase === 'connecting' && !isProgrammingError(error, reason)
      ? genericLine(url, reason, error)
      : undefined);
  if (text === undefined) return undefined;
  // A driver's message may quote the address; the password never goes to a log.
  const password = passwordOf(url);
  const shown = password ? text.replaceAll(decodeURIComponent(password), '***') : text;
  return new StartupError(`Start-up error: ${setting}: ${shown}`, { cause: error });
}

/** The line for a code that says what is wrong: the server's, the network's or the disk's. */
function knownLine(setting: Setting, url: string, reason: string, error: unknown): string | undefined {
  if (url.startsWith('sqlite:')) return sqliteLine(url.slice('sqlite:'.length), reason);
  if (TLS.test(reason)) return tlsLine(setting, url, reason, error);
  return setting === 'REDIS_URL' ? redisLine(url, reason) : postgresLine(url, reason, error);
}

function evictionLine(url: string, error: unknown): string | undefined {
  if (!(error instanceof RedisEvictionPolicyError)) return undefined;
  return (
    `Redis at ${serverOf(url).address} has maxmemory-policy ${error.policy}, which may drop queued jobs: ` +
    `set it to noeviction there (CONFIG SET maxmemory-policy noeviction, and in redis.conf), then start again`
  );
}

/** The SQLite file's own trouble: access, a missing folder, a damaged file, a full or failing disk. */
function sqliteLine(file: string, reason: string): string | undefined {
  if (['EACCES', 'EROFS', 'EPERM', 'SQLITE_READONLY', 'SQLITE_PERM'].includes(reason))
    return `cannot write the SQLite file ${file} (${reason}): give the service's user write access to it and its folder`;
  if (['SQLITE_CANTOPEN', 'ENOENT', 'ENOTDIR', 'EISDIR'].includes(reason))
    return `cannot open the SQLite file ${file} (${reason}): point DATABASE_URL at a file (not a folder) in a folder the service's user may write to`;
  if (reason === 'SQLITE_NOTADB' || reason.startsWith('SQLITE_CORRUPT'))
    return `${file} is not a sound SQLite database (${reason}): restore the last backup there (docs/operations.md), or point DATABASE_URL at another file`;
  if (reason === 'SQLITE_FULL' || reason === 'ENOSPC')
    return `the disk that holds ${file} is full (${reason}): make room there, then start again`;
  if (reason.startsWith('SQLITE_BUSY') || reason.startsWith('SQLITE_LOCKED'))
    return `${file} stayed locked by another process (${reason}): stop whatever else holds it open for writing, then start again`;
  if (reason.startsWith('SQLITE_IOERR') || reason === 'EIO')
    return `reading or writing ${file} failed (${reason}): check the disk and its file system, then start again`;
  return undefined;
}

function tlsLine(setting: Setting, url: string, reason: string, error: unknown): string {
  const server = setting === 'REDIS_URL' ? 'Redis' : 'PostgreSQL';
  return (
    `the TLS connection to ${server} at ${serverOf(url).address} failed (${reason}: ${messageOf(error)}): the ` +
    `server's certificate must be valid, name that host, and come from an authority this machine trusts ` +
    `(NODE_EXTRA_CA_CERTS=/path/to/ca.pem); check the host and the TLS settings in ${setting}`
  );
}

function redisLine(url: string, reason: string): string | undefined {
  const where = serverOf(url).address;
  if (UNREACHABLE.has(reason))
    return `cannot reach Redis at ${where} (${reason}): start Redis there, or unset REDIS_URL to keep the jobs in the database`;
  if (/NOAUTH|WRONGPASS|NOPERM/.test(reason))
    return `Redis at ${where} refused the login (${reason}): check the user and password in REDIS_URL`;
  return undefined;
}

function postgresLine(url: string, reason: string, error: unknown): string | undefined {
  const where = serverOf(url);
  switch (reason) {
    case '3D000':
      return (
        `PostgreSQL at ${where.address} has no database "${where.database}": create the database with ` +
        `createdb -h ${where.host} -p ${where.port}${where.user ? ` -U ${where.user}` : ''} ${where.database} ` +
        `(or CREATE DATABASE "${where.database}";), then start again`
      );
    case '28000':
    case '28P01':
      return `PostgreSQL at ${where.address} refused the login (${messageOf(error)}): check the user and password in DATABASE_URL`;
    case '53300':
      return (
        `PostgreSQL at ${where.address} has no free connection (53300: ${messageOf(error)}): raise max_connections ` +
        `there, or run fewer processes (each keeps up to 10 connections), then start again`
      );
    case '57P03':
      return `PostgreSQL at ${where.address} is starting up or recovering and takes no connections yet (57P03): start again in a moment`;
    default:
      return UNREACHABLE.has(reason)
        ? `cannot reach PostgreSQL at ${where.address} (${reason}): start PostgreSQL there, or point DATABASE_URL at a running server`
        : undefined;
  }
}

/** Any other failure while connecting: its code and message, and where the setting points. */
function genericLine(url: string, reason: string | undefined, error: unknown): string {
  const target = url.startsWith('sqlite:')
    ? `the SQLite file ${url.slice('sqlite:'.length)}`
    : serverOf(url).address;
  const what = reason === undefined ? messageOf(error) : `${reason}: ${messageOf(error)}`;
  return `connecting to ${target} failed (${what.split('\n')[0]}): check that address and the server, then start again`;
}

/** A fault of the code itself (a TypeError from a bug), not of a server: it keeps its stack trace. */
function isProgrammingError(error: unknown, reason: string | undefined): boolean {
  if (!(error instanceof Error)) return false;
  const bug =
    error instanceof TypeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError ||
    error instanceof RangeError;
  return bug && reason === undefined;
}

/** A Node system error code (ECONNREFUSED), a PostgreSQL SQLSTATE (3D000) or a Redis reply word (WRONGPASS). */
function codeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code) return code;
  return /^(NOAUTH|WRONGPASS|NOPERM)\b/.exec(error.message)?.[1];
}

function passwordOf(url: string): string {
  try {
    return new URL(url).password;
  } catch {
    return '';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Host, port, database and user of a URL: never its password. */
function serverOf(url: string): {
  host: string;
  port: string;
  address: string;
  database: string;
  user: string;
} {
  const parsed = new URL(url);
  const postgres = parsed.protocol.startsWith('postgres');
  const host = parsed.hostname || 'localhost';
  const port = parsed.port || (postgres ? '5432' : '6379');
  return {
    host,
    port,
    address: `${host}:${port}`,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    user: decodeURIComponent(parsed.username),
  };
}
