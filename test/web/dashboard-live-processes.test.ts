import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announced, axeViolations, browserAvailable, recordAnnouncements } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, TEST_PASSWORD } from '../support/dashboard-server.js';
import { spreekuur, startJsonlChat, startServe } from '../support/processes.js';
import { BOOK_FIRST_SLOT } from '../support/app-driver.js';
import { shippedTexts } from '../support/texts.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';
import { translator } from '../../src/i18n/translator.js';

const dash = useDashboardBrowser();
const t = translator(shippedTexts, 'nl');

/**
 * The municipality's data with one extra chat session of Fatma Yilmaz starting some minutes ahead
 * (real clock): time to book it on a loaded machine. The test then moves every process's clock
 * (TEST_CLOCK_FILE) to a few seconds before the start, instead of waiting for it.
 */
function dataWithSessionSoon(): { dir: string; start: Date } {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-live-data-'));
  cpSync('data', dir, { recursive: true });
  const hours = JSON.parse(readFileSync(join(dir, 'hours.json'), 'utf8')) as {
    rules: { minNoticeMinutes: number };
    exceptions: { extra: unknown[] };
  };
  const local = (at: Date) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Europe/Amsterdam',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(at)
        .map((p) => [p.type, p.value]),
    );
  // Five minutes from the next whole minute: booking it never races its start.
  const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 5 * 60_000);
  const end = new Date(start.getTime() + 20 * 60_000);
  const [s, e] = [local(start), local(end)];
  hours.rules.minNoticeMinutes = 0;
  hours.exceptions.extra.push({
    id: 'fatma-live-test',
    aldermanId: 'fatma-yilmaz',
    date: `${s.year}-${s.month}-${s.day}`,
    start: `${s.hour}:${s.minute}`,
    end: `${e.hour}:${e.minute}`,
    slotMinutes: 10,
    kind: 'chat',
    place: 'WhatsApp',
  });
  writeFileSync(join(dir, 'hours.json'), JSON.stringify(hours));
  return { dir, start };
}

/**
 * The live session as it runs: the resident is `spreekuur chat --jsonl` (a process of its own), the
 * alderman uses `spreekuur serve` in Chromium from the dashboard (no phone linked); both share one
 * SQLite database and a real clock. What reaches the resident is what the chat process prints.
 */
