/**
 * Whether the test PostgreSQL and Redis can be used, and if not, one line saying why and what to
 * do. Used once per run by test/support/global-setup.ts, and by test/support/services.ts when a
 * test file runs without it.
 */
import { Redis } from 'ioredis';
import pg from 'pg';

export type ServiceStatus = { ok: true } | { ok: false; reason: string };

const where = (url: string) => {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || '(default port)'}`;
};

/** Connects to the test database and runs one query. */
export async function probePostgres(url: string): Promise<ServiceStatus> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    const database = decodeURIComponent(new URL(url).pathname.slice(1)) || '(default)';
    if (code === '3D000') {
      return {
        ok: false,
        reason:
          `PostgreSQL at ${where(url)} is running but has no database "${database}": ` +
          `create it (createdb -h ${new URL(url).hostname} -U ${new URL(url).username || 'postgres'} ${database}) ` +
          `or point TEST_POSTGRES_URL at another`,
      };
    }
    if (code?.startsWith('28')) {
      return {
        ok: false,
        reason: `PostgreSQL at ${where(url)} refused the login: ${message} (set TEST_POSTGRES_URL)`,
      };
    }
    return {
      ok: false,
      reason: `PostgreSQL is not reachable at ${where(url)} (${code ?? message}); set TEST_POSTGRES_URL`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Connects to the test Redis and sends PING. */
export async function probeRedis(url: string): Promise<ServiceStatus> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return { ok: true };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/NOAUTH|WRONGPASS/.test(message)) {
      return { ok: false, reason: `Redis at ${where(url)} refused: ${message} (set TEST_REDIS_URL)` };
    }
    return { ok: false, reason: `Redis is not reachable at ${where(url)} (${message}); set TEST_REDIS_URL` };
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key that starts with `prefix`; returns how many there were. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const keys = await redisKeys(url, prefix);
  if (keys.length === 0) return 0;
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  } finally {
    redis.disconnect();
  }
  return keys.length;
}

/** Every key that starts with `prefix` (SCAN, so a busy shared Redis is not blocked). */
export async function redisKeys(url: string, prefix: string): Promise<string[]> {
  if (!/^[\w.-]+$/.test(prefix)) throw new RangeError(`not a safe key prefix: "${prefix}"`);
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const found: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return found;
}
