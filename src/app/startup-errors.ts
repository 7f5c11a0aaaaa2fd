import { RedisEvictionPolicyError } from '../queue/errors.js';
import { StartupError } from '../shared/errors.js';

type Setting = 'DATABASE_URL' | 'REDIS_URL';

/** Codes of a server that is not there (down, wrong host or port, no route). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

/**
 * Runs `open` (connecting to the database or Redis at start); a connection failure becomes one line
 * naming the setting and what to do, never a stack trace. Any other failure passes unchanged.
 */
export async function connecting<T>(setting: Setting, url: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw explainConnectionFailure(setting, url, error) ?? error;
  }
}

/** The one line for a failure to connect, or undefined when `error` is not one (a failed migration). */
export function explainConnectionFailure(
  setting: Setting,
  url: string,
  error: unknown,
): StartupError | undefined {
  const line = (text: string) => new StartupError(`Start-up error: ${setting}: ${text}`, { cause: error });
  if (error instanceof RedisEvictionPolicyError && url) {
    return line(
      `Redis at ${serverOf(url).address} has maxmemory-policy ${error.policy}, which may drop queued jobs: ` +
        `set it to noeviction there (CONFIG SET maxmemory-policy noeviction, and in redis.conf), then start again`,
    );
  }
  const reason = codeOf(error) ?? codeOf(error instanceof Error ? error.cause : undefined);
  if (!reason || !url) return undefined;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    return reason === 'EACCES' || reason === 'EROFS' || reason === 'EPERM'
      ? line(
          `cannot write the SQLite file ${file} (${reason}): give the service's user write access to it and its folder`,
        )
      : undefined;
  }
  const where = serverOf(url);
  if (setting === 'REDIS_URL') {
    if (UNREACHABLE.has(reason)) {
      return line(
        `cannot reach Redis at ${where.address} (${reason}): start Redis there, or unset REDIS_URL to keep the jobs in the database`,
      );
    }
    return /NOAUTH|WRONGPASS|NOPERM/.test(reason)
      ? line(
          `Redis at ${where.address} refused the login (${reason}): check the user and password in REDIS_URL`,
        )
      : undefined;
  }
  if (UNREACHABLE.has(reason)) {
    return line(
      `cannot reach PostgreSQL at ${where.address} (${reason}): start PostgreSQL there, or point DATABASE_URL at a running server`,
    );
  }
  if (reason === '3D000') {
    return line(
      `PostgreSQL at ${where.address} has no database "${where.database}": create the database with ` +
        `createdb -h ${where.host} -p ${where.port}${where.user ? ` -U ${where.user}` : ''} ${where.database} ` +
        `(or CREATE DATABASE "${where.database}";), then start again`,
    );
  }
  if (reason === '28000' || reason === '28P01') {
    return line(
      `PostgreSQL at ${where.address} refused the login (${messageOf(error)}): check the user and password in DATABASE_URL`,
    );
  }
  return undefined;
}

/** A Node system error code (ECONNREFUSED), a PostgreSQL SQLSTATE (3D000) or a Redis reply word (WRONGPASS). */
function codeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code) return code;
  return /^(NOAUTH|WRONGPASS|NOPERM)\b/.exec(error.message)?.[1];
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
