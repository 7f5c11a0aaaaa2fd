import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { dashboardHttp } from '../support/dashboard-http.js';
import { signIn } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';
import { translator } from '../../src/i18n/translator.js';
import { shippedTexts } from '../support/texts.js';

const dash = useDashboardBrowser();

describe.skipIf(!browserAvailable)('webcare in the dashboard (Chromium)', { timeout: 300_000 }, () => {
  it('an operator takes over a resident who asked for a person, answers, and hands back', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    const t = translator(shippedTexts, 'nl');
    const { driver, app } = server.t;
    await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
    await server.addAccount({ email: 'omar@rijswijk.nl', name: 'Omar Operator', role: 'operator' });
    await server.addAccount({
      email: 'fatma@rijswijk.nl',
      name: 'Fatma Yilmaz',
      role: 'alderman:fatma-yilmaz',
    });
    await server.addAccount({ email: 'ahmed@rijswijk.nl', name: 'Ahmed Afval', role: 'department:afval' });

    // The resident asks for a person (Tuesday 10:00 in Rijswijk: office hours), then writes while waiting.
    await driver.send('anna', 'hoi');
    const asked = await driver.send('anna', 'medewerker');
    expect(asked.map((m) => m.text)).toContain(t('person.open', { count: 30 }));
    for (const payload of XSS_PAYLOADS) {
      await driver.advance!(10_000);
      await driver.send('anna', payload);
    }

    const olga = await dash.page('10.0.0.1');
    await signIn(olga.page, server.url, 'olga@rijswijk.nl');
    await olga.page.goto(`${server.url}/dashboard/webcare`);
    expect(await olga.page.locator('nav').textContent()).toContain('Webcare (1 wachtend)');
    const row = olga.page.locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('console anna');
    expect(await row.textContent()).toContain(t('person.open', { count: 30 }));
    expect(await axeViolations(olga.page)).toEqual([]);

    // A second operator opens the same resident at the same moment.
    const omar = await dash.page('10.0.0.2');
    await signIn(omar.page, server.url, 'omar@rijswijk.nl');
    await omar.page.goto(`${server.url}/dashboard/webcare/${encodeURIComponent('console:anna')}`);

    await olga.page.getByRole('link', { name: /console anna/ }).click();
    // Every payload the resident sent is on the page as text, and none of them ran.
    const transcript = (await olga.page.locator('.dash-transcript').textContent()) ?? '';
    for (const payload of XSS_PAYLOADS.slice(0, 5)) expect(transcript).toContain(payload.trim().slice(0, 20));
    expect(await axeViolations(olga.page)).toEqual([]);
    await olga.page.getByRole('button', { name: 'Gesprek overnemen' }).click();
    await app.settle();
    expect(server.t.sent.at(-1)).toEqual({ to: 'anna', text: t('webcare.taken') });
    expect(await olga.page.getByRole('status').first().textContent()).toContain(
      'U heeft dit gesprek overgenomen',
    );
    expect(await axeViolations(olga.page)).toEqual([]);

    // Omar was too late.
    await omar.page.getByRole('button', { name: 'Gesprek overnemen' }).click();
    expect(await omar.page.locator('main').textContent()).toContain(
      t('dashboard.webcare.error.webcare.already_taken'),
    );
    await omar.page.goto(`${server.url}/dashboard/webcare/${encodeURIComponent('console:anna')}`);
    expect(await omar.page.locator('main').textContent()).toContain(
      'Olga Operator heeft dit gesprek overgenomen',
    );
    expect(await omar.page.getByRole('button', { name: 'Versturen' }).count()).toBe(0);

    // While Olga has the conversation the bot says nothing; she sees what the resident wrote.
    expect(await driver.send('anna', 'Mijn container is niet geleegd')).toEqual([]);
    await olga.page.reload();
    expect(await olga.page.locator('.dash-transcript').textContent()).toContain(
      'Mijn container is niet geleegd',
    );
    await olga.page.getByLabel('Uw antwoord').fill('Goedemorgen Anna, ik kijk het voor u na.');
    await olga.page.getByRole('button', { name: 'Versturen' }).click();
    await app.settle();
    expect(server.t.sent.at(-1)).toEqual({ to: 'anna', text: 'Goedemorgen Anna, ik kijk het voor u na.' });

    // A standard answer goes into the reply box where the cursor is (no reload), and can be changed first.
    const box = olga.page.getByLabel('Uw antwoord');
    await box.fill('Anna,');
    const before = olga.page.url();
    await olga.page.getByLabel('Standaardantwoord').selectOption({ label: 'Ik kijk even voor u' });
    await olga.page.getByRole('button', { name: 'In het antwoord zetten' }).click();
    const checking = 'Anna, Dank u wel. Ik kijk even voor u. Een moment geduld alstublieft.';
    expect(await box.inputValue()).toBe(checking);
    expect(olga.page.url()).toBe(before);
    await box.press('End');
    await box.pressSequentially(' Het duurt twee minuten.');
    await olga.page.getByRole('button', { name: 'Versturen' }).click();
    await app.settle();
    expect(server.t.sent.at(-1)).toEqual({ to: 'anna', text: `${checking} Het duurt twee minuten.` });

    // Hand back: the resident is told and offered the menu; the bot answers again.
    await olga.page.getByRole('button', { name: 'Teruggeven aan de chatbot' }).click();
    await app.settle();
    expect(new URL(olga.page.url()).pathname).toBe('/dashboard/webcare');
    expect(await olga.page.locator('main').textContent()).toContain(t('dashboard.webcare.empty'));
    expect(server.t.sent.map((m) => m.text).join('\n')).toContain(t('webcare.handed_back'));
    expect(server.t.sent.at(-1)?.choices?.length).toBeGreaterThan(0);
    expect((await driver.send('anna', 'hulp')).map((m) => m.text).join('\n')).toContain(t('core.help'));

    expect(await olga.fired()).toEqual([]);
    expect(await omar.fired()).toEqual([]);

    // Aldermen and departments do not see webcare at all.
    for (const email of ['fatma@rijswijk.nl', 'ahmed@rijswijk.nl']) {
      const other = await dash.page(email.startsWith('f') ? '10.0.0.3' : '10.0.0.4');
      await signIn(other.page, server.url, email);
      expect((await other.page.goto(`${server.url}/dashboard/webcare`))?.status()).toBe(404);
      expect(await other.page.locator('nav').textContent()).not.toContain('Webcare');
    }

    const audit = (await app.commands.audit.page({ limit: 200 })).map((l) => l.action);
    for (const action of ['webcare.view', 'webcare.take', 'webcare.reply', 'webcare.hand_back'])
      expect(audit).toContain(action);
  });
});

