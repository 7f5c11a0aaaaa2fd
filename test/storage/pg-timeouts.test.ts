import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../../src/shared/errors.js';
import { Database } from '../../src/storage/database.js';
import { sql } from '../../src/storage/sql.js';
import { postgresAvailable, postgresTarget } from '../support/services.js';

/**
 * Regression: the pool had no connection timeout and statements no answer timeout, so once a
 * PostgreSQL server (or a firewall in front of it) took connections but stopped answering, every
 * request and job waited for ever; only the start had a limit. Between the service and the real
 * PostgreSQL sits a TCP proxy on loopback that can turn into a server that accepts and never answers,
 * and freeze the connections it already carries.
 */
class LoopbackProxy {
  private mode: 'forward' | 'silent' = 'forward';
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Connections taken while silent (and never answered). */
  silentAccepts = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(to: { host: string; port: number }): Promise<LoopbackProxy> {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const proxy = new LoopbackProxy(server, (server.address() as { port: number }).port);
    server.on('connection', (socket) => proxy.accept(socket, to));
    return proxy;
  }

  private accept(socket: Socket, to: { host: string; port: number }): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined).on('close', () => this.sockets.delete(socket));
    if (this.mode === 'silent') {
      this.silentAccepts++;
      return;
    }
    const upstream = createConnection(to.port, to.host);
    this.sockets.add(upstream);
    upstream.on('error', () => undefined).on('close', () => this.sockets.delete(upstream));
    socket.pipe(upstream);
    upstream.pipe(socket);
    this.pairs.add([socket, upstream]);
  }

  /** New connections are taken and never answered. */
  silent(): void {
    this.mode = 'silent';
  }

  forward(): void {
    this.mode = 'forward';
  }

  /** The connections it carries stay open, but nothing goes through them any more, either way. */
  freeze(): void {
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
    this.pairs.clear();
  }

  /** Closes every connection it took or made. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((done) => this.server.close(done));
  }
}

/** What `promise` settled with, or an error saying it still waits after `ms` (it would have hung). */
async function outcome(promise: Promise<unknown>, ms = 30_000): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise((resolve) => {
    timer = setTimeout(() => resolve(new Error(`still waiting after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => error,
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length)
    await cleanups
      .pop()?.()
      .catch(() => undefined);
});

async function throughProxy(limits: { connectTimeoutMs: number; queryTimeoutMs?: number }) {
  const fresh = await postgresTarget();
  const direct = new URL((fresh.target as { url: string }).url);
  const proxy = await LoopbackProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
  const url = new URL(direct);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  const schema = (fresh.target as { schema?: string }).schema;
  const db = await Database.open(
    { kind: 'postgres', url: url.toString(), ...(schema ? { schema } : {}) },
    { migrate: false, ...limits },
  );
  cleanups.push(
    fresh.drop,
    () => proxy.close(),
    () => db.close(),
  );
  await db.run((m) => sql(m, 'postgres', 'CREATE TABLE t (id int PRIMARY KEY)'));
  return { db, proxy };
}

const insert = (db: Database, id: number) =>
  db.transaction((m) => sql(m, 'postgres', 'INSERT INTO t (id) VALUES (?) RETURNING id', [id]));

describe.skipIf(!postgresAvailable)('PostgreSQL that stops answering', () => {
  it('a new connection of the pool to a server that takes it and never answers fails after DATABASE_CONNECT_TIMEOUT_SECONDS, with the server and the setting named; the pool recovers with the server', async () => {
    const { db, proxy } = await throughProxy({ connectTimeoutMs: 1000 });
    await insert(db, 1);
    // The server goes quiet; the connections the pool had are gone (a restart, a lost route).
    proxy.silent();
    proxy.cut();
    await expect.poll(() => db.poolStats()?.total, { timeout: 20_000 }).toBe(0);

    const said = `database unavailable: PostgreSQL at 127.0.0.1:${proxy.port} did not answer within 1 s (DATABASE_CONNECT_TIMEOUT_SECONDS)`;
    for (const attempt of [() => db.ping(), () => insert(db, 2)]) {
      const failed = await outcome(attempt());
      expect(failed).toBeInstanceOf(DatabaseUnavailableError);
      expect((failed as Error).message).toBe(said);
    }
    expect(proxy.silentAccepts).toBeGreaterThanOrEqual(2);

    proxy.forward();
    expect(await outcome(insert(db, 3))).toEqual({ value: { rows: [{ id: 3 }], affected: 1 } });
    expect(db.poolStats()).toMatchObject({ waiting: 0 });
  });

  it('a statement on a connection that stops carrying answers fails after DATABASE_QUERY_TIMEOUT_SECONDS, the connection is dropped, and the pool goes on', async () => {
    const { db, proxy } = await throughProxy({ connectTimeoutMs: 1000, queryTimeoutMs: 1000 });
    await insert(db, 1);
    proxy.silent();
    proxy.freeze();

    const failed = await outcome(db.run((m) => sql(m, 'postgres', 'SELECT id FROM t')));
    expect(failed).toBeInstanceOf(DatabaseUnavailableError);
    expect((failed as Error).message).toBe(
      'database unavailable: PostgreSQL did not answer a statement within 1 s (DATABASE_QUERY_TIMEOUT_SECONDS)',
    );
    // In a transaction too (a frozen connection, or a new one the silent server never answers).
    const inTransaction = await outcome(insert(db, 2));
    expect(inTransaction).toBeInstanceOf(DatabaseUnavailableError);
    expect((inTransaction as Error).message).toMatch(/^database unavailable: PostgreSQL .*did not answer/);

    proxy.forward();
    proxy.cut();
    expect(await outcome(insert(db, 3))).toEqual({ value: { rows: [{ id: 3 }], affected: 1 } });
    expect(await db.run((m) => sql<{ id: number }>(m, 'postgres', 'SELECT id FROM t ORDER BY id'))).toEqual({
      rows: [{ id: 1 }, { id: 3 }],
      affected: 2,
    });
    expect(db.poolStats()).toMatchObject({ waiting: 0 });
  });

  it('a statement the server is slow to answer fails the same way, through sql() or TypeORM; its connection is closed, and the next statements run on good ones', async () => {
    const { db } = await throughProxy({ connectTimeoutMs: 5000, queryTimeoutMs: 1000 });
    const said =
      'database unavailable: PostgreSQL did not answer a statement within 1 s (DATABASE_QUERY_TIMEOUT_SECONDS)';
    const slow = await outcome(db.run((m) => sql(m, 'postgres', 'SELECT pg_sleep(3)')));
    expect((slow as Error).message).toBe(said);
    // TypeORM's query runner gives its client back without the error: the client closed itself.
    const throughTypeorm = await outcome(db.run((m) => m.query('SELECT pg_sleep(3)')));
    expect((throughTypeorm as Error).message).toBe(said);
    // Were either connection back in the pool, a statement here would wait behind its pg_sleep.
    for (let i = 0; i < 5; i++) {
      expect((await db.run((m) => sql<{ n: number }>(m, 'postgres', 'SELECT 1 AS n'))).rows).toEqual([
        { n: 1 },
      ]);
      expect(await db.run((m) => m.query('SELECT 2 AS n'))).toEqual([{ n: 2 }]);
    }
    expect(db.poolStats()).toMatchObject({ waiting: 0 });
  });
});
