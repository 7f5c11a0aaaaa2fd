import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app-driver.js';
import { REDIS_URL, redisAvailable, redisPrefix, removeRedisKeys, sqliteUrl } from '../support/services.js';
import { translator } from '../../src/i18n/translator.js';
import { shippedTexts } from '../support/texts.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const nl = translator(shippedTexts, 'nl');
const raadplegen = nl('participation.level.raadplegen');

/** A resident subscribes in the chat for the district of `postcode`, every topic. */
async function subscribe(app: TestApp, from: string, postcode: string): Promise<void> {
  await app.driver.send(from, 'hallo');
  await app.driver.send(from, 'blijf op de hoogte');
  await app.driver.send(from, postcode);
  await app.driver.send(from, 'nee'); // do not remember the district
  await app.driver.send(from, '1'); // every topic
  const done = await app.driver.send(from, 'ja');
  expect(done.map((m) => m.text).join('\n')).toContain('updates uit');
}

const draft = (districts: string[], title = 'Nieuw plein') => ({
  title,
  text: 'Wij maken het plein groener.',
  districts,
  level: 'raadplegen',
  influence: 'welke bomen er komen',
  until: '2027-01-15',
});

async function until(done: () => boolean | Promise<boolean>, step: () => Promise<unknown>, ms = 20_000) {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await step();
  }
}

const drivers = [
  { name: 'SQL (SQLite)', available: true, redis: false },
  { name: 'BullMQ (Redis)', available: redisAvailable, redis: true },
];

describe.each(drivers)('district updates on the $name queue', ({ available, redis }) => {
  it.skipIf(!available)(
    'reach the subscribers of the district with the level explained, nobody else, and stop on "updates uit"',
    async () => {
      const queuePrefix = redisPrefix('updates');
      if (redis) cleanups.push(() => removeRedisKeys(queuePrefix));
      const t = await startTestApp({
        databaseUrl: sqliteUrl(),
        ...(redis ? { redisUrl: REDIS_URL, queuePrefix } : {}),
      });
      cleanups.push(() => t.driver.close());
      await subscribe(t, 'anna', '2282 AB'); // Muziekbuurt
      await subscribe(t, 'bram', '2280 AA'); // Oud Rijswijk
      const from = t.sent.length;
      const sent = await t.app.commands.participation.updates.send(draft(['muziekbuurt']), { kind: 'cli' });
      expect(sent.recipients).toBe(1);
      await until(
        () => t.sent.slice(from).some((m) => m.to === 'anna'),
        () => t.driver.advance!(500),
      );
      const got = t.sent.slice(from).filter((m) => m.to === 'anna');
      expect(got).toHaveLength(1);
      expect(got[0]!.text).toContain('Nieuw plein');
      expect(got[0]!.text).toContain(raadplegen);
      expect(t.sent.slice(from).filter((m) => m.to === 'bram')).toEqual([]);
      const [listed] = await t.app.commands.participation.updates.list(5);
      expect(listed?.counts).toMatchObject({ recipients: 1, byStatus: { sent: 1 }, accepted: 1 });

      const off = await t.driver.send('anna', 'updates uit');
      expect(off.map((m) => m.text).join('\n')).toContain(nl('participation.unsubscribed'));
      const again = await t.app.commands.participation.updates.send(
        draft(['muziekbuurt'], 'Tweede bericht'),
        {
          kind: 'cli',
        },
      );
      expect(again.recipients).toBe(0);
    },
  );
});

