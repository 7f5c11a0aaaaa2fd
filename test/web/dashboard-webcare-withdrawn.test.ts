import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { translator } from '../../src/i18n/translator.js';
import { shippedTexts } from '../support/texts.js';

const dash = useDashboardBrowser();

describe.skipIf(!browserAvailable)(
  'a withdrawn takeover in the dashboard (Chromium)',
  { timeout: 300_000 },
  () => {
    // Regression: a resident who wrote "hoeft niet meer" after an operator took over got silence, and
    // nothing on the operator's pages said the resident no longer waited for them.
    it('the queue and the takeover page say the resident no longer needs a person; the operator hands back', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const t = translator(shippedTexts, 'nl');
      const { driver, app } = server.t;
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      await driver.send('anna', 'hoi');
      await driver.send('anna', 'medewerker');

      const olga = await dash.page('10.0.0.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/webcare`);
      await olga.page.getByRole('link', { name: /console anna/ }).click();
      await olga.page.getByRole('button', { name: t('dashboard.webcare.take') }).click();
      await app.settle();

      const notice = olga.page.locator('[data-withdrawn]');
      expect(await notice.textContent()).toBe('');
      const told = await driver.send('anna', 'Laat maar, hoeft niet meer.');
      expect(told.map((m) => m.text)).toEqual([t('person.withdrawn_taken')]);
      await app.settle();

      // Regression: the page showed the withdrawal only after a reload. Its live stream says it now,
      // in the status the page has for it (a live region from the start, so it is announced).
      const said = 'De inwoner heeft laten weten dat het niet meer hoeft';
      await olga.page.locator('[data-withdrawn]', { hasText: said }).waitFor({ timeout: 15_000 });
      expect(await notice.getAttribute('role')).toBe('status');
      await olga.page.locator('.dash-transcript').getByText('Laat maar, hoeft niet meer.').waitFor();
      expect(await axeViolations(olga.page)).toEqual([]);
      // A reload shows the same words.
      await olga.page.reload();
      expect(await notice.textContent()).toContain(said);

      await olga.page.goto(`${server.url}/dashboard/webcare`);
      expect(await olga.page.locator('tbody tr').textContent()).toContain(
        t('dashboard.webcare.status.withdrawn', { status: t('dashboard.webcare.status.mine') }),
      );
      expect(await axeViolations(olga.page)).toEqual([]);

      await olga.page.getByRole('link', { name: /console anna/ }).click();
      await olga.page.getByRole('button', { name: t('dashboard.webcare.hand_back') }).click();
      await app.settle();
      expect(server.t.sent.map((m) => m.text)).toContain(t('webcare.handed_back'));
      expect(await olga.page.locator('body').textContent()).toContain(t('dashboard.webcare.empty'));
    });
  },
);