describe.skipIf(!browserAvailable)(
  'the live session from the dashboard with the real processes (Chromium)',
  { timeout: 420_000 },
  () => {
    it('the alderman opens the booked session at its start, sees the resident live, replies to their chat and ends it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'spreekuur-live-'));
      const session = dataWithSessionSoon();
      const clockFile = join(dir, 'clock-offset');
      const env = {
        DATABASE_URL: `sqlite:${join(dir, 'spreekuur.db')}`,
        DATA_DIR: session.dir,
        TEST_CLOCK_FILE: clockFile,
        DASHBOARD_COOKIE_SECRET: 'a dashboard cookie secret for the browser tests only',
        AUDIT_SECRET: 'an audit secret for the browser tests only, 32+ chars',
        WEBCHAT_ENABLED: 'false',
        SWEEP_SECONDS: '1',
      };
      expect(spreekuur(['migrate'], env).status).toBe(0);
      for (const [email, name, role] of [
        ['fatma@rijswijk.nl', 'Fatma Yilmaz', 'alderman:fatma-yilmaz'],
        ['anna@rijswijk.nl', 'Anna de Vries', 'alderman:anna-de-vries'],
      ]) {
        const made = spreekuur(
          ['users', 'add', '--email', email!, '--name', name!, '--role', role!, '--password-stdin'],
          env,
          `${TEST_PASSWORD}\n`,
        );
        expect(made.status, made.stderr).toBe(0);
      }
      const chat = startJsonlChat(env);
      dash.closeAfter(() => chat.close());
      const serve = await startServe(env);
      dash.closeAfter(() => serve.stop());

      // The resident books the first slot: Fatma Yilmaz's session that starts in a few minutes.
      const booked: Record<string, unknown>[] = [];
      for (const text of BOOK_FIRST_SLOT) booked.push(...(await chat.send('rik', text)));
      const reference = /AFS-[A-Z0-9]+/.exec(booked.map((l) => String(l.text)).join('\n'))?.[0] ?? '';
      expect(reference).not.toBe('');

      const fatma = await dash.page('10.0.3.1');
      await signIn(fatma.page, serve.url, 'fatma@rijswijk.nl');
      await fatma.page.goto(`${serve.url}/dashboard/live`);
      await fatma.page.getByRole('link', { name: t('dashboard.live.open', { reference }) }).waitFor();
      expect(await axeViolations(fatma.page)).toEqual([]);
      await fatma.page.getByRole('link', { name: t('dashboard.live.open', { reference }) }).click();
      const url = fatma.page.url();
      expect(await fatma.page.locator('main').textContent()).toContain(t('dashboard.live.state.upcoming'));
      expect(await axeViolations(fatma.page)).toEqual([]);
      await recordAnnouncements(fatma.page);

      // Another alderman cannot open it.
      const anna = await dash.page('10.0.3.2');
      await signIn(anna.page, serve.url, 'anna@rijswijk.nl');
      expect((await anna.page.goto(url))?.status()).toBe(404);

      // The slot starts: the resident hears it in their chat, and the open page says so and shows its
      // reply box without a reload. Every process's clock moves to 5 s before the start (each reads
      // the file again within 0.1 s), so nobody waits minutes of real time for it.
      writeFileSync(clockFile, String(session.start.getTime() - 5_000 - Date.now()));
      await chat.waitFor((l) => l.to === 'rik' && String(l.text).includes('begint nu'), 120_000);
      await fatma.page
        .locator('[data-live-status]')
        .getByText(t('dashboard.live.live.opened'))
        .waitFor({ timeout: 30_000 });
      expect(await fatma.page.locator('[data-live-state]').textContent()).toBe(
        t('dashboard.live.state.open'),
      );
      // A screen reader hears the start once, from the page's one status region.
      expect(await announced(fatma.page)).toEqual([t('dashboard.live.live.opened')]);
      expect(await fatma.page.getByLabel('Uw bericht').isVisible()).toBe(true);

      // What the resident writes appears on the page live; the payloads among it show as text and never run.
      expect(await chat.send('rik', 'Goedemorgen, het gaat over de speeltuin.')).toEqual([]);
      // (A dozen: more at once on the real clock would trip the flood guard.)
      const sample = XSS_PAYLOADS.slice(0, 12);
      for (const payload of sample) expect(await chat.send('rik', payload)).toEqual([]);
      const transcript = fatma.page.locator('.dash-transcript');
      await transcript.getByText('Goedemorgen, het gaat over de speeltuin.').waitFor({ timeout: 15_000 });
      await transcript.getByText(sample.at(-1)!.trim(), { exact: true }).waitFor({ timeout: 15_000 });
      expect(await transcript.locator('li').count()).toBe(sample.length + 1);
      expect(await axeViolations(fatma.page)).toEqual([]);

      // The alderman's reply reaches the resident's chat as it is.
      await fatma.page.getByLabel('Uw bericht').fill('Goedemorgen! Vertelt u maar.');
      await fatma.page.getByRole('button', { name: 'Versturen' }).click();
      await chat.waitFor((l) => l.to === 'rik' && l.text === 'Goedemorgen! Vertelt u maar.');
      await fatma.page.waitForLoadState('load');
      expect(await transcript.locator('li').last().textContent()).toContain(
        t('dashboard.live.side.dashboard'),
      );
      // With every payload in the transcript after a reload, still nothing ran.
      expect(await transcript.textContent()).toContain(sample[0]!.trim().slice(0, 20));
      expect(await axeViolations(fatma.page)).toEqual([]);

      // Ending it: the resident is told and asked for a rating, as when the alderman types 'einde'.
      await fatma.page.getByRole('button', { name: t('dashboard.live.end') }).click();
      await fatma.page.waitForLoadState('load');
      await chat.waitFor((l) => l.to === 'rik' && String(l.text).includes('afgelopen'));
      expect(await fatma.page.locator('[data-live-state]').textContent()).toBe(
        t('dashboard.live.state.ended'),
      );
      expect(await fatma.page.getByRole('status').textContent()).toBe(t('dashboard.live.live.ended'));
      expect(await fatma.page.getByRole('button', { name: 'Versturen' }).count()).toBe(0);
      expect(await axeViolations(fatma.page)).toEqual([]);
      expect(await fatma.fired()).toEqual([]);
      expect(await anna.fired()).toEqual([]);
      expect(fatma.errors).toEqual([]);
    });
  },
);
