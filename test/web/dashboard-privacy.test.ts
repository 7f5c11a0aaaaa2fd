import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
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
    const document = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      subject: { userId: string };
      data: Record<string, unknown[]>;
    };
    expect(document.subject.userId).toBe(RESIDENT);
    expect(JSON.stringify(document.data)).toContain(MARKER);
    expect(JSON.stringify(document.data)).not.toContain('someone-else');

    // Erasing asks first, showing what goes.
    await page.getByRole('button', { name: 'Verwijderen…' }).click();
    await page.locator('#preview-heading').waitFor();
    expect(await page.locator('#result').textContent()).toContain('inbound');
    expect(Object.keys(await scanTables(server.t.app.db, needles))).toContain('inbound');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ja, alles van deze inwoner verwijderen' }).click();
    await page.getByText('Verwijderd. Aantallen per tabel:').waitFor();
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
});
