import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/http/server.js';
import { startTestApp } from '../support/app-driver.js';
import { serverPort } from '../support/net.js';
import {
  POSTGRES_URL,
  REDIS_URL,
  postgresAvailable,
  postgresTarget,
  redisAvailable,
  redisPrefix,
  removeRedisKeys,
  sqliteUrl,
} from '../support/services.js';

/**
 * How long `spreekuur serve` may take to answer /healthz: a few seconds when the machine is idle
 * (Node, tsx, migrations), a minute when it is busy. A limit to catch a hang, never a measure.
 */
const START_LIMIT_MS = 180_000;

/** Starts `spreekuur serve`, waits for /healthz, stops it with SIGTERM; returns the health and exit code. */
async function serveOnce(env: Record<string, string>) {
  const port = await serverPort();
  const child = spawn(process.execPath, ['bin/spreekuur.mjs', 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = Date.now();
  let health: { status: number; body: Record<string, unknown> } | undefined;
  while (Date.now() - started < START_LIMIT_MS && child.exitCode === null) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      health = { status: res.status, body: (await res.json()) as Record<string, unknown> };
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill('SIGTERM');
  const code = await exited;
  return { health, code, stderr, ms: Date.now() - started };
}

describe('spreekuur serve', { timeout: 2 * START_LIMIT_MS }, () => {
  it('serves /healthz on SQLite with the in-database queue, and stops cleanly on SIGTERM', async () => {
    const run = await serveOnce({ DATABASE_URL: sqliteUrl() });
    expect(run.stderr).toBe('');
    expect(run.health?.status).toBe(200);
    expect(run.health?.body).toMatchObject({
      status: 'ok',
      database: { kind: 'sqlite', ok: true },
      queue: { driver: 'sql', ok: true },
    });
    expect(run.code).toBe(0);
  });

  it.skipIf(!postgresAvailable || !redisAvailable)(
    'names PostgreSQL and BullMQ when configured',
    async () => {
      const pg = await postgresTarget();
      const prefix = redisPrefix('serve');
      try {
        const run = await serveOnce({ DATABASE_URL: pg.url, REDIS_URL, REDIS_PREFIX: prefix });
        expect(run.health?.status).toBe(200);
        expect(run.health?.body).toMatchObject({
          database: { kind: 'postgres', ok: true },
          queue: { driver: 'bullmq', ok: true },
        });
        expect(run.code).toBe(0);
      } finally {
        await pg.drop();
        await removeRedisKeys(prefix);
      }
      expect(POSTGRES_URL).toMatch(/^postgres/);
    },
  );
});

describe('/healthz', () => {
  it('answers 503 when the database is unreachable', async () => {
    const { app, driver } = await startTestApp({ databaseUrl: sqliteUrl(), queuePrefix: randomUUID() });
    const server = buildHttpServer({ health: () => app.health() });
    const ok = await server.inject({ method: 'GET', url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ channels: { console: 'ready' } });
    await app.db.close();
    const down = await server.inject({ method: 'GET', url: '/healthz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'unavailable', database: { ok: false } });
    await driver.close().catch(() => undefined);
  });
});
