/**
 * PostgreSQL and Redis of the fault suite's own, on their own ports and in a temporary folder, so the
 * suite can kill and restart them without touching the shared instances on 5432 and 6379.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

function pgBin(name: string): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin/${name}`;
}

/** Runs a PostgreSQL tool as the `postgres` user (initdb and the server refuse to run as root). */
function asPostgres(args: string[]): string {
  const asRoot = process.getuid?.() === 0;
  const [cmd, ...rest] = asRoot ? ['runuser', '-u', 'postgres', '--', ...args] : args;
  return execFileSync(cmd!, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class PrivatePostgres {
  readonly url: string;
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  /** initdb into a temporary folder, then start on `port` (trust on loopback, socket in the folder). */
  static async start(port: number): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'spreekuur-faults-pg-'));
    const db = new PrivatePostgres(dir, port);
    try {
      chmodSync(dir, 0o777);
      asPostgres([pgBin('initdb'), '-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
      await db.startServer();
      return db;
    } catch (error) {
      // Nothing of a failed start stays behind: no server, no folder.
      db.stopNow();
      throw error;
    }
  }

  async startServer(): Promise<void> {
    // fsync off: the suite tests the service's recovery, not the disk's durability.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    asPostgres([
      pgBin('pg_ctl'),
      '-D',
      join(this.dir, 'data'),
      '-o',
      options,
      '-l',
      join(this.dir, 'log'),
      '-w',
      'start',
    ]);
    await this.waitUntilUp();
  }

  /** Stops the server at once (open connections are cut), then starts it again. */
  async restart(downMs: number): Promise<void> {
    asPostgres([pgBin('pg_ctl'), '-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    await sleep(downMs);
    await this.startServer();
  }

  async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }

  /** Runs one statement in another database of this server. */
  async queryIn(database: string, sql: string): Promise<Record<string, unknown>[]> {
    const client = new pg.Client({ connectionString: this.urlOf(database) });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }

  urlOf(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async stop(): Promise<void> {
    this.stopNow();
    return Promise.resolve();
  }

  /** Stops the server (if it runs) and removes its folder; synchronous, so it also works on exit. */
  stopNow(): void {
    try {
      if (existsSync(join(this.dir, 'data', 'postmaster.pid')))
        asPostgres([pgBin('pg_ctl'), '-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped.
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private async waitUntilUp(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      try {
        await this.query('SELECT 1');
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`private PostgreSQL on ${this.port} did not come up`);
  }
}

export class PrivateRedis {
  private child: ChildProcess | undefined;
  readonly url: string;

  constructor(readonly port: number) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  /** Nothing on disk: a restart comes back empty, as after losing a Redis without persistence. */
  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    this.child = spawn('redis-server', [...args, '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        execFileSync('redis-cli', ['-p', String(this.port), 'ping'], { stdio: 'ignore' });
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error(`private Redis on ${this.port} did not come up`);
  }

  /** Kills the server at once; synchronous, so it also works on exit. */
  stopNow(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Killed and started empty. */
  async restartEmpty(downMs: number): Promise<void> {
    await this.stop();
    await sleep(downMs);
    await this.start();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
