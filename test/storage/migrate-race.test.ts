import { spawn } from 'node:child_process';
import Sqlite from 'better-sqlite3';
import type { QueryRunner } from 'typeorm';
import { describe, expect, it, vi } from 'vitest';
import { Database } from '../../src/storage/database.js';
import { Conversations1764290000000 } from '../../src/storage/migrations/1764290000000-Conversations.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { sqliteTarget, sqliteUrl } from '../support/services.js';

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
