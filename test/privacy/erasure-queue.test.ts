import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { escapeHtml } from '../../src/shared/html.js';
import { bookFirstSlot } from '../support/app-driver.js';
import { dashboardHttp } from '../support/dashboard-http.js';
import { startDashboardServer } from '../support/dashboard-server.js';
import { privateRedis } from '../support/private-redis.js';
import { redisAvailable, sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

/**
 * An erasure takes the resident's jobs off the queue right after the database's commit. Over real
 * HTTP with the whole service on BullMQ and a Redis of the test's own: while Redis is away the
 * erasure is held and nothing changes (it used to erase the database and then wait for Redis for
 * good, the page never answering); with Redis back it goes whole, the reminders' jobs too. When
 * Redis goes away between the two parts, the page says the database part went and is logged.
 */
const t = translator(shippedTexts, 'nl');
/** The count the erased page lists for a table, by the table's label (0 when not listed). */
const countOn = (html: string, table: 'jobs' | 'inbound'): number => {
  const label = escapeHtml(t(`dashboard.privacy.table.${table}`)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Number(new RegExp(`${label}: (\\d+)`).exec(html)?.[1] ?? 0);
};
const RESIDENT = { channel: 'console', user: 'r1' };
const address = { channel: 'console', userId: 'r1' };
/** The server first, then its Redis: a queue whose Redis is gone waits for it when it closes. */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function start() {
  const first = await privateRedis();
  const port = first.port;
  const redis = { current: first };
  const s = await startDashboardServer({
    databaseUrl: sqliteUrl(),
    env: { REDIS_URL: `redis://127.0.0.1:${port}` },
  });
  stops.push(
    () => s.close(),
    () => redis.current.stop(),
  );
  await s.addAccount({ email: 'anne@rijswijk.nl', name: 'Anne Admin', role: 'admin' });
  await bookFirstSlot(s.t.driver);
  await s.t.app.settle();
  const [booking] = await s.t.app.uow.run((r) => r.bookings.activeForResident('console:r1', new Date(0)));
  // The booking's reminders wait on the queue, with the booking's id in their data.
  const queued = () => s.t.app.queue.findByContent([JSON.stringify(booking?.id)]);
  const anne = dashboardHttp(s.url);
  await anne.signIn('anne@rijswijk.nl');
  const restart = async () => {
    redis.current = await privateRedis({ port });
  };
  return { s, anne, redis, restart, queued };
}

describe.skipIf(!redisAvailable)('erasure and the job queue, over HTTP', () => {
  it(
    'holds the erasure while Redis is away, changing nothing; with Redis back it goes whole, jobs too',
    { timeout: 240_000 },
    async () => {
      const { s, anne, redis, restart, queued } = await start();
      const { app } = s.t;
      const kept = () => app.uow.run((r) => r.conversations.hasConversation(address));
      expect((await queued()).length).toBeGreaterThan(0);

      await redis.current.stop();
      const heldText = t('dashboard.privacy.held_queue');
      for (const form of [RESIDENT, { ...RESIDENT, confirm: 'yes' }]) {
        await anne.get('/dashboard/privacy');
        const refused = await anne.post('/dashboard/privacy/erase', form);
        expect(refused.status).toBe(409);
        expect(refused.text).toContain(heldText);
        expect(refused.text).not.toContain('name="confirm"');
        expect(refused.text).not.toContain(t('dashboard.privacy.erased'));
      }
      expect(await kept()).toBe(true);
      expect((await app.commands.privacy.log(10)).filter((e) => e.action === 'erase')).toEqual([]);

      // Back (empty, as a restarted Redis without AOF): the sweep puts the reminders back first.
      await restart();
      await app.sweep();
      expect((await queued()).length).toBeGreaterThan(0);
      await anne.get('/dashboard/privacy');
      const erased = await anne.post('/dashboard/privacy/erase', { ...RESIDENT, confirm: 'yes' });
      expect(erased.status).toBe(200);
      expect(erased.text).toContain(t('dashboard.privacy.erased'));
      expect(erased.text).not.toContain(t('dashboard.privacy.erased_queue_left'));
      expect(countOn(erased.text, 'jobs')).toBeGreaterThan(0);
      expect(await kept()).toBe(false);
      expect(await queued()).toEqual([]);
    },
  );

  it(
    'says the database part went and is logged when the queue fails after it; a second erasure then goes through',
    { timeout: 240_000 },
    async () => {
      const { s, anne, queued } = await start();
      const { app } = s.t;
      // Redis answers the check before the erasure, then fails the removal (as when it goes away in between).
      expect((await queued()).length).toBeGreaterThan(0);
      const remove = app.queue.removeByContent.bind(app.queue);
      app.queue.removeByContent = () => Promise.reject(new Error('Connection is closed.'));
      await anne.get('/dashboard/privacy');
      const partly = await anne.post('/dashboard/privacy/erase', { ...RESIDENT, confirm: 'yes' });
      expect(partly.status).toBe(200);
      expect(partly.text).toContain(t('dashboard.privacy.erased_queue_left'));
      expect(countOn(partly.text, 'inbound')).toBeGreaterThan(0);
      // The form is filled in for the second try.
      expect(partly.text).toMatch(/name="user"[^>]*value="r1"/);
      expect(await app.uow.run((r) => r.conversations.hasConversation(address))).toBe(false);
      const erases = (await app.commands.privacy.log(10)).filter((e) => e.action === 'erase');
      expect(erases).toHaveLength(1);
      const audit = await app.uow.run((r) => r.audit.page({ limit: 50 }));
      expect(audit.map((a) => a.action)).toContain('privacy.erase');

      app.queue.removeByContent = remove;
      await anne.get('/dashboard/privacy');
      const again = await anne.post('/dashboard/privacy/erase', { ...RESIDENT, confirm: 'yes' });
      expect(again.status).toBe(200);
      expect(again.text).toContain(t('dashboard.privacy.erased'));
      expect(again.text).not.toContain(t('dashboard.privacy.erased_queue_left'));
      expect((await app.commands.privacy.log(10)).filter((e) => e.action === 'erase')).toHaveLength(2);
    },
  );
});
