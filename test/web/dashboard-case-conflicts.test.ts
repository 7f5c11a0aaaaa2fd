import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import type { SentMessage } from '../support/scenario.js';

/** Two operators on one question at once: the second is told what happened and keeps their words. */
const dash = useDashboardBrowser();

describe.skipIf(!browserAvailable)('two operators on one case at once, in Chromium', () => {
  it('regression: the second answer was refused with its words thrown away; now they stay on the page to copy', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga', role: 'operator' });
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    const said: SentMessage[] = [];
    const lines = ['hallo', 'vraag', 'Wanneer wordt het gras gemaaid?', 'Klaar', '2288 GD', 'Nee', 'Groen'];
    for (const line of [...lines, 'Ja, versturen']) said.push(...(await server.t.driver.send('r1', line)));
    const reference = said.map((m) => /RSW-\d{4}-\d{6}/.exec(m.text)?.[0]).find(Boolean) ?? '';
    expect(reference).not.toBe('');

    const olga = await dash.page('10.0.3.1');
    const otto = await dash.page('10.0.3.2');
    await signIn(olga.page, server.url, 'olga@rijswijk.nl');
    await signIn(otto.page, server.url, 'otto@rijswijk.nl');
    for (const { page } of [olga, otto]) await page.goto(`${server.url}/dashboard/cases/${reference}`);

    await olga.page.getByLabel('Antwoord aan de inwoner').fill('Het gras wordt volgende week gemaaid.');
    await olga.page.getByRole('button', { name: 'Antwoord versturen' }).click();
    await olga.page.waitForURL(/done=answer/);

    const ottoWords = 'Beste inwoner,\nWij maaien het gras op maandag.\nGroet, Otto';
    await otto.page.getByLabel('Antwoord aan de inwoner').fill(ottoWords);
    const refused = otto.page.waitForResponse((r) => r.request().method() === 'POST');
    await otto.page.getByRole('button', { name: 'Antwoord versturen' }).click();
    expect((await refused).status()).toBe(409);
    await otto.page.waitForLoadState('load');
    const alert = otto.page.getByRole('alert');
    expect(await alert.textContent()).toContain('een collega hem net beantwoordde of afsloot');
    expect(await alert.textContent()).toContain('Uw tekst is niet verstuurd');
    expect((await alert.locator('blockquote').innerText()).replace(/\r\n/g, '\n')).toBe(ottoWords);
    // The page shows the question as it is now: answered, with Olga's answer.
    expect(await otto.page.locator('main').textContent()).toContain('Het gras wordt volgende week gemaaid.');
    expect(await otto.page.getByLabel('Antwoord aan de inwoner').count()).toBe(0);
    expect(await axeViolations(otto.page)).toEqual([]);
    // The resident got one answer, Olga's.
    await server.t.app.settle();
    const answers = server.t.sent.filter((m) => m.text.includes(`antwoord op uw vraag ${reference}`));
    expect(answers.map((m) => m.text.includes('volgende week'))).toEqual([true]);
    expect([...(await olga.fired()), ...(await otto.fired()), ...olga.errors, ...otto.errors]).toEqual([]);
  }, 120_000);
});
