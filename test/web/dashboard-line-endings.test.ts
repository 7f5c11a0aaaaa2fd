import { describe, expect, it } from 'vitest';
import { bookFirstSlot } from '../support/app-driver.js';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';
import { translator } from '../../src/i18n/translator.js';

const dash = useDashboardBrowser();
const t = translator(shippedTexts, 'nl');

/** `count` short lines: 9 characters each, joined by line breaks. */
const lines = (count: number) =>
  Array.from({ length: count }, (_, i) => `regel ${String(i).padStart(3, '0')}`).join('\n');

/** What the service sent `to` since `from` (an index into the sent messages). */
const sentTo = (s: DashboardServer, to: string, from: number) =>
  s.t.sent.slice(from).filter((m) => m.to === to);

/** A resident asks a question in the chat; returns its reference. */
async function ask(s: DashboardServer, from: string): Promise<string> {
  const said: string[] = [];
  for (const line of [
    'hallo',
    'vraag',
    'Mijn container is kapot.',
    'Klaar',
    '2288 GD',
    'Ja',
    'Afval',
    'Ja, versturen',
  ])
    said.push(...(await s.t.driver.send(from, line)).map((m) => m.text));
  await s.t.app.settle();
  const reference = said.map((text) => /RSW-\d{4}-\d{6}/.exec(text)?.[0]).find(Boolean);
  if (!reference) throw new Error(`no reference: ${said.join(' | ')}`);
  return reference;
}

/**
 * Chromium sends a textarea's line breaks as \r\n. Regression: the dashboard passed them on, so a
 * resident received "\r\n" (shown oddly on WhatsApp, Telegram and the web chat), the stored text
 * was not what was typed, and each line break counted twice against a length limit.
 */
describe.skipIf(!browserAvailable)(
  'line breaks typed in the dashboard reach the resident as typed (Chromium)',
  { timeout: 300_000 },
  () => {
    it('regression: a case answer and a webcare reply reached the resident with \\r\\n, and a reply of 1,899 characters was refused as longer than 2,000', async () => {
      const s = await dash.serve({ databaseUrl: sqliteUrl() });
      await s.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      const reference = await ask(s, 'r1');
      const olga = await dash.page('10.0.7.1');
      await signIn(olga.page, s.url, 'olga@rijswijk.nl');

      // A case answer of several paragraphs.
      const answer = 'Beste inwoner,\n\nWij vervangen de container.\nMet vriendelijke groet,\nTeam Afval';
      await olga.page.goto(`${s.url}/dashboard/cases/${reference}`);
      const from = s.t.sent.length;
      await olga.page.getByLabel('Antwoord aan de inwoner').fill(answer);
      await olga.page.getByRole('button', { name: 'Antwoord versturen' }).click();
      await olga.page.waitForLoadState('load');
      await s.t.app.settle();
      const told = sentTo(s, 'r1', from).map((m) => m.text);
      expect(told.filter((text) => text.includes(answer))).toHaveLength(1);
      expect(told.join('\n')).not.toContain('\r');
      const stored = await s.t.app.uow.run((r) => r.cases.findByReference(reference));
      expect(stored?.answer).toBe(answer);

      // A webcare reply of 190 lines: 1,899 characters as typed (2,088 with \r\n), within the 2,000.
      await s.t.driver.send('r2', 'hoi');
      await s.t.driver.send('r2', 'medewerker');
      await olga.page.goto(`${s.url}/dashboard/webcare/${encodeURIComponent('console:r2')}`);
      await olga.page.getByRole('button', { name: 'Gesprek overnemen' }).click();
      await s.t.app.settle();
      const reply = lines(190);
      expect(reply).toHaveLength(1899);
      const before = s.t.sent.length;
      await olga.page.getByLabel('Uw antwoord').fill(reply);
      await olga.page.getByRole('button', { name: 'Versturen' }).click();
      await olga.page.waitForLoadState('load');
      await s.t.app.settle();
      expect(await olga.page.locator('main').textContent()).not.toContain(
        t('dashboard.webcare.error.webcare.reply_too_long'),
      );
      expect(sentTo(s, 'r2', before).map((m) => m.text)).toEqual([reply]);
      expect(await axeViolations(olga.page)).toEqual([]);
      expect(await olga.fired()).toEqual([]);
    });

    it("regression: an alderman's live-session reply reached the resident with \\r\\n", async () => {
      const s = await dash.serve({ databaseUrl: sqliteUrl() });
      await s.addAccount({ email: 'fatma@rijswijk.nl', name: 'Fatma Yilmaz', role: 'alderman:fatma-yilmaz' });
      await bookFirstSlot(s.t.driver, 'r1');
      // Friday 4 December 2026, 09:00 in Rijswijk: the booked session starts.
      await s.t.driver.advance!(Date.parse('2026-12-04T08:00:00Z') - s.t.clock.now().getTime());
      await s.t.driver.send('r1', 'Goedemorgen, het gaat over de speeltuin.');
      const fatma = await dash.page('10.0.7.2');
      await signIn(fatma.page, s.url, 'fatma@rijswijk.nl');
      await fatma.page.goto(`${s.url}/dashboard/live`);
      await fatma.page.getByRole('link', { name: /^Spreekuur AFS-/ }).click();
      await fatma.page.waitForLoadState('load');

      const from = s.t.sent.length;
      await fatma.page
        .getByLabel(t('dashboard.live.reply'))
        .fill('Goedemorgen.\nWat is er met de speeltuin?');
      await fatma.page.getByRole('button', { name: t('dashboard.live.send') }).click();
      await fatma.page.waitForLoadState('load');
      await s.t.app.settle();
      const told = sentTo(s, 'r1', from).map((m) => m.text);
      expect(told).toHaveLength(1);
      expect(told[0]).toContain('Goedemorgen.\nWat is er met de speeltuin?');
      expect(told[0]).not.toContain('\r');
      expect(await fatma.fired()).toEqual([]);
    });
  },
);
