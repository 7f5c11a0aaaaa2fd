import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import Sqlite from 'better-sqlite3';
import type { QueryRunner } from 'typeorm';
import { describe, expect, it, vi } from 'vitest';
import { connecting } from '../../src/app/startup-errors.js';
import { Database, migrationLockKey } from '../../src/storage/database.js';
import { Conversations1764290000000 } from '../../src/storage/migrations/1764290000000-Conversations.js';
import { migrations } from '../../src/storage/migrations/index.js';
import {
  freshTarget,
  POSTGRES_URL,
  postgresAvailable,
  sqliteTarget,
  sqliteUrl,
} from '../support/services.js';

function migrate(databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/spreekuur.mjs', 'migrate'], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('processes starting together on a new database', () => {
  it('all migrate it without an error, and print nothing on stdout (regression: TypeORM wrote a failed migration there)', async () => {
    const url = sqliteUrl();
    const runs = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs.map((r) => r.stdout)).toEqual(['', '', '']);
  });
});

// Regression: TypeORM read the list of applied migrations before taking SQLite's write lock, so a
// process could apply migrations meanwhile; a slower one then ran ConversationSearch again over a later
// migration's trigger ("no such table: main.inbound"), which no retry recognised: `migrate` exited 1.
describe('a migration run on SQLite', () => {
  it('holds the write lock from reading the list of applied migrations to the last one', async () => {
    const target = sqliteTarget();
    if (target.kind !== 'sqlite') throw new Error('expected a SQLite target');
    const db = await Database.open(target, { migrate: false });
    // Stands for another process (one told not to wait): once this run has read the list, it must not write.
    const other = new Sqlite(target.file, { timeout: 0 });
    let otherWrite = 'not tried';
    const up = Conversations1764290000000.prototype.up;
    const spy = vi.spyOn(Conversations1764290000000.prototype, 'up').mockImplementationOnce(async function (
      this: Conversations1764290000000,
      q: QueryRunner,
    ) {
      try {
        other.exec('BEGIN IMMEDIATE; COMMIT');
        otherWrite = 'allowed';
      } catch (error) {
        otherWrite = (error as { code?: string }).code ?? String(error);
      }
      return up.call(this, q);
    });
    try {
      expect(await db.migrate()).toHaveLength(migrations.length);
      expect(otherWrite).toBe('SQLITE_BUSY');
      const names = other.prepare('SELECT name FROM migrations').pluck().all();
      expect(names).toHaveLength(migrations.length);
      expect(new Set(names).size).toBe(migrations.length);
    } finally {
      spy.mockRestore();
      other.close();
      await db.close();
    }
  });
});

// Regression: `migrate` said "Database is up to date." also when it had just applied every migration,
// so step 3 of an upgrade (docs/operations.md) could not tell whether the new migrations ran.
describe('spreekuur migrate', () => {
  it('says how many migrations it applied, then that there is nothing to apply', async () => {
    const url = sqliteUrl();
    const first = await migrate(url);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^Applied \d+ migrations, the last \w+: the database is up to date\.\n$/);
    const second = await migrate(url);
    expect(second).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No migrations to apply: the database is up to date.\n',
    });
  });
});

