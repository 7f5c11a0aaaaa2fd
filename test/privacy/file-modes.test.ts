import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secretFromFile } from '../../src/config/secret-file.js';
import { parseDatabaseUrl } from '../../src/storage/database-url.js';
import { Database } from '../../src/storage/database.js';

const roots: string[] = [];
afterEach(() => {
  while (roots.length) rmSync(roots.pop()!, { recursive: true, force: true });
});
const root = () => {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-modes-'));
  roots.push(dir);
  return dir;
};
const mode = (path: string) => statSync(path).mode & 0o777;

describe('files that hold personal data or secrets are for the service alone', () => {
  it('creates the SQLite file and its -wal and -shm 0600 in a 0700 folder', async () => {
    const dir = join(root(), 'var', 'nested');
    // A relative path is the service's own to create (an absolute one must exist already).
    const file = relative(process.cwd(), join(dir, 'spreekuur.db'));
    const db = await Database.open(parseDatabaseUrl(`sqlite:${file}`));
    try {
      await db.dataSource.query(`CREATE TABLE mode_probe (x TEXT)`);
      await db.dataSource.query(`INSERT INTO mode_probe VALUES ('a')`);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) {
        expect(existsSync(path), path).toBe(true);
        expect(mode(path), path).toBe(0o600);
      }
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(dir, '..'))).toBe(0o700);
    } finally {
      await db.close();
    }
  });

  it('narrows an existing SQLite file that was readable by others', async () => {
    const file = join(root(), 'old.db');
    writeFileSync(file, '', { mode: 0o644 });
    chmodSync(file, 0o644);
    const db = await Database.open(parseDatabaseUrl(`sqlite:${file}`));
    try {
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(mode(path), path).toBe(0o600);
    } finally {
      await db.close();
    }
  });

  it('makes a secret file 0600 in a 0700 folder, and narrows one copied in with a wider mode', () => {
    const dir = join(root(), 'var');
    const file = join(dir, 'log-pseudonym-key');
    const made = secretFromFile(undefined, file, 'LOG_PSEUDONYM_KEY');
    expect(made.length).toBeGreaterThanOrEqual(32);
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);

    chmodSync(file, 0o644);
    expect(secretFromFile(undefined, file, 'LOG_PSEUDONYM_KEY')).toBe(made);
    expect(mode(file)).toBe(0o600);
  });
});
