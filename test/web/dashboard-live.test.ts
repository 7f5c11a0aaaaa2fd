import { describe, expect, it } from 'vitest';
import { announced, axeViolations, browserAvailable, recordAnnouncements } from '../support/browser.js';
import { bookFirstSlot } from '../support/app-driver.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { waitFor } from '../support/recording-ingress.js';
import { sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';
import { translator } from '../../src/i18n/translator.js';

const dash = useDashboardBrowser();
const t = translator(shippedTexts, 'nl');
/** Fatma Yilmaz's chat session on Friday 4 December 2026, 09:00 in Rijswijk. */
const SLOT_START = Date.parse('2026-12-04T08:00:00Z');
const RESIDENT = t('dashboard.live.side.resident');

/**
 * The alderman's page of a live session in Chromium, on a moved clock: the service runs in this
 * process (the resident is its console channel), the page follows it through its event stream.
 */
describe.skipIf(!browserAvailable)(
  'the live session page in the dashboard (Chromium)',
  { timeout: 300_000 },
  () => {
    /** The service with Fatma Yilmaz's account, a booked chat session, and the clock `before` its start. */
    async function booked(before: number): Promise<DashboardServer> {
      const s = await dash.serve({ databaseUrl: sqliteUrl() });
      await s.addAccount({ email: 'fatma@rijswijk.nl', name: 'Fatma Yilmaz', role: 'alderman:fatma-yilmaz' });
      await bookFirstSlot(s.t.driver, 'r1');
      await s.t.driver.advance!(SLOT_START - before - s.t.clock.now().getTime());
      return s;
    }

    /** Fatma signed in, on the session's page (`script: false`: in a browser without JavaScript). */
    async function sessionPage(s: DashboardServer, address = '10.0.4.1', script = true) {
      const fatma = await dash.page(address, { script });
      await signIn(fatma.page, s.url, 'fatma@rijswijk.nl');
      await fatma.page.goto(`${s.url}/dashboard/live`);
      await fatma.page.getByRole('link', { name: /^Spreekuur AFS-/ }).click();
      await fatma.page.waitForLoadState('load');
      return fatma;
    }

    it('a resident who leaves with menu is announced on the open page, and the reply box says where a reply goes', async () => {
      const s = await booked(0);
      const { driver, app } = s.t;
      await driver.send('r1', 'Goedemorgen, het gaat over de speeltuin.');
      const fatma = await sessionPage(s);
      const { page } = fatma;
      const transcript = page.locator('.dash-transcript');
      await transcript.getByText('Goedemorgen, het gaat over de speeltuin.').waitFor();
      const status = page.locator('[data-live-status]');
      expect(await status.textContent()).toBe('');
      expect(await page.locator('#reply-hint').textContent()).toBe(t('dashboard.live.reply_hint'));

      // The resident goes to the menu in their chat; the page, left open, shows it without a reload.
      await driver.send('r1', 'menu');
      await transcript.getByText(t('dashboard.live.line.left')).waitFor({ timeout: 15_000 });
      await page
        .getByRole('status')
        .getByText(t('dashboard.live.left_status', { resident: RESIDENT }))
        .waitFor({ timeout: 15_000 });
      // The reply box's description (its aria-describedby) now says the resident is gone.
      const box = page.getByLabel(t('dashboard.live.reply'));
      expect(await box.getAttribute('aria-describedby')).toBe('reply-hint');
      expect(await page.locator('#reply-hint').textContent()).toBe(
        t('dashboard.live.left_hint', { resident: RESIDENT }),
      );
      expect(await transcript.locator('li').count()).toBe(2);
      expect(await axeViolations(page)).toEqual([]);

      // A reply goes where the hint says: to the resident's chat, as a message with who wrote it.
      const count = s.t.sent.length;
      await box.fill('Jammer, tot ziens.');
      await page.getByRole('button', { name: t('dashboard.live.send') }).click();
      await page.waitForLoadState('load');
      await app.settle();
      const toResident = s.t.sent.slice(count).filter((m) => m.to === 'r1');
      expect(toResident).toHaveLength(1);
      expect(toResident[0]?.text).toContain('Jammer, tot ziens.');
      expect(toResident[0]?.text).toContain('Fatma Yilmaz');
      // After the reload the page says the same, from the server.
      expect(await page.getByRole('status').textContent()).toBe(
        t('dashboard.live.left_status', { resident: RESIDENT }),
      );
      expect(await page.locator('#reply-hint').textContent()).toBe(
        t('dashboard.live.left_hint', { resident: RESIDENT }),
      );
      expect(await axeViolations(page)).toEqual([]);
      expect(await fatma.fired()).toEqual([]);
      expect(fatma.errors).toEqual([]);
    });

    it('a page opened before the start shows its reply box when the session starts, without a reload, and says so', async () => {
      const s = await booked(5 * 60_000);
      const { driver, app } = s.t;
      const fatma = await sessionPage(s);
      // The same page in a browser without JavaScript, on the same account.
      const plain = await sessionPage(s, '10.0.4.2', false);
      expect(await plain.page.getByLabel(t('dashboard.live.reply')).isVisible()).toBe(false);
      const { page } = fatma;
      const state = page.locator('[data-live-state]');
      expect(await state.textContent()).toBe(t('dashboard.live.state.upcoming'));
      // Before the start there is no reply box to use, nor an end button.
      const box = page.getByLabel(t('dashboard.live.reply'));
      expect(await box.isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: t('dashboard.live.send') }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      const loaded = await page.evaluate(() => performance.timeOrigin);
      await recordAnnouncements(page);

      // The slot starts: the open page gets the reply box and the news from its stream.
      const told = await driver.advance!(5 * 60_000);
      expect(told.some((m) => m.to === 'r1' && m.text.includes('begint nu'))).toBe(true);
      await box.waitFor({ state: 'visible', timeout: 15_000 });
      await page
        .locator('[data-live-status]')
        .getByText(t('dashboard.live.live.opened'))
        .waitFor({ timeout: 15_000 });
      expect(await state.textContent()).toBe(t('dashboard.live.state.open'));
      // A screen reader hears the start once: the status, not also the state line above it (it was
      // a second live region with the same news in other words).
      expect(await announced(page)).toEqual([t('dashboard.live.live.opened')]);
      expect(await page.getByRole('button', { name: t('dashboard.live.end') }).isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      // The same document: nothing reloaded it.
      expect(await page.evaluate(() => performance.timeOrigin)).toBe(loaded);
      // Without JavaScript nothing changes by itself; a reload shows the session open, with the box.
      expect(await plain.page.getByLabel(t('dashboard.live.reply')).isVisible()).toBe(false);
      await plain.page.reload();
      expect(await plain.page.locator('[data-live-state]').textContent()).toBe(
        t('dashboard.live.state.open'),
      );
      expect(await plain.page.getByLabel(t('dashboard.live.reply')).isVisible()).toBe(true);
      // (axe runs as a script, so it checks the page with JavaScript above, in the same state.)

      // The stream goes on: the resident's first line comes in, and the reply reaches their chat.
      await driver.send('r1', 'Goedemorgen, ik ben er.');
      await page
        .locator('.dash-transcript')
        .getByText('Goedemorgen, ik ben er.')
        .waitFor({ timeout: 15_000 });
      const count = s.t.sent.length;
      await box.fill('Goedemorgen! Vertelt u maar.');
      await page.getByRole('button', { name: t('dashboard.live.send') }).click();
      await page.waitForLoadState('load');
      await app.settle();
      expect(s.t.sent.slice(count)).toEqual([{ to: 'r1', text: 'Goedemorgen! Vertelt u maar.' }]);
      expect(await fatma.fired()).toEqual([]);
      expect(fatma.errors).toEqual([]);
    });

    it('a stream the server drops mid-session comes back by itself: each line once, also those written meanwhile, and nothing announced twice', async () => {
      // Regression: the stream's URL says what the page had when it was built and events carried
      // no id, so after a drop the browser reconnected to the same URL and got every line, the
      // start and the resident's leaving again: shown twice, and announced twice.
      const s = await booked(5 * 60_000);
      const { driver } = s.t;
      let streams = 0;
      s.server.server.on('request', (request: { url?: string }) => {
        if (request.url?.includes('/events')) streams += 1;
      });
      const fatma = await sessionPage(s);
      const { page } = fatma;
      const status = page.locator('[data-live-status]');
      const transcript = page.locator('.dash-transcript');
      const loaded = await page.evaluate(() => performance.timeOrigin);
      await recordAnnouncements(page);
      const opened = t('dashboard.live.live.opened');
      const left = t('dashboard.live.left_status', { resident: RESIDENT });
      const ended = t('dashboard.live.live.ended');

      await driver.advance!(5 * 60_000);
      await status.getByText(opened).waitFor({ timeout: 15_000 });
      await driver.send('r1', 'Eerste regel.');
      await transcript.getByText('Eerste regel.').waitFor({ timeout: 15_000 });

      // The server drops every connection (as a proxy's timeout or a restart does); the resident
      // writes while the page is away (it waits 3 s before it connects again).
      s.server.server.closeAllConnections();
      await driver.send('r1', 'Tweede regel.');
      await waitFor(() => streams >= 2, 60_000, 'the page to connect again');
      await transcript.getByText('Tweede regel.').waitFor({ timeout: 15_000 });
      await driver.send('r1', 'menu');
      await status.getByText(left).waitFor({ timeout: 15_000 });

      // Dropped once more, after the resident left; then the session ends (the stream's last word:
      // all it sent before has been shown by then).
      s.server.server.closeAllConnections();
      await waitFor(() => streams >= 3, 60_000, 'the page to connect again');
      await driver.advance!(12 * 60_000);
      await status.getByText(ended).waitFor({ timeout: 15_000 });

      const lines = await transcript.locator('.dash-transcript__text').allTextContents();
      expect(lines).toEqual(['Eerste regel.', 'Tweede regel.', t('dashboard.live.line.left')]);
      // A screen reader heard the start, the leaving and the end once each, and each new line once
      // (the transcript is a live region too: it changed three times).
      const heard = await announced(page);
      const news = [opened, left, ended];
      expect(heard.filter((h) => news.includes(h))).toEqual(news);
      expect(heard.filter((h) => !news.includes(h))).toHaveLength(3);
      expect(await page.evaluate(() => performance.timeOrigin)).toBe(loaded);
      // The page as the server builds it now has the same lines.
      await page.reload();
      expect(await transcript.locator('.dash-transcript__text').allTextContents()).toEqual(lines);
      expect(await fatma.fired()).toEqual([]);
      expect(fatma.errors).toEqual([]);
    });

    it("the slot's time runs out with the page open: the reply box goes at once, the status says so once, unsent words stay to copy; without script a reload shows it and a reply is refused kindly", async () => {
      const s = await booked(0);
      const { driver } = s.t;
      await driver.send('r1', 'Goedemorgen, het gaat over de speeltuin.');
      const fatma = await sessionPage(s);
      const { page } = fatma;
      await page.locator('.dash-transcript').getByText('Goedemorgen, het gaat over de speeltuin.').waitFor();
      // The same session in a browser without JavaScript, a reply typed in both, neither sent yet.
      const plain = await sessionPage(s, '10.0.4.4', false);
      const UNSENT = 'Ik zoek het even op, een moment.';
      const LATE = 'Nog één vraag: wanneer komt het plein?';
      await plain.page.getByLabel(t('dashboard.live.reply')).fill(LATE);
      await page.getByLabel(t('dashboard.live.reply')).fill(UNSENT);
      const loaded = await page.evaluate(() => performance.timeOrigin);
      await recordAnnouncements(page);

      // The end timer runs a minute after the slot's end (10 minutes): the resident is told.
      const told = await driver.advance!(12 * 60_000);
      expect(told.some((m) => m.to === 'r1' && m.text.includes('afgelopen'))).toBe(true);
      const status = page.locator('[data-live-status]');
      await status.getByText(t('dashboard.live.live.ended')).waitFor({ timeout: 15_000 });
      // Once, in the status; the state line changed silently; nothing to write in or send with.
      expect(await announced(page)).toEqual([t('dashboard.live.live.ended')]);
      expect(await page.locator('[data-live-state]').textContent()).toBe(t('dashboard.live.state.ended'));
      expect(await page.getByLabel(t('dashboard.live.reply')).count()).toBe(0);
      expect(await page.getByRole('button', { name: t('dashboard.live.send') }).count()).toBe(0);
      expect(await page.getByRole('button', { name: t('dashboard.live.end') }).count()).toBe(0);
      // What was typed stays, to copy; the focus, that was in the box, is on the status that says why.
      const main = page.locator('main');
      expect(await main.getByText(t('dashboard.live.unsent')).count()).toBe(1);
      expect(await main.locator('blockquote').last().textContent()).toBe(UNSENT);
      expect(await page.evaluate('document.activeElement.hasAttribute("data-live-status")')).toBe(true);
      expect(await page.evaluate(() => performance.timeOrigin)).toBe(loaded);
      expect(await axeViolations(page)).toEqual([]);

      // Without JavaScript the box is still there; sending is refused kindly: not sent, why, the
      // words back to copy, the way back to the session; the resident gets nothing.
      const count = s.t.sent.length;
      await plain.page.getByRole('button', { name: t('dashboard.live.send') }).click();
      await plain.page.waitForLoadState('load');
      const refused = plain.page.locator('main');
      expect(await refused.getByRole('heading', { level: 1 }).textContent()).toBe(
        t('dashboard.live.error_title'),
      );
      expect(await refused.textContent()).toContain(t('dashboard.live.error.live.ended'));
      expect(await refused.locator('blockquote').textContent()).toBe(LATE);
      await s.t.app.settle();
      expect(s.t.sent.slice(count)).toEqual([]);
      await plain.page.getByRole('link', { name: t('dashboard.live.back_session') }).click();
      await plain.page.waitForLoadState('load');
      expect(await plain.page.locator('[data-live-status]').textContent()).toBe(
        t('dashboard.live.live.ended'),
      );
      expect(await plain.page.getByLabel(t('dashboard.live.reply')).count()).toBe(0);

      // The same refusal in the browser with script, for axe (axe runs as a script): a reply form
      // posted after the end, as the page without script did.
      await page.evaluate(`(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = location.pathname + '/reply';
        for (const [name, value] of [['_csrf', document.querySelector('input[name="_csrf"]').value], ['text', ${JSON.stringify(LATE)}]]) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      })()`);
      await page.getByText(t('dashboard.live.error.live.ended')).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      // And the ended page as a reload shows it: no box, the status says what now.
      await page.getByRole('link', { name: t('dashboard.live.back_session') }).click();
      await page.waitForLoadState('load');
      expect(await status.textContent()).toBe(t('dashboard.live.live.ended'));
      expect(await page.getByLabel(t('dashboard.live.reply')).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      expect(await fatma.fired()).toEqual([]);
      expect(fatma.errors).toEqual([]);
    });
  },
);
