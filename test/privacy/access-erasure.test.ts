import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { BOOK_FIRST_SLOT, startTestApp } from '../support/app-driver.js';
import {
  databaseKinds,
  freshTarget,
  postgresAvailable,
  REDIS_URL,
  redisAvailable,
  redisPrefix,
  removeRedisKeys,
} from '../support/services.js';
import { query, scanRedis, scanTables } from './scan.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const RESIDENT = 'priv-7f3a9';
const QUESTION = 'Stoeptegelmarker77 liggen los voor mijn huis.';
const TOPIC = 'Speeltuinmarker88';

const targets = [
  ...databaseKinds.map((d) => ({ ...d, label: d.kind, redis: false })),
  // Distributed mode: the queue's jobs (with their data) live in Redis under the queue's prefix.
  {
    kind: 'postgres' as const,
    available: postgresAvailable && redisAvailable,
    label: 'postgres with Redis',
    redis: true,
  },
];

describe.each(targets)('access and erasure on $label', ({ kind, available, redis }) => {
  it.skipIf(!available)(
    'export holds every stored item of a resident who used every feature; after erasure no table (and no Redis key) holds anything of theirs',
    async () => {
      const fresh = await freshTarget(kind);
      const prefix = redisPrefix('erase');
      const t = await startTestApp({
        databaseUrl: fresh.url,
        clock: new ManualClock('2026-12-01T09:00:00Z'),
        ...(redis ? { redisUrl: REDIS_URL, queuePrefix: prefix } : {}),
      });
      cleanups.push(
        fresh.cleanup,
        () => removeRedisKeys(prefix),
        () => t.driver.close(),
      );
      const { driver, app } = t;
      // An alderman with a linked chat, who is told of the new question (a copy of the resident's words).
      await driver.send('a1', `koppel ${await driver.staffCode!('fatma-yilmaz')}`);
      const said = [];
      // The district is remembered at the booking ("ja"), so the question does not ask for it again.
      const booking = BOOK_FIRST_SLOT.map((s) => (s === 'De speeltuin' ? TOPIC : s === 'nee' ? 'ja' : s));
      for (const text of booking) said.push(...(await driver.send(RESIDENT, text)));
      for (const text of ['menu', 'vraag', QUESTION, 'Klaar', 'Groen en openbare ruimte', 'Ja, versturen'])
        await driver.send(RESIDENT, text);
      // A poll in their (remembered) district, with a free-text answer.
      await app.commands.polls.create(
        {
          question: 'Meer bankjes?',
          options: ['Ja', 'Nee'],
          districts: ['rijswijk-buiten'],
          followUp: 'Waar?',
        },
        'test',
      );
      for (const text of ['peiling', 'Ja', 'Bankjesmarker99 bij de vijver'])
        await driver.send(RESIDENT, text);
      // Someone else, who must keep everything.
      await driver.send('other-resident', 'hallo');

      const address = { channel: 'console', userId: RESIDENT };
      const needles = [RESIDENT, 'Stoeptegelmarker77', TOPIC, 'Bankjesmarker99'];
      const before = await scanTables(app.db, needles);
      for (const table of ['conversations', 'inbound', 'outbox', 'cases', 'bookings', 'poll_answers'])
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

      // Their booking and case ids name them too wherever a job carries them.
      const ids = [
        ...(before.bookings ?? []).map((row) => String(row.id)),
        ...(before.cases ?? []).flatMap((row) => [String(row.id), String(row.reference)]),
      ];
      expect(ids.length).toBeGreaterThanOrEqual(3);
      if (redis) {
        const held = await scanRedis(REDIS_URL, prefix, [...needles, ...ids]);
        // Reminders of the booking and the case's routing and timers wait in BullMQ.
        expect(held.length, 'Redis holds jobs of the resident before erasure').toBeGreaterThan(0);
      }

      const counts = await app.commands.privacy.erase(address, 'test');
      expect(counts.inbound).toBeGreaterThan(0);
      expect(await scanTables(app.db, needles)).toEqual({});
      if (redis) expect(await scanRedis(REDIS_URL, prefix, [...needles, ...ids])).toEqual([]);
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
