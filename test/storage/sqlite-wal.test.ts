import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WAL_CHECKPOINT_PAGES } from '../../src/storage/database.js';
import { sql } from '../../src/storage/sql.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';

// A checkpoint runs inside a commit on the process's one thread and syncs the file: at SQLite's
// default of every 1000 pages it ran every few dozen routed cases and, on a busy disk, held up every
// job and message behind it. The WAL now grows to WAL_CHECKPOINT_PAGES first.
describe('the SQLite write-ahead log', () => {
  const fresh = freshDatabasePerTest();

  it('is checkpointed by a commit only after WAL_CHECKPOINT_PAGES pages, not at 1000 (every row still there)', async () => {
    const { db, target } = await fresh.open('sqlite');
    if (target.kind !== 'sqlite') throw new Error('expected a SQLite target');
    const setting = (name: string) =>
      db.run(async (m) => Object.values((await sql(m, 'sqlite', `PRAGMA ${name}`)).rows[0] ?? {})[0]);
    expect(await setting('journal_mode')).toBe('wal');
    expect(await setting('synchronous')).toBe(1); // NORMAL
    expect(await setting('wal_autocheckpoint')).toBe(WAL_CHECKPOINT_PAGES);
    const pageSize = Number(await setting('page_size'));

    // 1500 commits of about a page each: a checkpoint at 1000 pages would start the log over, so the
    // file would stop growing near 1000 pages.
    await db.run((m) => sql(m, 'sqlite', 'CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, v BLOB)'));
    const row = Buffer.alloc(pageSize - 200, 7);
    for (let i = 0; i < 1500; i++)
      await db.transaction((m) => sql(m, 'sqlite', 'INSERT INTO wal_probe (v) VALUES (?)', [row]));
    const walPages = statSync(`${target.file}-wal`).size / pageSize;
    expect(walPages).toBeGreaterThan(1400);
    expect(walPages).toBeLessThan(WAL_CHECKPOINT_PAGES);
    const { rows } = await db.run((m) =>
      sql<{ n: number }>(m, 'sqlite', 'SELECT COUNT(*) AS n FROM wal_probe'),
    );
    expect(rows).toEqual([{ n: 1500 }]);
  });
});
