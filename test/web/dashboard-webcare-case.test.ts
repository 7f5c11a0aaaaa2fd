import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';
import { translator } from '../../src/i18n/translator.js';
import { shippedTexts } from '../support/texts.js';

const dash = useDashboardBrowser();
const t = translator(shippedTexts, 'nl');
const PAGE = `/dashboard/webcare/${encodeURIComponent('console:anna')}`;

describe.skipIf(!browserAvailable)('a case from a webcare takeover (Chromium)', { timeout: 300_000 }, () => {
  it(`the operator makes a case from the conversation; none of the ${XSS_PAYLOADS.length} payloads runs on the form`, async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    const { driver, app } = server.t;
    await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
    await driver.send('anna', 'medewerker');

    const olga = await dash.page('10.0.3.1');
    await signIn(olga.page, server.url, 'olga@rijswijk.nl');
    await olga.page.goto(`${server.url}${PAGE}`);
    await olga.page.getByRole('button', { name: 'Gesprek overnemen' }).click();
    await app.settle();
    const summary = olga.page.getByLabel(t('dashboard.webcare.case.summary'));

    // Every payload the resident sends comes into the summary (their latest five messages) as text.
    const said = ['medewerker'];
    for (let i = 0; i < XSS_PAYLOADS.length; i += 5) {
      for (const payload of XSS_PAYLOADS.slice(i, i + 5)) {
        await driver.advance!(10_000);
        await driver.send('anna', payload);
        said.push(payload.trim());
      }
      await olga.page.reload();
      expect(await summary.inputValue()).toBe(said.slice(-5).join('\n'));
      expect(await olga.fired()).toEqual([]);
    }
    expect(await axeViolations(olga.page)).toEqual([]);

    // The operator writes the summary (a payload stays text), picks topic and department, and makes it.
    await driver.advance!(10_000);
    await driver.send('anna', 'Mijn container is niet geleegd');
    await olga.page.reload();
    await summary.fill(`Container niet geleegd. ${XSS_PAYLOADS[0]!}`);
    await olga.page.getByLabel(t('dashboard.webcare.case.topic')).selectOption({ label: 'Afval' });
    await olga.page
      .getByLabel(t('dashboard.webcare.case.department'))
      .selectOption({ label: 'Team Afval en Reiniging' });
    await olga.page.getByRole('button', { name: t('dashboard.webcare.case.make') }).click();
    await app.settle();
    const notice = (await olga.page.locator('#case').textContent()) ?? '';
    const reference = /RSW-2026-\d{6}/.exec(notice)?.[0] ?? '';
    expect(notice).toBe(t('dashboard.webcare.case.made', { reference }));
    expect(server.t.sent.at(-1)?.text).toContain(reference);
    expect(await axeViolations(olga.page)).toEqual([]);

    // The case is linked: on the takeover page and on its own page, with the summary as text.
    await olga.page.getByRole('link', { name: reference }).click();
    expect(new URL(olga.page.url()).pathname).toBe(`/dashboard/cases/${reference}`);
    expect(await olga.page.locator('main').textContent()).toContain('Container niet geleegd.');
    await olga.page.goto(`${server.url}/dashboard/conversations/${encodeURIComponent('console:anna')}`);
    expect(await olga.page.locator('main').textContent()).toContain(reference);
    expect(await olga.fired()).toEqual([]);
    expect(olga.errors).toEqual([]);
  });
});
