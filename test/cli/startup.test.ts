import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { privateRedis } from '../support/private-redis.js';
import { POSTGRES_URL, postgresAvailable, sqliteUrl } from '../support/services.js';

const BIN = resolve('bin/spreekuur.mjs');
const DATA_DIR = resolve('data');

/** Runs `spreekuur <args>` in an empty folder of its own (so a database it would make shows there). */
function run(args: string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'spreekuur-start-'));
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, left: readdirSync(cwd) };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** One line on stderr, no stack trace, exit 1. */
function expectOneLine(result: ReturnType<typeof run>, line: RegExp): void {
  expect(result.stderr).toMatch(line);
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.status).toBe(1);
}

describe('spreekuur --help', { timeout: 300_000 }, () => {
  // Regression: `npx spreekuur --help` started the service.
  it.each(['--help', 'help', 'serve --help'])('`spreekuur %s` prints usage and starts nothing', (line) => {
    const result = run(line.split(' '));
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: spreekuur <command>\n\s+serve\s/);
    expect(result.stdout).toContain('dead-letters list');
    // No database opened (it would be ./var/spreekuur.db here), nothing listening, nothing logged.
    expect(result.left).toEqual([]);
    expect(result.stderr).toBe('');
  });
});

describe('spreekuur without a command', { timeout: 300_000 }, () => {
  // Regression: a bare `spreekuur` (an operator finding out what it does) opened ./var/spreekuur.db
  // and started the whole service on port 3000.
  it('prints usage on stderr, starts nothing and exits 2', () => {
    const result = run([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^Name a command; `spreekuur serve` runs the service\.\nusage: spreekuur <command>\n/,
    );
    expect(result.stdout).toBe('');
    expect(result.left).toEqual([]);
  });
});

// Regression: an unreachable or missing database or Redis gave a stack trace, not one line.
describe('a connection that fails at start-up', { timeout: 300_000 }, () => {
  it('names DATABASE_URL when nothing listens at the PostgreSQL address', async () => {
    const port = await closedPort();
    const result = run(['serve'], {
      DATABASE_URL: `postgres://postgres:not-shown@127.0.0.1:${port}/spreekuur`,
    });
    expectOneLine(
      result,
      new RegExp(
        `^Start-up error: DATABASE_URL: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): start PostgreSQL`,
      ),
    );
    expect(result.stderr).not.toContain('not-shown');
  });

  it('names DATABASE_URL when the PostgreSQL address takes the connection but never answers', async () => {
    // A server that accepts and stays silent, as a host behind a firewall that drops packets: the
    // start used to hang for ever. (spawnSync blocks this process, so the kernel's backlog holds the
    // connection and nothing ever answers it.)
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const { port } = silent.address() as { port: number };
    try {
      const result = run(['migrate'], {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/spreekuur`,
        DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
      });
      expectOneLine(
        result,
        new RegExp(
          `^Start-up error: DATABASE_URL: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(ETIMEDOUT\\): start PostgreSQL`,
        ),
      );
    } finally {
      await new Promise((done) => silent.close(done));
    }
  });

  it.skipIf(!postgresAvailable)('says how to create a database that does not exist', () => {
    const url = new URL(POSTGRES_URL);
    const name = `spreekuur_missing_${randomUUID().slice(0, 8)}`;
    url.pathname = `/${name}`;
    const result = run(['migrate'], { DATABASE_URL: url.toString() });
    expectOneLine(
      result,
      new RegExp(
        `^Start-up error: DATABASE_URL: PostgreSQL at ${url.hostname}:${url.port || 5432} has no database "${name}": ` +
          `create the database with createdb -h ${url.hostname} -p ${url.port || 5432} .*${name}`,
      ),
    );
  });

  // Regression: this one said what to do but not which setting or server, unlike every other start-up line.
  it('names REDIS_URL and the server when its Redis may evict keys', async () => {
    // A Redis of its own: setting the shared one's policy would break other runs' queues meanwhile.
    const redis = await privateRedis({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    const port = redis.port;
    try {
      const result = run(['serve'], { DATABASE_URL: sqliteUrl(), REDIS_URL: `redis://127.0.0.1:${port}` });
      expectOneLine(
        result,
        new RegExp(
          `^Start-up error: REDIS_URL: Redis at 127\\.0\\.0\\.1:${port} has maxmemory-policy allkeys-lru, ` +
            `which may drop queued jobs: set it to noeviction there \\(CONFIG SET maxmemory-policy noeviction`,
        ),
      );
    } finally {
      await redis.stop();
    }
  });

  it('names REDIS_URL when nothing listens at the Redis address, without its password', async () => {
    const port = await closedPort();
    const result = run(['serve'], {
      DATABASE_URL: sqliteUrl(),
      REDIS_URL: `redis://:not-shown@127.0.0.1:${port}`,
    });
    expectOneLine(
      result,
      new RegExp(
        `^Start-up error: REDIS_URL: cannot reach Redis at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`,
      ),
    );
    expect(result.stderr).not.toContain('not-shown');
  });
});
