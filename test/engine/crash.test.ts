import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/storage/database.js';
import { sqliteTarget } from '../support/services.js';

function run(mode: string, databaseUrl: string) {
  return spawnSync(process.execPath, ['bin/run-ts.mjs', 'test/engine/fixtures/crash-run.ts', mode], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('a crash between storing a message and replying', () => {
  it('loses nothing and, after a restart, replies exactly once', async () => {
    const target = sqliteTarget();
    const url = `sqlite:${target.kind === 'sqlite' ? target.file : ''}`;

    const crashed = run('crash', url);
    expect(crashed.signal).toBe('SIGKILL');
    expect(crashed.stdout).toBe('');

    const db = await Database.open(target);
    const pending = await db.run((m) => m.query<{ status: string }[]>(`SELECT status FROM inbound`));
    expect(pending).toEqual([{ status: 'pending' }]);
    await db.close();

    const recovered = run('recover', url);
    expect(recovered.status).toBe(0);
    const lines = recovered.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { to: string; text: string });
    expect(lines.filter((l) => /privacy|gegevens/i.test(l.text))).toHaveLength(1);
    expect(lines.every((l) => l.to === 'r1')).toBe(true);

    const again = run('recover', url);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('');

    const check = await Database.open(target);
    const rows = await check.run((m) =>
      m.query<{ sent: number; status: string }[]>(
        `SELECT (SELECT COUNT(*) FROM outbox) AS sent, (SELECT status FROM inbound) AS status`,
      ),
    );
    await check.close();
    expect(rows[0]).toEqual({ sent: lines.length, status: 'done' });
  });
});
