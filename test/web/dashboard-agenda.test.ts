import { describe, expect, it } from 'vitest';
import { newBookingId, newIcsToken, newReference } from '../../src/features/scheduling/booking-ids.js';
import { translator } from '../../src/i18n/translator.js';
import type { Booking } from '../../src/ports/booking-repository.js';
import { bookFirstSlot } from '../support/app-driver.js';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';

const dash = useDashboardBrowser();
const t = translator(shippedTexts, 'nl');

/**
 * Bookings of Fatma Yilmaz whose topic and first name are the payloads, from Monday 7 December on
 * (a day without a session: the agenda shows such bookings rather than drop them).
 */
async function hostileBookings(server: DashboardServer): Promise<void> {
  const now = server.t.clock.now();
  await server.t.app.uow.transaction(async (r) => {
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      const start = new Date(Date.UTC(2026, 11, 7, 8, 0) + i * 10 * 60_000);
      const booking: Booking = {
        id: newBookingId(),
        reference: newReference(),
        aldermanId: 'fatma-yilmaz',
        slotStart: start,
        slotEnd: new Date(start.getTime() + 10 * 60_000),
        residentKey: `console:x${i}`,
        residentFirstName: payload,
        topic: payload,
        kind: 'chat',
        place: 'WhatsApp',
        status: 'active',
        icsToken: newIcsToken(),
        transcript: [],
        rating: null,
        createdAt: now,
        updatedAt: now,
      };
      expect(await r.bookings.insert(booking)).toEqual({ ok: true });
    }
  });
}