// Regression: on PostgreSQL, TypeORM read the list of applied migrations before any transaction, so a
// process starting beside another (web, worker and channels in compose.yaml) could run a migration the
// other had just applied: DDL failed and was retried, but one whose second run succeeds (an UPDATE,
// CREATE INDEX IF NOT EXISTS) applied twice. migrate() now holds an advisory lock for the whole run.
describe.skipIf(!postgresAvailable)('a migration run on PostgreSQL', () => {
  it('makes a second run wait until the first is done, which then applies nothing again', async () => {
    const { target, cleanup } = await freshTarget('postgres');
    if (target.kind !== 'postgres') throw new Error('expected a PostgreSQL target');
    // The second run's connections carry a name of their own, so its lock waits can be told apart.
    const secondName = `migrate-race-${randomUUID().slice(0, 8)}`;
    const secondUrl = new URL(target.url);
    secondUrl.searchParams.set('application_name', secondName);
    const first = await Database.open(target, { migrate: false });
    const second = await Database.open({ ...target, url: secondUrl.toString() }, { migrate: false });
    const other = await freshTarget('postgres');
    const observer = new pg.Client({ connectionString: POSTGRES_URL });
    await observer.connect();
    let secondRun: Promise<string[]> | undefined;
    let otherSchemaApplied: string[] = [];
    const up = Conversations1764290000000.prototype.up;
    const spy = vi.spyOn(Conversations1764290000000.prototype, 'up').mockImplementationOnce(async function (
      this: Conversations1764290000000,
      q: QueryRunner,
    ) {
      // The first run is inside its first migration: a second run on this schema must wait for it…
      const run = second.migrate();
      secondRun = run;
      let settled = false;
      run.then(
        () => (settled = true),
        () => (settled = true),
      );
      let waitingOn: string[] = [];
      while (!settled && waitingOn.length === 0) {
        await sleep(20);
        const { rows } = await observer.query<{ locktype: string }>(
          `SELECT l.locktype FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE a.application_name = $1 AND NOT l.granted`,
          [secondName],
        );
        waitingOn = rows.map((r) => r.locktype);
      }
      // (before the lock: it ran on, and waited for this migration's tables, or applied them itself)
      if (settled || waitingOn.join() !== 'advisory') {
        throw new Error(
          `the second run did not wait for the migration lock: ${settled ? 'it ended' : waitingOn.join()}`,
        );
      }
      // …while a run on another schema (another test's) waits for nothing.
      const elsewhere = await Database.open(other.target, { migrate: false });
      try {
        otherSchemaApplied = await elsewhere.migrate();
      } finally {
        await elsewhere.close();
      }
      return up.call(this, q);
    });
    const names = migrations.map((m) => m.name).sort();
    try {
      expect((await first.migrate()).sort()).toEqual(names);
      expect(await secondRun).toEqual([]);
      expect(otherSchemaApplied).toHaveLength(migrations.length);
      const { rows } = await observer.query<{ name: string }>(
        `SELECT name FROM ${target.schema}.migrations ORDER BY id`,
      );
      expect(rows.map((r) => r.name).sort()).toEqual(names);
      expect(await lockIsFree(observer, target.schema)).toBe(true);
    } finally {
      spy.mockRestore();
      await secondRun?.catch(() => undefined);
      await observer.end();
      await first.close();
      await second.close();
      await other.cleanup();
      await cleanup();
    }
  });
});

/** Whether the migration lock of `schema` is free: taken and given back at once by `client`. */
async function lockIsFree(client: pg.Client, schema: string | undefined): Promise<boolean> {
  const key = migrationLockKey(schema ?? 'public');
  const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS got', [
    key,
  ]);
  if (rows[0]?.got) await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  return rows[0]?.got === true;
}

describe.skipIf(!postgresAvailable)('a failed migration run on PostgreSQL', () => {
  it('gives the migration lock back', async () => {
    const { target, cleanup } = await freshTarget('postgres');
    const db = await Database.open(target, { migrate: false });
    const observer = new pg.Client({ connectionString: POSTGRES_URL });
    await observer.connect();
    const spy = vi
      .spyOn(Conversations1764290000000.prototype, 'up')
      .mockRejectedValueOnce(new Error('a migration that fails'));
    try {
      await expect(db.migrate()).rejects.toThrow('a migration that fails');
      expect(await lockIsFree(observer, target.kind === 'postgres' ? target.schema : undefined)).toBe(true);
      // The pool's connections are all still usable, and the next run applies everything.
      expect(await db.migrate()).toHaveLength(migrations.length);
    } finally {
      spy.mockRestore();
      await observer.end();
      await db.close();
      await cleanup();
    }
  });
});

describe.skipIf(!postgresAvailable)('processes starting together on a new PostgreSQL schema', () => {
  it('migrate it once: one applies every migration, the others find nothing to apply', async () => {
    const { url, cleanup } = await freshTarget('postgres');
    try {
      const runs = await Promise.all([migrate(url), migrate(url), migrate(url)]);
      expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
      expect(runs.map((r) => r.stdout)).toEqual(['', '', '']);
      const reports = runs.map((r) => r.stderr.replace(/^Applied \d+ migrations, .*\n$/, 'applied all\n'));
      expect(reports.sort()).toEqual([
        'No migrations to apply: the database is up to date.\n',
        'No migrations to apply: the database is up to date.\n',
        'applied all\n',
      ]);
    } finally {
      await cleanup();
    }
  });
});

// The start's one-line errors (src/app/startup-errors.ts) cover connecting; a migration that fails
// once connected is a fault of the code and must keep its error and stack trace.
describe('a migration that fails at start', () => {
  it('is not passed off as a connection failure', async () => {
    const target = sqliteTarget();
    const fault = Object.assign(new Error('near "CREAT": syntax error'), { code: 'SQLITE_ERROR' });
    const spy = vi.spyOn(Conversations1764290000000.prototype, 'up').mockRejectedValueOnce(fault);
    let connectedBeforeMigrating = false;
    try {
      await expect(
        connecting('DATABASE_URL', `sqlite:${target.kind === 'sqlite' ? target.file : ''}`, (connected) =>
          Database.open(target, {
            onConnected: () => {
              connectedBeforeMigrating = spy.mock.calls.length === 0;
              connected();
            },
          }),
        ),
      ).rejects.toBe(fault);
      expect(connectedBeforeMigrating).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });
});
