import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { BOOK_FIRST_SLOT, startTestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget } from '../support/services.js';
import { query, scanTables } from './scan.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const RESIDENT = 'priv-7f3a9';
const QUESTION = 'Stoeptegelmarker77 liggen los voor mijn huis.';
const TOPIC = 'Speeltuinmarker88';

describe.each(databaseKinds)('access and erasure on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'export holds every stored item of a resident who used every feature; after erasure no table holds anything of theirs',
    async () => {
      const fresh = await freshTarget(kind);
      const t = await startTestApp({
        databaseUrl: fresh.url,
        clock: new ManualClock('2026-12-01T09:00:00Z'),
      });
      cleanups.push(fresh.cleanup, () => t.driver.close());
      const { driver, app } = t;
      // An alderman with a linked chat, who is told of the new question (a copy of the resident's words).
      await driver.send('a1', `koppel ${await driver.staffCode!('fatma-yilmaz')}`);
      const said = [];
      for (const text of BOOK_FIRST_SLOT.map((s) => (s === 'De speeltuin' ? TOPIC : s)))
        said.push(...(await driver.send(RESIDENT, text)));
      for (const text of [
        'menu',
        'vraag',
        QUESTION,
        'Klaar',
        '2288 GD',
        'Ja',
        'Groen en openbare ruimte',
        'Ja, versturen',
      ])
        await driver.send(RESIDENT, text);
      // Someone else, who must keep everything.
      await driver.send('other-resident', 'hallo');

      const address = { channel: 'console', userId: RESIDENT };
      const needles = [RESIDENT, 'Stoeptegelmarker77', TOPIC];
      const before = await scanTables(app.db, needles);
      for (const table of ['conversations', 'inbound', 'outbox', 'cases', 'bookings'])
        expect(
          before[table]?.length ?? 0,
          `${table} holds the resident's data: ${JSON.stringify(said.slice(-4))}`,
        ).toBeGreaterThan(0);

      const document = await app.commands.privacy.export(address, 'test');
      const exported = JSON.stringify(document.data);
      for (const [table, rows] of Object.entries(before)) {
        const ids = (document.data[table] ?? []).map((r) => String(r.id ?? r.key));
        for (const row of rows)
          expect(ids, `${table} row ${String(row.id ?? row.key)} in the export`).toContain(
            String(row.id ?? row.key),
          );
      }
      for (const needle of needles) expect(exported).toContain(needle);
      // Nobody else's data comes along.
      expect(exported).not.toContain('other-resident');

      const counts = await app.commands.privacy.erase(address, 'test');
      expect(counts.inbound).toBeGreaterThan(0);
      expect(await scanTables(app.db, needles)).toEqual({});
      // The other resident's conversation is untouched; the anonymous figures remain.
      expect(await scanTables(app.db, ['other-resident'])).not.toEqual({});
      const figures = await query<{ n: unknown }>(app.db, `SELECT COUNT(*) AS n FROM cases`);
      expect(Number(figures[0]?.n)).toBe(1);
      // The privacy log names the resident only by a keyed hash.
      const log = await app.commands.privacy.log(10);
      expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['export', 'erase']));
      expect(JSON.stringify(log)).not.toContain(RESIDENT);
    },
  );
});
