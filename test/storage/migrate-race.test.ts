import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sqliteUrl } from '../support/services.js';

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