describe.skipIf(!browserAvailable)("the aldermen's agenda in Chromium", { timeout: 300_000 }, () => {
  it('an alderman cancels a day in the dashboard; every booked resident is told with new times, as the CLI does', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl(), env: { CANCEL_UNDO_SECONDS: '120' } });
    const { driver } = server.t;
    await server.addAccount({
      email: 'fatma@rijswijk.nl',
      name: 'Fatma Yilmaz',
      role: 'alderman:fatma-yilmaz',
    });
    await bookFirstSlot(driver, 'r1');
    await bookFirstSlot(driver, 'r2');

    const { page, fired } = await dash.page('10.0.1.1');
    await signIn(page, server.url, 'fatma@rijswijk.nl');
    await page.getByRole('navigation').getByRole('link', { name: 'Agenda', exact: true }).click();
    await page.waitForURL('**/dashboard/agenda');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Agenda van Fatma Yilmaz');
    const friday = page.getByRole('region', { name: 'vrijdag 4 december 2026' });
    const rows = friday.getByRole('row');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(1).textContent()).toContain('09:00–09:10');
    expect(await rows.nth(2).textContent()).toContain('De speeltuin');
    expect(await axeViolations(page)).toEqual([]);

    await friday.getByText('Hele dag afzeggen: vrijdag 4 december 2026').click();
    await friday
      .getByLabel(/^Reden/)
      .last()
      .fill('ziek');
    expect(await axeViolations(page)).toEqual([]);
    await friday.getByRole('button', { name: 'Zeg vrijdag 4 december 2026 af' }).click();
    await page.waitForURL('**/dashboard/agenda?done=day');
    expect(await page.getByRole('status').first().textContent()).toContain(t('dashboard.agenda.done.day'));
    expect(await page.getByRole('heading', { name: t('dashboard.agenda.pending_title') }).count()).toBe(1);
    expect(await page.getByRole('button', { name: t('dashboard.agenda.undo') }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'vrijdag 4 december 2026' }).textContent()).toContain(
      t('dashboard.agenda.day_cancelled'),
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(server.t.sent.filter((m) => m.text.includes('kan helaas niet'))).toEqual([]);

    // The grace period ends: each resident gets the apology with the reason, and new times to choose.
    const told = await driver.advance!(120_000);
    for (const [who, time] of [
      ['r1', '09:00'],
      ['r2', '09:10'],
    ] as const) {
      const mine = told.filter((m) => m.to === who);
      expect(mine.map((m) => m.text)).toContain(
        t('live.cancelled', {
          alderman: 'Fatma Yilmaz',
          date: 'vrijdag 4 december',
          time,
          reason: t('live.cancelled_reason', { reason: 'ziek' }),
        }),
      );
      const offer = mine.find((m) => (m.choices?.length ?? 0) > 0);
      expect(offer?.choices?.map((c) => c.label)).toContainEqual(expect.stringMatching(/^vr 18 dec, 09:00/));
    }
    await page.reload();
    expect(await page.getByRole('button', { name: t('dashboard.agenda.undo') }).count()).toBe(0);
    expect(await fired()).toEqual([]);
  });

  it('shows topics, first names and reasons as text: 0 of the payloads run, and axe finds nothing for an operator', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl(), env: { CANCEL_UNDO_SECONDS: '120' } });
    await server.addAccount({
      email: 'fatma@rijswijk.nl',
      name: 'Fatma Yilmaz',
      role: 'alderman:fatma-yilmaz',
    });
    await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
    await bookFirstSlot(server.t.driver, 'r1');
    await hostileBookings(server);
    // A day called off with a payload as its reason: the agenda shows the reason.
    await server.t.app.commands.scheduling.cancelDay({
      aldermanId: 'fatma-yilmaz',
      localDate: '2026-12-04',
      reason: XSS_PAYLOADS[0]!,
      actor: 'test',
    });

    const fatma = await dash.page('10.0.1.2');
    await signIn(fatma.page, server.url, 'fatma@rijswijk.nl');
    await fatma.page.goto(`${server.url}/dashboard/agenda`);
    const monday = fatma.page.getByRole('region', { name: 'maandag 7 december 2026' });
    expect(await monday.getByText(t('dashboard.agenda.no_session')).count()).toBe(1);
    const topics = await fatma.page.locator('td.dash-topic').allTextContents();
    for (const payload of XSS_PAYLOADS) expect(topics).toContain(payload);
    expect(
      await fatma.page.getByText(t('dashboard.agenda.reason_was', { reason: XSS_PAYLOADS[0]! })).count(),
    ).toBe(1);
    // Open every cancel form, so what is in them is checked too.
    for (const summary of await fatma.page.locator('details > summary').all()) await summary.click();
    expect(await fatma.fired()).toEqual([]);
    expect(await axeViolations(fatma.page)).toEqual([]);

    const olga = await dash.page('10.0.1.3');
    await signIn(olga.page, server.url, 'olga@rijswijk.nl');
    await olga.page.goto(`${server.url}/dashboard/agenda`);
    expect(await olga.page.getByRole('heading', { level: 1 }).textContent()).toBe(
      t('dashboard.agenda.title'),
    );
    await olga.page.locator('#agenda-alderman').selectOption('fatma-yilmaz');
    await olga.page.getByRole('button', { name: t('dashboard.agenda.show') }).click();
    await olga.page.waitForURL('**/dashboard/agenda?alderman=fatma-yilmaz');
    expect(await olga.page.locator('td.dash-topic').count()).toBe(XSS_PAYLOADS.length);
    expect(await olga.fired()).toEqual([]);
    expect(await axeViolations(olga.page)).toEqual([]);
  });
});

