import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable, downloadedText } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn } from '../support/dashboard-server.js';
import { databaseKinds, freshTarget, sqliteUrl } from '../support/services.js';
import { scanTables } from '../privacy/scan.js';

const dash = useDashboardBrowser();
const admin = { email: 'ada@rijswijk.nl', name: 'Ada Admin', role: 'admin' };
const operator = { email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' };
const RESIDENT = 'dash-priv-5e1';
const MARKER = 'Lantaarnpaalmarker31';

describe.skipIf(!browserAvailable)('privacy requests in the dashboard', () => {
  it('lets an admin download a resident’s data and erase it after a confirmation, audited and axe-clean; others may not', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    const { id } = await server.addAccount(admin);
    await server.addAccount(operator);
    for (const text of ['hallo', 'vraag', `${MARKER} brandt niet.`, 'Klaar'])
      await server.t.driver.send(RESIDENT, text);
    await server.t.driver.send('someone-else', 'hallo');
    const needles = [RESIDENT, MARKER];
    expect(Object.keys(await scanTables(server.t.app.db, needles))).toContain('inbound');

    // An operator sees no link and gets no page.
    const other = await dash.page('10.0.0.2');
    await signIn(other.page, server.url, operator.email);
    expect(await other.page.getByRole('link', { name: 'Privacyverzoeken' }).count()).toBe(0);
    const refused = await other.page.goto(`${server.url}/dashboard/privacy`);
    expect([403, 404]).toContain(refused?.status());

    const { page, fired } = await dash.page();
    await signIn(page, server.url, admin.email);
    await page.getByRole('link', { name: 'Privacyverzoeken' }).first().click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Kanaal').selectOption('console');
    await page.getByLabel('Telefoonnummer of chat-id').fill(RESIDENT);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Inzage downloaden (JSON)' }).click(),
    ]);
    const document = JSON.parse(await downloadedText(download)) as {
      subject: { userId: string };
      data: Record<string, unknown[]>;
    };
    expect(document.subject.userId).toBe(RESIDENT);
    expect(JSON.stringify(document.data)).toContain(MARKER);
    expect(JSON.stringify(document.data)).not.toContain('someone-else');

    // Erasing asks first, showing what goes.
    await page.getByRole('button', { name: 'Verwijderen…' }).click();
    await page.locator('#preview-heading').waitFor();
    // Regression: the list named database tables (inbound: 4, outbox: 9, case_events: 1); now in words.
    const preview = (await page.locator('#result').textContent()) ?? '';
    expect(preview).toMatch(/Berichten van de inwoner: \d+/);
    expect(preview).toMatch(/Berichten aan de inwoner: \d+/);
    for (const table of ['inbound', 'outbox', 'conversations', 'jobs']) expect(preview).not.toContain(table);
    expect(Object.keys(await scanTables(server.t.app.db, needles))).toContain('inbound');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ja, alles van deze inwoner verwijderen' }).click();
    await page.getByText('Verwijderd. Aantallen per tabel:').waitFor();
    expect(await page.locator('#result').textContent()).toMatch(/Berichten van de inwoner: \d+/);
    expect(await axeViolations(page)).toEqual([]);
    expect(await scanTables(server.t.app.db, needles)).toEqual({});
    expect(await scanTables(server.t.app.db, ['someone-else'])).not.toEqual({});

    // Audited: the privacy log with the admin as actor, the audit log without the resident's address.
    const log = await server.t.app.commands.privacy.log(10);
    expect(log.filter((e) => e.actor === `staff:${id}`).map((e) => e.action)).toEqual(
      expect.arrayContaining(['export', 'erase']),
    );
    const audit = await server.t.app.uow.run((r) => r.audit.page({ limit: 50, actor: `staff:${id}` }));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['privacy.export', 'privacy.erase']));
    expect(JSON.stringify(audit)).not.toContain(RESIDENT);
    expect(await fired()).toEqual([]);
  }, 120_000);

  it('regression: a WhatsApp number typed as 06… answered "Er is niets opgeslagen"; now it asks for the country code', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount(admin);
    const { page } = await dash.page();
    await signIn(page, server.url, admin.email);
    await page.goto(`${server.url}/dashboard/privacy`);
    for (const button of [/^Verwijderen/, /^Inzage downloaden/]) {
      await page.getByLabel('Kanaal').selectOption('whatsapp');
      await page.getByLabel('Telefoonnummer of chat-id').fill('06 12345678');
      await page.getByRole('button', { name: button }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('alert').textContent()).toContain(
        'Dit WhatsApp-nummer heeft geen landcode. Vul het in met landcode en zonder de 0 vooraan',
      );
      expect(await page.locator('main').textContent()).not.toContain('Er is niets opgeslagen');
      // What was typed stays in the form, to correct.
      expect(await page.getByLabel('Kanaal').inputValue()).toBe('whatsapp');
      expect(await page.getByLabel('Telefoonnummer of chat-id').inputValue()).toBe('06 12345678');
      expect(await axeViolations(page)).toEqual([]);
    }
    // Nobody's data was looked at: no access in the privacy log.
    const audit = await server.t.app.commands.audit.page({ limit: 50 });
    expect(audit.map((l) => l.action).filter((a) => a.startsWith('privacy.'))).toEqual([]);
  });

  it.each(databaseKinds)(
    'on $kind: a privacy request from the chat is in the privacy team’s inbox; its page names the chat identity, links an admin to the filled-in privacy page, which refuses to erase until it is answered; axe-clean',
    async ({ kind, available }) => {
      if (!available) return;
      const fresh = await freshTarget(kind);
      dash.closeAfter(() => fresh.cleanup());
      const server = await dash.serve({ databaseUrl: fresh.url });
      await server.addAccount(admin);
      const team = { email: 'pim@rijswijk.nl', name: 'Pim Privacy', role: 'department:privacy' };
      await server.addAccount(team);
      const said: string[] = [];
      for (const text of ['hallo', 'verwijder mijn gegevens', 'Ja, stuur mijn verzoek'])
        said.push(...(await server.t.driver.send('pr-1', text)).map((m) => m.text));
      await server.t.app.settle();
      const reference = said.map((t) => /RSW-\d{4}-\d{6}/.exec(t)?.[0]).find(Boolean) ?? '';
      expect(reference).not.toBe('');

      // The privacy team finds it in its inbox, as a privacy request about erasure.
      const member = await dash.page('10.0.0.3');
      await signIn(member.page, server.url, team.email);
      await member.page.goto(`${server.url}/dashboard/cases?kind=privacy`);
      const row = member.page.locator('tbody tr', { hasText: reference });
      expect(await row.count()).toBe(1);
      expect(await row.textContent()).toContain('Verwijdering (artikel 17 AVG)');
      expect(await axeViolations(member.page), 'inbox').toEqual([]);
      await row.getByRole('link', { name: reference }).click();
      const section = member.page.locator('#privacy-request');
      expect(await section.textContent()).toContain('console:pr-1');
      expect(await section.textContent()).toContain('Alleen een beheerder kan inzage geven of verwijderen');
      expect(await section.getByRole('link').count()).toBe(0);
      expect(await axeViolations(member.page), 'case page (privacy team)').toEqual([]);

      // An admin follows the link: the privacy page has the resident filled in; the export holds the request.
      const { page } = await dash.page();
      await signIn(page, server.url, admin.email);
      await page.goto(`${server.url}/dashboard/cases/${reference}`);
      await page.getByRole('link', { name: 'Inzage of verwijdering op de privacypagina' }).click();
      await page.waitForURL('**/dashboard/privacy?channel=console&user=pr-1');
      expect(await page.getByLabel('Kanaal').inputValue()).toBe('console');
      expect(await page.getByLabel('Telefoonnummer of chat-id').inputValue()).toBe('pr-1');
      expect(await axeViolations(page), 'privacy page, filled in').toEqual([]);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Inzage downloaden (JSON)' }).click(),
      ]);
      expect(await downloadedText(download)).toContain(reference);
      // Erasing now would leave the request unanswered: refused, with a link to it; no confirm button.
      await page.getByRole('button', { name: 'Verwijderen…' }).click();
      const held = page.getByRole('alert');
      await held.waitFor();
      expect(await held.textContent()).toContain('Niet verwijderd: console:pr-1 heeft een privacyverzoek');
      expect(await held.getByRole('link', { name: reference }).getAttribute('href')).toBe(
        `/dashboard/cases/${reference}`,
      );
      expect(await page.getByRole('button', { name: 'Ja, alles van deze inwoner verwijderen' }).count()).toBe(
        0,
      );
      expect(await axeViolations(page), 'privacy page, erasure held').toEqual([]);

      // The team answers first (then erases): the answer reaches the resident's chat.
      const from = server.t.sent.length;
      await member.page.getByLabel('Antwoord aan de inwoner').fill('Wij verwijderen uw gegevens vandaag.');
      await member.page.getByRole('button', { name: 'Antwoord versturen' }).click();
      await member.page.locator('#result').waitFor();
      await server.t.app.settle();
      const told = server.t.sent.slice(from).filter((m) => m.to === 'pr-1');
      expect(told.map((m) => m.text).join('\n')).toContain('Wij verwijderen uw gegevens vandaag.');
      // Answered and sent: now the admin may erase (after the confirmation).
      await page.getByLabel('Kanaal').selectOption('console');
      await page.getByLabel('Telefoonnummer of chat-id').fill('pr-1');
      await page.getByRole('button', { name: 'Verwijderen…' }).click();
      await page.getByRole('button', { name: 'Ja, alles van deze inwoner verwijderen' }).click();
      await page.getByText('Verwijderd. Aantallen per tabel:').waitFor();
      expect(await page.locator('#result').textContent()).toMatch(/Berichten van de inwoner: \d+/);
    },
    240_000,
  );
});
