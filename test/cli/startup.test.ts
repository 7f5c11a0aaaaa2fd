import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connecting, explainConnectionFailure } from '../../src/app/startup-errors.js';
import { RedisUnreachableError } from '../../src/queue/errors.js';
import { ConfigError, StartupError } from '../../src/shared/errors.js';
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

/** As `run`, without blocking this process, so a server in it can answer the command. */
async function runBeside(args: string[], env: Record<string, string>): Promise<ReturnType<typeof run>> {
  const cwd = mkdtempSync(join(tmpdir(), 'spreekuur-start-'));
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  return { status, stdout, stderr, left: readdirSync(cwd) };
}

/**
 * A PostgreSQL server on loopback that refuses every connection with one ErrorResponse (`code`,
 * `message`), as a full or starting server does, after reading the client's start-up message.
 */
async function refusingPostgres(code: string, message: string): Promise<Server & { port: number }> {
  const field = (type: string, value: string) => Buffer.from(`${type}${value}\0`);
  const body = Buffer.concat([
    field('S', 'FATAL'),
    field('V', 'FATAL'),
    field('C', code),
    field('M', message),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(body.length + 4, 1);
  const server = createServer((socket) => {
    socket.once('data', () => socket.end(Buffer.concat([head, body])));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return Object.assign(server, { port: (server.address() as { port: number }).port });
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

// Regression: a code the list did not know (too many clients, a server starting up, TLS, a damaged
// SQLite file, anything else while connecting) gave a stack trace instead of one line.
describe('a connection refused for another reason at start-up', { timeout: 300_000 }, () => {
  it.each([
    [
      '53300',
      'sorry, too many clients already',
      /PostgreSQL at 127\.0\.0\.1:\d+ has no free connection \(53300: sorry, too many clients already\): raise max_connections/,
    ],
    [
      '57P03',
      'the database system is starting up',
      /PostgreSQL at 127\.0\.0\.1:\d+ is starting up or recovering and takes no connections yet \(57P03\): start again in a moment/,
    ],
    [
      'XX000',
      'something unforeseen',
      /connecting to 127\.0\.0\.1:\d+ failed \(XX000: something unforeseen\): check that address/,
    ],
  ])('names DATABASE_URL when PostgreSQL answers %s', async (code, message, line) => {
    const server = await refusingPostgres(code, message);
    try {
      const result = await runBeside(['migrate'], {
        DATABASE_URL: `postgres://spreekuur:not-shown@127.0.0.1:${server.port}/spreekuur`,
      });
      expectOneLine(result, new RegExp(`^Start-up error: DATABASE_URL: ${line.source}`));
      expect(result.stderr).not.toContain('not-shown');
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('names DATABASE_URL when the SQLite file is not a database', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spreekuur-notadb-')), 'spreekuur.db');
    writeFileSync(file, 'this is no SQLite database, but a text file of the right name\n'.repeat(100));
    const result = run(['migrate'], { DATABASE_URL: `sqlite:${file}` });
    expectOneLine(
      result,
      /^Start-up error: DATABASE_URL: \S+spreekuur\.db is not a sound SQLite database \(SQLITE_NOTADB\): restore the last backup/,
    );
  });
});

describe('connecting: which failures become one line', () => {
  const coded = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
  const fails = (error: Error, after: 'before' | 'after') => (connected: () => void) => {
    if (after === 'after') connected();
    return Promise.reject(error);
  };

  it('keeps a failure after connecting (a migration) as it was, unless the server caused it', async () => {
    const migration = coded('42601', 'syntax error at or near "CREAT"');
    await expect(connecting('DATABASE_URL', 'postgres://db/s', fails(migration, 'after'))).rejects.toBe(
      migration,
    );
    const sqlite = coded('SQLITE_ERROR', 'near "CREAT": syntax error');
    await expect(connecting('DATABASE_URL', 'sqlite:var/s.db', fails(sqlite, 'after'))).rejects.toBe(sqlite);
    await expect(
      connecting('DATABASE_URL', 'postgres://db/s', fails(coded('ECONNRESET'), 'after')),
    ).rejects.toThrow(/^Start-up error: DATABASE_URL: cannot reach PostgreSQL at db:5432 \(ECONNRESET\)/);
  });

  it('keeps a programming error as it was, also while connecting', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'query')");
    await expect(connecting('DATABASE_URL', 'postgres://db/s', fails(bug, 'before'))).rejects.toBe(bug);
  });

  it('makes any other failure while connecting one line with its code and message', async () => {
    const sqlite = coded('SQLITE_ERROR', 'near "CREAT": syntax error');
    await expect(connecting('DATABASE_URL', 'sqlite:var/s.db', fails(sqlite, 'before'))).rejects.toThrow(
      'Start-up error: DATABASE_URL: connecting to the SQLite file var/s.db failed (SQLITE_ERROR: near "CREAT": syntax error)',
    );
    const redis = new RedisUnreachableError(
      new Error('ERR unknown command for redis://:pw-not-shown@r:6380'),
    );
    const line = explainConnectionFailure('REDIS_URL', 'redis://:pw-not-shown@r:6380', redis);
    expect(line).toBeInstanceOf(StartupError);
    expect(line?.message).toBe(
      'Start-up error: REDIS_URL: connecting to r:6380 failed (Redis unreachable: ERR unknown command for ' +
        'redis://:***@r:6380): check that address and the server, then start again',
    );
  });

  it.each([
    ['SELF_SIGNED_CERT_IN_CHAIN', 'REDIS_URL', 'rediss://r:6380', 'Redis at r:6380'],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'DATABASE_URL',
      'postgres://db/s?sslmode=verify-full',
      'PostgreSQL at db:5432',
    ],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DATABASE_URL', 'postgres://db/s', 'PostgreSQL at db:5432'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'REDIS_URL', 'rediss://r:6380', 'Redis at r:6380'],
  ] as const)('says what to check when TLS fails with %s', (code, setting, url, server) => {
    const line = explainConnectionFailure(setting, url, coded(code, 'certificate trouble'), 'connected');
    expect(line?.message).toMatch(
      new RegExp(
        `^Start-up error: ${setting}: the TLS connection to ${server} failed \\(${code}: certificate trouble\\): .*NODE_EXTRA_CA_CERTS.*in ${setting}$`,
      ),
    );
  });

  it.each([
    ['SQLITE_CANTOPEN', /cannot open the SQLite file var\/s\.db \(SQLITE_CANTOPEN\)/],
    ['SQLITE_READONLY', /cannot write the SQLite file var\/s\.db \(SQLITE_READONLY\)/],
    ['SQLITE_FULL', /the disk that holds var\/s\.db is full \(SQLITE_FULL\)/],
    ['SQLITE_CORRUPT', /var\/s\.db is not a sound SQLite database \(SQLITE_CORRUPT\)/],
    ['SQLITE_BUSY', /var\/s\.db stayed locked by another process \(SQLITE_BUSY\)/],
    ['SQLITE_IOERR_SHORT_READ', /reading or writing var\/s\.db failed \(SQLITE_IOERR_SHORT_READ\)/],
  ])('names DATABASE_URL and the SQLite file for %s, also after connecting', (code, text) => {
    const line = explainConnectionFailure('DATABASE_URL', 'sqlite:var/s.db', coded(code), 'connected');
    expect(line?.message).toMatch(new RegExp(`^Start-up error: DATABASE_URL: ${text.source}`));
  });

  // Regression: the generic line wrapped a clear configuration error of our own ("the folder
  // /nonexistent-dir does not exist") in "connecting to the SQLite file … failed (…)".
  it('leaves a line of our own as it is: a configuration or start-up error is not wrapped', async () => {
    const own = new ConfigError(
      'Configuration error: DATABASE_URL: the folder /nonexistent-dir does not exist',
    );
    expect(explainConnectionFailure('DATABASE_URL', 'sqlite:/nonexistent-dir/x.db', own)).toBeUndefined();
    const already = new StartupError('Start-up error: REDIS_URL: cannot reach Redis');
    expect(explainConnectionFailure('REDIS_URL', 'redis://r:6379', already)).toBeUndefined();
    await expect(
      connecting('DATABASE_URL', 'sqlite:/nonexistent-dir/x.db', () => Promise.reject(own)),
    ).rejects.toBe(own);
  });
});
