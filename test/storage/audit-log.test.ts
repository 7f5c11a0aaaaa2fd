import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { secretFromFile } from '../../src/config/secret-file.js';
import { chainHash } from '../../src/shared/hash-chain.js';
import type { App } from '../../src/app/create-app.js';
import { startTestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget } from '../support/services.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** The service on a fresh database of this kind, with `lines` audit lines appended. */
async function appWithLines(kind: 'sqlite' | 'postgres', lines: number): Promise<{ app: App; url: string }> {
  const fresh = await freshTarget(kind);
  const t = await startTestApp({ databaseUrl: fresh.url });
  cleanups.push(fresh.cleanup, () => t.driver.close());
  for (let i = 1; i <= lines; i++)
    await t.app.commands.audit.append({
      actor: `staff:${i}`,
      action: 'case.view',
      subject: `case:RSW-2026-00000${i}`,
      detail: { n: i, nested: { b: 2, a: [1, 'x'] } },
    });
  return { app: t.app, url: fresh.url };
}

const exec = (app: App, text: string, params: unknown[] = []) => {
  const sql =
    app.db.kind === 'postgres'
      ? text.replace(/\?/g, (_, i: number) => `$${text.slice(0, i).split('?').length}`)
      : text;
  return app.db.dataSource.query(sql, params);
};

describe.each(databaseKinds)('the audit log on $kind', ({ kind, available }) => {
  it.skipIf(!available)('holds as one chain, also when many lines are appended at once', async () => {
    const { app } = await appWithLines(kind, 3);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.commands.audit.append({ actor: 'system', action: 'test.parallel', subject: `n:${i}` }),
      ),
    );
    const result = await app.commands.audit.verify();
    expect(result.broken).toBeNull();
    expect(result.checked).toBe(23);
    const newest = await app.commands.audit.page({ limit: 1 });
    expect(result.headHash).toBe(newest[0]!.hash);
  });

  it.skipIf(!available)('finds a changed line', async () => {
    const { app } = await appWithLines(kind, 5);
    await exec(app, `UPDATE audit_log SET subject = ? WHERE seq = 3`, ['case:RSW-2026-999999']);
    expect((await app.commands.audit.verify()).broken).toMatchObject({ seq: 3, reason: 'content-changed' });
    // Its detail, too (whitespace-only changes to the JSON are not changes).
    await exec(app, `UPDATE audit_log SET subject = ? WHERE seq = 3`, ['case:RSW-2026-000003']);
    await exec(app, `UPDATE audit_log SET detail = ? WHERE seq = 2`, [
      '{ "nested": {"a":[1,"x"], "b":2}, "n": 2 }',
    ]);
    expect((await app.commands.audit.verify()).broken).toBeNull();
    await exec(app, `UPDATE audit_log SET detail = ? WHERE seq = 2`, [
      '{"n":20,"nested":{"a":[1,"x"],"b":2}}',
    ]);
    expect((await app.commands.audit.verify()).broken).toMatchObject({ seq: 2, reason: 'content-changed' });
  });

  it.skipIf(!available)('finds a removed line', async () => {
    const { app } = await appWithLines(kind, 5);
    await exec(app, `DELETE FROM audit_log WHERE seq = 3`);
    const result = await app.commands.audit.verify();
    expect(result.broken).toMatchObject({ seq: 4, reason: 'link-broken' });
    expect(result.checked).toBe(2);
  });

  it.skipIf(!available)('finds an inserted line, forged without the key or even with it', async () => {
    const { app } = await appWithLines(kind, 5);
    // Make room after line 2, then slip a line in that claims to follow line 2.
    await exec(app, `UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3`);
    const [line2] = (await exec(app, `SELECT hash FROM audit_log WHERE seq = 2`)) as { hash: string }[];
    const forged = {
      at: new Date('2026-12-01T09:00:00Z'),
      actor: 'staff:1',
      action: 'case.view',
      subject: 'case:RSW-2026-000077',
      detail: {},
    };
    const insert = (prevHash: string, hash: string) =>
      exec(
        app,
        `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (3, ?, ?, ?, ?, '{}', ?, ?)`,
        [forged.at.getTime(), forged.actor, forged.action, forged.subject, prevHash, hash],
      );
    // The database itself refuses a second line after line 2: the chain cannot fork.
    await expect(insert(line2!.hash, chainHash('', line2!.hash, forged))).rejects.toThrow(
      /unique|duplicate/i,
    );
    // So a line slipped in must claim another predecessor, and the link breaks there.
    const made = 'f'.repeat(64);
    await insert(made, chainHash('', made, forged));
    expect((await app.commands.audit.verify()).broken).toMatchObject({ seq: 3, reason: 'link-broken' });
    // Someone with the key who also moves the next line's link aside: that line's hash gives it away.
    await exec(app, `DELETE FROM audit_log WHERE seq = 3`);
    await exec(app, `UPDATE audit_log SET prev_hash = ? WHERE seq = 103`, ['e'.repeat(64)]);
    const key = secretFromFile(undefined, './var/audit-secret', 'AUDIT_SECRET');
    await insert(line2!.hash, chainHash(key, line2!.hash, forged));
    expect((await app.commands.audit.verify()).broken).toMatchObject({ seq: 103, reason: 'link-broken' });
  });
});

describe('npx spreekuur audit verify', { timeout: 600_000 }, () => {
  it('says the log is intact (exit 0), then names the first broken line (exit 1)', async () => {
    const { app, url } = await appWithLines('sqlite', 4);
    const verify = () =>
      // bin/spreekuur.mjs is what `npx spreekuur` starts; the limit catches a hang, not a loaded machine.
      spawnSync(process.execPath, ['bin/spreekuur.mjs', 'audit', 'verify', '--json'], {
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 240_000,
      });
    const intact = verify();
    expect(intact.status, intact.stderr).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, checked: 4, broken: null });
    await exec(app, `UPDATE audit_log SET actor = 'staff:someone-else' WHERE seq = 2`);
    const broken = verify();
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      ok: false,
      checked: 1,
      broken: { seq: 2, reason: 'content-changed' },
    });
  });
});
