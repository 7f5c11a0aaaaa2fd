import { afterEach, describe, expect, it } from 'vitest';
import { GLOBAL_FAILURE_LIMIT } from '../../src/features/staff/link-code.js';
import type { AuditRecord } from '../../src/ports/audit-repository.js';
import { startTestApp, type TestApp } from '../support/app-driver.js';
import { spreekuur } from '../support/processes.js';
import { databaseKinds, freshTarget, sqliteUrl } from '../support/services.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const said = (t: TestApp, from: string, text: string) =>
  t.driver.send(from, text).then((sent) => sent.map((m) => m.text).join('\n'));
const audit = async (t: TestApp): Promise<AuditRecord[]> =>
  (await t.app.uow.run((r) => r.audit.page({ limit: 500 }))).reverse();
const linked = (t: TestApp) => t.app.commands.staff.identities();

/** A code no alderman holds (every code is drawn from 000000–999999). */
async function wrongCode(t: TestApp, taken: string[]): Promise<string> {
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!taken.includes(code)) return code;
  }
}

describe.each(databaseKinds)('staff link codes on $kind', ({ kind, available }) => {
  const start = async () => {
    const fresh = await freshTarget(kind);
    const t = await startTestApp({ databaseUrl: fresh.url });
    cleanups.push(fresh.cleanup, () => t.driver.close());
    return t;
  };

  it.skipIf(!available)(
    'a new code revokes the older ones; every code, link and wrong try is audited',
    async () => {
      const t = await start();
      const first = await t.driver.staffCode!('fatma-yilmaz');
      const second = await t.driver.staffCode!('fatma-yilmaz');
      const other = await t.driver.staffCode!('anna-de-vries');
      expect(await said(t, 'a1', `koppel ${first}`)).toMatch(/klopt niet/);
      expect(await linked(t)).toEqual([]);
      expect(await said(t, 'a1', `koppel ${second}`)).toMatch(/gekoppeld aan wethouder Fatma Yilmaz/);
      // Another alderman's code is not touched by Fatma's new one.
      expect(await said(t, 'a2', `koppel ${other}`)).toMatch(/wethouder Anna de Vries/);
      expect((await linked(t)).map((i) => [i.aldermanId, i.userId])).toEqual([
        ['anna-de-vries', 'a2'],
        ['fatma-yilmaz', 'a1'],
      ]);
      expect((await audit(t)).map((r) => [r.action, r.subject, r.detail])).toEqual([
        ['staff.link-code', 'alderman:fatma-yilmaz', { revoked: 0 }],
        ['staff.link-code', 'alderman:fatma-yilmaz', { revoked: 1 }],
        ['staff.link-code', 'alderman:anna-de-vries', { revoked: 0 }],
        // A wrong try keeps no chat address: it may be a resident's.
        ['staff.link-failed', 'staff-link', { channel: 'console' }],
        ['staff.link', 'alderman:fatma-yilmaz', { channel: 'console', userId: 'a1' }],
        ['staff.link', 'alderman:anna-de-vries', { channel: 'console', userId: 'a2' }],
      ]);
    },
  );

  it.skipIf(!available)(
    `${GLOBAL_FAILURE_LIMIT} wrong tries from many chats within an hour suspend every open code, audited`,
    async () => {
      const t = await start();
      const codes = [await t.driver.staffCode!('anna-de-vries'), await t.driver.staffCode!('pieter-jansen')];
      const wrong = await wrongCode(t, codes);
      // Each chat stays under its own limit of five; together they pass the global one.
      for (let i = 1; i < GLOBAL_FAILURE_LIMIT; i++) await said(t, `guess-${i % 7}-${i}`, `koppel ${wrong}`);
      expect((await audit(t)).filter((r) => r.action === 'staff.link-suspended')).toEqual([]);
      await said(t, 'guess-last', `koppel ${wrong}`);
      const suspended = (await audit(t)).filter((r) => r.action === 'staff.link-suspended');
      expect(suspended.map((r) => r.detail)).toEqual([
        { failures: GLOBAL_FAILURE_LIMIT, windowMinutes: 60, suspended: 2 },
      ]);
      expect((await audit(t)).filter((r) => r.action === 'staff.link-failed')).toHaveLength(
        GLOBAL_FAILURE_LIMIT,
      );
      // The right codes no longer link anyone.
      expect(await said(t, 'anna', `koppel ${codes[0]}`)).toMatch(/klopt niet/);
      expect(await said(t, 'pieter', `koppel ${codes[1]}`)).toMatch(/klopt niet/);
      expect(await linked(t)).toEqual([]);
      // An hour later the guesses have aged out: a new code works.
      await t.driver.advance!(61 * 60_000);
      const fresh = await t.driver.staffCode!('anna-de-vries');
      expect(await said(t, 'anna', `koppel ${fresh}`)).toMatch(/wethouder Anna de Vries/);
    },
  );
});

describe('staff unlink', () => {
  it('removes a linked chat from the command line, audited; the chat is a resident chat again', async () => {
    const url = sqliteUrl();
    const t = await startTestApp({ databaseUrl: url });
    cleanups.push(() => t.driver.close());
    await said(t, 'alderman-phone', `koppel ${await t.driver.staffCode!('fatma-yilmaz')}`);
    expect(await said(t, 'alderman-phone', 'vragen')).toMatch(/^U heeft geen open vragen./);
    expect(await linked(t)).toHaveLength(1);

    const env = { DATABASE_URL: url };
    const run = spreekuur(['staff', 'unlink', 'console:alderman-phone'], env);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe("Unlinked console:alderman-phone; it is a resident's chat again.\n");
    expect(run.status).toBe(0);
    expect(await linked(t)).toEqual([]);
    const again = spreekuur(['staff', 'unlink', '--channel', 'console', '--user', 'alderman-phone'], env);
    expect([again.status, again.stderr]).toEqual([1, 'console:alderman-phone is not linked.\n']);
    expect(spreekuur(['staff', 'unlink'], env).status).toBe(2);

    const rows = (await audit(t)).filter((r) => r.action === 'staff.unlink');
    expect(rows.map((r) => [r.actor, r.subject, r.detail])).toEqual([
      ['cli', 'alderman:fatma-yilmaz', { channel: 'console', userId: 'alderman-phone' }],
    ]);
    // "vragen" is a resident's word again, not the alderman's list.
    expect(await said(t, 'alderman-phone', 'vragen')).not.toContain('U heeft geen open vragen.');
  });
});