describe.skipIf(!browserAvailable)("the agenda's session lines in Chromium", { timeout: 300_000 }, () => {
  // Regression: a session's line printed its kind and then the hours data's place, and the shipped
  // phone session's place is "Telefoon": the operator read "12:30–13:30, Telefoon, Telefoon".
  it('regression: a phone session read "Telefoon, Telefoon"; the place is shown only where it adds something', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
    const { page } = await dash.page('10.0.1.4');
    await signIn(page, server.url, 'olga@rijswijk.nl');
    const lines = async (day: string) =>
      (await page.getByRole('region', { name: day }).locator('li').allTextContents()).map((l) => l.trim());

    await page.goto(`${server.url}/dashboard/agenda`);
    expect(await lines('woensdag 2 december 2026, Mohamed El Amrani')).toEqual([
      '12:30–13:30, Telefoon (4 plekken)',
    ]);
    // A town hall's address says where to go; a chat session is in the resident's own chat.
    expect(await lines('donderdag 17 december 2026, Anna de Vries')).toEqual([
      '16:00–17:00, Gemeentehuis, Raadhuis, Bogaardplein 15 (4 plekken)',
    ]);
    expect(await lines('dinsdag 1 december 2026, Anna de Vries')).toEqual(['19:00–20:00, Chat (6 plekken)']);
    expect(await page.locator('main').textContent()).not.toMatch(/Telefoon, Telefoon|Chat, WhatsApp/);

    await page.goto(`${server.url}/dashboard/language/en?next=/dashboard/agenda`);
    expect(await lines('Wednesday 2 December 2026, Mohamed El Amrani')).toEqual([
      '12:30–13:30, Phone (4 slots)',
    ]);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe.skipIf(!browserAvailable)(
  'managing the consultation hours in Chromium',
  { timeout: 300_000 },
  () => {
    it('regression: a refused extra session or cancelled date lost what was typed, and put it in the recurring form', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
      const { page } = await dash.page('10.0.2.2');
      await signIn(page, server.url, 'otto@rijswijk.nl');
      await page.goto(`${server.url}/dashboard/hours`);
      // An extra session that ends before it starts.
      await page.locator('#x-id').fill('fatma-extra-avond');
      await page.locator('#x-alderman').selectOption('fatma-yilmaz');
      await page.locator('#x-date').fill('2026-12-21');
      await page.locator('#x-start').fill('20:00');
      await page.locator('#x-end').fill('19:00');
      await page.locator('#x-slot').fill('15');
      await page.locator('#x-kind').selectOption('town-hall');
      await page.locator('#x-place').fill('Raadhuis, zaal 2');
      await page.getByRole('button', { name: t('dashboard.hours.add_extra') }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('alert').textContent()).toContain(
        'Eindigt om: kies een tijd na de begintijd.',
      );
      const typed = async (ids: string[]) => Promise.all(ids.map((id) => page.locator(id).inputValue()));
      expect(
        await typed([
          '#x-id',
          '#x-alderman',
          '#x-date',
          '#x-start',
          '#x-end',
          '#x-slot',
          '#x-kind',
          '#x-place',
        ]),
      ).toEqual([
        'fatma-extra-avond',
        'fatma-yilmaz',
        '2026-12-21',
        '20:00',
        '19:00',
        '15',
        'town-hall',
        'Raadhuis, zaal 2',
      ]);
      // The recurring session's form is as it was: empty, with its defaults.
      expect(await typed(['#s-id', '#s-place', '#s-start', '#s-end'])).toEqual(['', '', '19:00', '20:00']);
      expect(await axeViolations(page)).toEqual([]);

      // A cancelled date on which the session does not take place (Fatma's Fridays; this is a Monday).
      await page.locator('#c-session').selectOption('fatma-chat-fortnightly-friday');
      await page.locator('#c-date').fill('2026-12-21');
      await page.locator('#c-reason').fill('Ziek');
      await page.getByRole('button', { name: t('dashboard.hours.add_cancelled') }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('alert').textContent()).toContain(
        'Datum: spreekuur fatma-chat-fortnightly-friday is niet op maandag 21 december 2026.',
      );
      expect(await typed(['#c-session', '#c-date', '#c-reason'])).toEqual([
        'fatma-chat-fortnightly-friday',
        '2026-12-21',
        'Ziek',
      ]);
      expect(await typed(['#x-id', '#s-id'])).toEqual(['', '']);
      const changes = await server.t.app.commands.audit.page({ limit: 50 });
      expect(changes.map((l) => l.action)).not.toContain('hours.add');
    });

    it('regression: the hours page showed its dates as the file has them (2026-12-30), not as Dutch dates', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
      const { page } = await dash.page('10.0.2.3');
      await signIn(page, server.url, 'otto@rijswijk.nl');
      await page.goto(`${server.url}/dashboard/hours`);
      const iso = /\d{4}-\d{2}-\d{2}/;
      // data/hours.json: Anna's session valid from 2026-01-01, an extra session on 2027-01-14, three cancelled dates.
      const valid = page.getByRole('row').filter({ hasText: 'anna-chat-first-tuesday' }).locator('td').nth(2);
      expect(await valid.textContent()).toBe('de 1e dinsdag van de maand (donderdag 1 januari 2026 – …)');
      const items = page.locator('main li p');
      const listed = await items.allTextContents();
      expect(listed).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^donderdag 14 januari 2027 19:30–20:30, /),
          expect.stringMatching(/^dinsdag 4 augustus 2026, anna-chat-first-tuesday: zomerreces/),
          expect.stringMatching(/^woensdag 30 december 2026, mohamed-phone-wednesday: kerstvakantie/),
          expect.stringMatching(/^donderdag 31 december 2026, pieter-chat-last-thursday: oudejaarsavond/),
        ]),
      );
      expect(listed.filter((text) => iso.test(text))).toEqual([]);
      // A screen reader hears the date of a cancelled date's delete button in words too.
      const remove = t('dashboard.hours.delete_label', {
        id: 'mohamed-phone-wednesday, woensdag 30 december 2026',
      });
      expect(await page.getByRole('button', { name: remove }).count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);

      await page.goto(`${server.url}/dashboard/language/en?next=/dashboard/hours`);
      expect(await page.locator('main li p').allTextContents()).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Wednesday 30 December 2026, mohamed-phone-wednesday/),
        ]),
      );
    });

    it('an admin adds and deletes a session; bookings that lose their slot are shown and kept; axe 0, no payload runs', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await server.addAccount({ email: 'ada@rijswijk.nl', name: 'Ada Admin', role: 'admin' });
      await hostileBookings(server);
      const { page, fired } = await dash.page('10.0.2.1');
      await signIn(page, server.url, 'ada@rijswijk.nl');
      await page
        .getByRole('navigation')
        .getByRole('link', { name: t('dashboard.nav.hours') })
        .click();
      await page.waitForURL('**/dashboard/hours');
      expect(await axeViolations(page)).toEqual([]);

      // A Monday session 09:00–19:00 with a payload as its place: it covers the Monday bookings.
      await page.locator('#s-id').fill('fatma-maandag');
      await page.locator('#s-alderman').selectOption('fatma-yilmaz');
      await page.locator('#s-weekday').selectOption('mon');
      await page.locator('#s-start').fill('09:00');
      await page.locator('#s-end').fill('19:00');
      await page.locator('#s-place').fill(XSS_PAYLOADS[1]!);
      await page.getByRole('button', { name: t('dashboard.hours.save') }).click();
      await page.waitForURL('**/dashboard/hours?done=saved&cancelled=0');
      const row = page.getByRole('row').filter({ hasText: 'fatma-maandag' });
      expect(await row.textContent()).toContain(XSS_PAYLOADS[1]!);
      expect(await row.textContent()).toContain(t('dashboard.hours.source.added'));
      expect(await axeViolations(page)).toEqual([]);

      // Deleting it leaves the 56 bookings without a slot: they are listed, and nothing changes yet.
      await page
        .getByRole('button', { name: t('dashboard.hours.delete_label', { id: 'fatma-maandag' }) })
        .click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        t('dashboard.hours.confirm_title'),
      );
      const topics = await page.locator('td.dash-topic').allTextContents();
      expect(topics).toEqual([...XSS_PAYLOADS]);
      // Monday 7 December 09:00 local, written as the agenda writes its days.
      expect(await page.locator('tbody tr td').first().textContent()).toBe('maandag 7 december 2026 09:00');
      expect(await axeViolations(page)).toEqual([]);
      expect(await fired()).toEqual([]);
      await page.getByRole('button', { name: t('dashboard.hours.keep') }).click();
      await page.waitForURL('**/dashboard/hours?done=deleted&cancelled=0');
      expect(await page.getByRole('row').filter({ hasText: 'fatma-maandag' }).count()).toBe(0);
      const agenda = await server.t.app.commands.scheduling.agenda('fatma-yilmaz');
      expect(agenda.find((d) => d.date === '2026-12-07')?.bookings).toHaveLength(XSS_PAYLOADS.length);
      expect(await fired()).toEqual([]);
    });
  },
);