describe('broadcast delivery on the SQL queue', () => {
  it('drains each channel in batches at its configured rate, one message per resident', async () => {
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const t = await startTestApp({
      databaseUrl: sqliteUrl(),
      clock,
      env: { BROADCAST_PER_SECOND: 'console=2', RATE_LIMIT_PER_MINUTE: '1000' },
    });
    cleanups.push(() => t.driver.close());
    const residents = Array.from({ length: 10 }, (_, i) => `r${i}`);
    for (const r of residents) await subscribe(t, r, '2282 AB');
    const from = t.sent.length;
    const { recipients } = await t.app.commands.participation.updates.send(draft(['muziekbuurt']), {
      kind: 'cli',
    });
    expect(recipients).toBe(10);
    const told = () =>
      new Set(
        t.sent
          .slice(from)
          .filter((m) => m.text.includes('Nieuw plein'))
          .map((m) => m.to),
      );
    await t.app.settle();
    // 2 a second, in batches of 2 seconds: 4 now, 4 more after two seconds, the last 2 after four.
    expect(told().size).toBe(4);
    await t.driver.advance!(1000);
    expect(told().size).toBe(4);
    await t.driver.advance!(1000);
    expect(told().size).toBe(8);
    await t.driver.advance!(2000);
    expect(told().size).toBe(10);
    await t.driver.advance!(10_000);
    expect(t.sent.slice(from).filter((m) => m.text.includes('Nieuw plein'))).toHaveLength(10);
  });

  it('sends a resident at most the configured number of updates a week', async () => {
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const t = await startTestApp({
      databaseUrl: sqliteUrl(),
      clock,
      env: { UPDATES_PER_RESIDENT_PER_WEEK: '2' },
    });
    cleanups.push(() => t.driver.close());
    await subscribe(t, 'anna', '2282 AB');
    const titles = async () =>
      t.sent.filter((m) => m.to === 'anna' && m.text.startsWith('Nieuws uit uw wijk'));
    for (const title of ['Eén', 'Twee', 'Drie']) {
      await t.app.commands.participation.updates.send(draft(['muziekbuurt'], title), { kind: 'cli' });
      await t.app.settle();
    }
    expect((await titles()).map((m) => m.text.split('\n')[0])).toEqual([
      'Nieuws uit uw wijk: Eén',
      'Nieuws uit uw wijk: Twee',
    ]);
    const [third] = await t.app.commands.participation.updates.list(1);
    expect(third?.counts?.byStatus).toMatchObject({ capped: 1, sent: 0 });
    await t.driver.advance!(8 * 24 * 3600_000);
    await t.app.commands.participation.updates.send(draft(['muziekbuurt'], 'Vier'), { kind: 'cli' });
    await t.app.settle();
    expect((await titles()).at(-1)?.text).toContain('Vier');
  });
});

describe('a resident who chose English', () => {
  // Checks that the language chosen at the first message stays for what the service sends later
  // (an update, a poll invitation, and the answers after it), not only for the first reply.
  it.each([
    ['English at the first message', ['Hello, please keep me posted']],
    ['"English" typed', ['hallo', 'English', 'keep me posted']],
  ])(
    '(%s) gets district updates and poll invitations in English, and the chat after them stays English',
    async (_how, opening) => {
      const t = await startTestApp({ databaseUrl: sqliteUrl(), env: { RATE_LIMIT_PER_MINUTE: '1000' } });
      cleanups.push(() => t.driver.close());
      const en = translator(shippedTexts, 'en');
      for (const line of opening) await t.driver.send('emma', line);
      await t.driver.send('emma', '2282 AB');
      await t.driver.send('emma', 'yes'); // remember the district (the poll uses it)
      await t.driver.send('emma', '1'); // every topic
      const done = await t.driver.send('emma', 'yes');
      expect(done.map((m) => m.text).join('\n')).toContain('updates off');

      const from = t.sent.length;
      await t.app.commands.participation.updates.send(draft(['muziekbuurt']), { kind: 'cli' });
      await until(
        () => t.sent.slice(from).some((m) => m.to === 'emma'),
        () => t.driver.advance!(500),
      );
      const update = t.sent.slice(from).find((m) => m.to === 'emma')!.text;
      expect(update).toContain(en('participation.update.title', { title: 'Nieuw plein' }));
      expect(update).toContain(en('participation.level.raadplegen'));
      expect(update).not.toContain(raadplegen);

      const mark = t.sent.length;
      await t.app.commands.polls.create(
        { question: 'Meer bankjes in het park?', options: ['Ja', 'Nee'], districts: ['muziekbuurt'] },
        'cli',
      );
      await until(
        () => t.sent.slice(mark).some((m) => m.to === 'emma'),
        () => t.driver.advance!(500),
      );
      const invite = t.sent
        .slice(mark)
        .filter((m) => m.to === 'emma')
        .map((m) => m.text)
        .join('\n');
      expect(invite).toContain(en('poll.invite', { question: 'Meer bankjes in het park?' }));
      const poll = (await t.driver.send('emma', 'poll')).map((m) => m.text).join('\n');
      expect(poll).toContain('Meer bankjes in het park?');
      expect(poll).not.toContain(nl('poll.invite_how'));
    },
  );
});