describe.skipIf(!browserAvailable)(
  'webcare masks numbers a resident should not send',
  { timeout: 300_000 },
  () => {
    it('shows BSN, IBAN and phone masked in the page and its live lines until the holder reveals them (audited); the case keeps them', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const t = translator(shippedTexts, 'nl');
      const { driver, app } = server.t;
      const { id } = await server.addAccount({
        email: 'olga@rijswijk.nl',
        name: 'Olga Operator',
        role: 'operator',
      });
      await server.addAccount({ email: 'omar@rijswijk.nl', name: 'Omar Operator', role: 'operator' });
      const QUESTION =
        'Mijn BSN is 111222333 en bel mij op 06-12345678. Terugbetalen op NL91 ABNA 0417 1643 00.';
      const PAGE = `${server.url}/dashboard/webcare/${encodeURIComponent('console:anna')}`;
      await driver.send('anna', 'hoi');
      await driver.send('anna', 'medewerker');
      await driver.send('anna', QUESTION);

      const olga = await dash.page('10.0.0.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(PAGE);
      const transcript = olga.page.locator('.dash-transcript');
      const masked =
        'Mijn BSN is •••••••33 en bel mij op ••-••••••78. Terugbetalen op •••• •••• •••• •••• 00.';
      expect(await transcript.textContent()).toContain(masked);
      // Only the operator holding the takeover may show them.
      expect(await olga.page.getByRole('button', { name: t('dashboard.case.reveal') }).count()).toBe(0);
      await olga.page.getByRole('button', { name: t('dashboard.webcare.take') }).click();
      await app.settle();
      await olga.page.goto(PAGE);
      const summary = olga.page.getByLabel(t('dashboard.webcare.case.summary'));
      expect(await summary.inputValue()).toContain(masked);
      for (const secret of ['111222333', '12345678', 'ABNA'])
        expect(await olga.page.locator('main').textContent()).not.toContain(secret);
      const omar = await dash.page('10.0.0.2');
      await signIn(omar.page, server.url, 'omar@rijswijk.nl');
      await omar.page.goto(PAGE);
      expect(await omar.page.locator('main').textContent()).toContain(masked);
      expect(await omar.page.getByRole('button', { name: t('dashboard.case.reveal') }).count()).toBe(0);

      // A new line arrives live, masked.
      await driver.send('anna', 'Of bel 070 123 45 67');
      await transcript.getByText('Of bel ••• ••• •• 67').waitFor();
      expect(await transcript.textContent()).not.toContain('070 123 45 67');
      expect(await axeViolations(olga.page)).toEqual([]);

      // Shown: in the page and in the live lines that follow, for this page view; audited.
      await olga.page.getByRole('button', { name: t('dashboard.case.reveal') }).click();
      await olga.page.waitForURL('**/reveal');
      expect(await transcript.textContent()).toContain(QUESTION);
      expect(await transcript.textContent()).toContain('Of bel 070 123 45 67');
      expect(await olga.page.locator('main').textContent()).toContain(t('dashboard.case.revealed'));
      await driver.send('anna', 'Nogmaals: 111222333');
      await transcript.getByText('Nogmaals: 111222333').waitFor();
      expect(await axeViolations(olga.page)).toEqual([]);
      const audit = await app.uow.run((r) =>
        r.audit.page({ limit: 50, subject: app.commands.audit.conversationSubject('console:anna') }),
      );
      expect(audit.filter((a) => a.action === 'webcare.reveal').map((a) => a.actor)).toEqual([`staff:${id}`]);

      // Another operator cannot reveal (not theirs), nor a form without the CSRF token; neither is logged.
      await omar.page.goto(PAGE);
      expect(await omar.page.locator('main').textContent()).not.toContain('111222333');
      const path = PAGE.slice(server.url.length);
      const omarHttp = dashboardHttp(server.url);
      await omarHttp.signIn('omar@rijswijk.nl');
      await omarHttp.get(path);
      const refused = await omarHttp.post(`${path}/reveal`, {});
      expect(refused.status).toBe(409);
      expect(refused.text).not.toContain('111222333');
      expect((await omarHttp.post(`${path}/reveal`, { _csrf: 'forged' })).status).toBe(403);
      const after = await app.uow.run((r) =>
        r.audit.page({ limit: 50, subject: app.commands.audit.conversationSubject('console:anna') }),
      );
      expect(after.filter((a) => a.action === 'webcare.reveal')).toHaveLength(1);

      // Back on the page the numbers are masked again; a case made from the masked summary keeps
      // what the resident wrote, and the case page masks it.
      await olga.page.goto(PAGE);
      expect(await transcript.textContent()).toContain('Nogmaals: •••••••33');
      expect(await summary.inputValue()).toContain(masked);
      await olga.page.getByRole('button', { name: t('dashboard.webcare.case.make') }).click();
      await app.settle();
      const [made] = await app.uow.run((r) => r.cases.listForResident('console:anna'));
      expect(made?.text).toContain(QUESTION);
      expect(made?.text).toContain('Nogmaals: 111222333');
      expect(made?.text).not.toContain('•');
      await olga.page.goto(`${server.url}/dashboard/cases/${made!.reference}`);
      expect(await olga.page.locator('main').textContent()).toContain(masked);
      expect(await olga.page.locator('main').textContent()).not.toContain('111222333');
      expect(await olga.fired()).toEqual([]);
    });
  },
);

describe.skipIf(!browserAvailable)(
  'webcare pages and script injection (Chromium)',
  { timeout: 300_000 },
  () => {
    it(`never runs any of the ${XSS_PAYLOADS.length} payloads as a resident's chat id, on the queue and takeover pages`, async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const { driver } = server.t;
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      // A channel's chat id is whatever the channel says; here every payload is one.
      for (const payload of XSS_PAYLOADS) await driver.send(payload, 'medewerker');
      const olga = await dash.page('10.0.2.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/webcare`);
      expect(await olga.page.locator('tbody tr').count()).toBe(XSS_PAYLOADS.length);
      expect(await olga.page.locator('tbody').textContent()).toContain(`console ${XSS_PAYLOADS[0]!}`);
      expect(await axeViolations(olga.page)).toEqual([]);
      for (const payload of XSS_PAYLOADS.slice(0, 8)) {
        await olga.page.goto(`${server.url}/dashboard/webcare/${encodeURIComponent(`console:${payload}`)}`);
        expect(await olga.page.locator('h1').textContent()).toBe(`Gesprek met console ${payload}`);
      }
      expect(await olga.fired()).toEqual([]);
      expect(olga.errors).toEqual([]);
    });
  },
);
