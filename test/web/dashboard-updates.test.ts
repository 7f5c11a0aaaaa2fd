import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/features/participation/updates.js';
import { translator } from '../../src/i18n/translator.js';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';

const dash = useDashboardBrowser();
const t = translator(shippedTexts, 'nl');

/** A resident subscribes in the chat for the district of `postcode`, every topic. */
async function subscribe(server: DashboardServer, who: string, postcode: string): Promise<void> {
  for (const text of ['hallo', 'blijf op de hoogte', postcode, 'nee', '1', 'ja'])
    await server.t.driver.send(who, text);
}

describe.skipIf(!browserAvailable)(
  'district updates in the dashboard (Chromium)',
  { timeout: 600_000 },
  () => {
    it('an operator writes and sends an update (axe 0, refusals explained); a subscriber gets it; an alderman only sends for their own districts', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const { app } = server.t;
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      await server.addAccount({
        email: 'anna@rijswijk.nl',
        name: 'Anna de Vries',
        role: 'alderman:anna-de-vries',
      });
      await server.addAccount({ email: 'afval@rijswijk.nl', name: 'Team Afval', role: 'department:afval' });
      await subscribe(server, 'res1', '2282 AB'); // Muziekbuurt
      await subscribe(server, 'res2', '2286 AB'); // Steenvoorde

      const olga = await dash.page('10.0.3.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/updates`);
      expect(await axeViolations(olga.page)).toEqual([]);
      await olga.page.getByLabel(t('dashboard.updates.field.title')).fill(XSS_PAYLOADS[0]!);
      await olga.page.getByLabel(t('dashboard.updates.field.text')).fill('Wij maken het plein groener.');
      await olga.page.getByLabel(t('dashboard.updates.level.raadplegen')).check();
      await olga.page.getByRole('button', { name: t('dashboard.updates.send') }).click();
      expect(await olga.page.getByRole('alert').textContent()).toContain(
        t('dashboard.updates.error.no_district'),
      );
      expect(await axeViolations(olga.page)).toEqual([]);
      await olga.page.getByLabel(t('dashboard.updates.field.title')).fill('Nieuw plein bij de Cluis');
      await olga.page.getByLabel('Muziekbuurt, Cluis en Eelaart').check();
      await olga.page.getByLabel(/invloed/).fill('Welke bomen er komen.');
      await olga.page.getByRole('button', { name: t('dashboard.updates.send') }).click();
      expect(await olga.page.getByRole('status').textContent()).toContain(
        t('dashboard.updates.sent_notice', { count: 1 }),
      );
      await app.settle();
      const got = server.t.sent.filter((m) => m.text.includes('Nieuw plein bij de Cluis'));
      expect(got.map((m) => m.to)).toEqual(['res1']);
      expect(got[0]?.text).toContain(t('participation.level.raadplegen'));
      await olga.page.reload();
      const row = olga.page.getByRole('table').locator('tbody tr').first();
      expect(await row.textContent()).toContain('Raadplegen');
      expect(await axeViolations(olga.page)).toEqual([]);
      expect(await olga.fired()).toEqual([]);

      // Anna (Oud Rijswijk, Rembrandtkwartier, Muziekbuurt) sees only her districts and her updates.
      const anna = await dash.page('10.0.3.2');
      await signIn(anna.page, server.url, 'anna@rijswijk.nl');
      await anna.page.goto(`${server.url}/dashboard/updates`);
      const boxes = anna.page.locator('#field-districts input[type=checkbox]');
      expect(await boxes.count()).toBe(3);
      expect(await anna.page.getByLabel('Steenvoorde').count()).toBe(0);
      expect(await axeViolations(anna.page)).toEqual([]);
      await expect(
        app.commands.participation.updates.send(
          { title: 'x', text: 'y', districts: ['steenvoorde'], level: 'informeren' },
          {
            kind: 'staff',
            accountId: 'anna',
            districts: ['oud-rijswijk', 'rembrandtkwartier', 'muziekbuurt'],
          },
        ),
      ).rejects.toThrow('participation.not_your_district');

      // A department does not get the page.
      const team = await dash.page('10.0.3.3');
      await signIn(team.page, server.url, 'afval@rijswijk.nl');
      expect((await team.page.goto(`${server.url}/dashboard/updates`))?.status()).toBe(403);

      const audit = await app.uow.run((r) => r.audit.page({ limit: 50 }));
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['participation.update_send', 'participation.updates_view']),
      );
      expect(audit.find((a) => a.action === 'participation.update_send')?.actor).toMatch(/^staff:/);
    });
    // Regression: the server cut every field at 2000 characters without a word while the page
    // allowed 1000: a refused long text came back without its end, and a text padded with blank
    // lines was sent shortened. Now the form and the server share LIMITS and nothing is cut.
    it('the form takes the limits the server checks; over them the server refuses and keeps all that was typed', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      await subscribe(server, 'res1', '2282 AB'); // Muziekbuurt
      const olga = await dash.page('10.0.3.4');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/updates`);
      const text = olga.page.getByLabel(t('dashboard.updates.field.text'));
      expect(await text.getAttribute('maxlength')).toBe(String(LIMITS.text));
      expect(await olga.page.getByLabel(t('dashboard.updates.field.title')).getAttribute('maxlength')).toBe(
        String(LIMITS.title),
      );
      expect(await olga.page.locator('#text-hint').textContent()).toContain(
        `Hoogstens ${LIMITS.text} tekens.`,
      );

      // A browser that does not hold to maxlength (or an old page): refused kindly, nothing lost.
      const unlimited =
        "for (const f of document.querySelectorAll('[maxlength]')) f.removeAttribute('maxlength')";
      await olga.page.evaluate(unlimited);
      const long = `${'Wij maken het plein groener. '.repeat(90)}Einde.`;
      expect(long.length).toBeGreaterThan(2000);
      await olga.page.getByLabel(t('dashboard.updates.field.title')).fill('Nieuw plein');
      await text.fill(long);
      await olga.page.getByLabel('Muziekbuurt, Cluis en Eelaart').check();
      await olga.page.getByLabel(t('dashboard.updates.level.raadplegen')).check();
      await olga.page.getByRole('button', { name: t('dashboard.updates.send') }).click();
      expect(await olga.page.getByRole('alert').textContent()).toContain(
        t('dashboard.updates.error.text', { max: String(LIMITS.text) }),
      );
      expect(await text.inputValue()).toBe(long);
      expect(await axeViolations(olga.page)).toEqual([]);

      // Within the limit once the blank lines around it are gone: sent whole, not cut at 2000.
      await olga.page.evaluate(unlimited);
      const padded = `${'\n'.repeat(1500)}Het plein wordt groener. Einde van het bericht.`;
      await text.fill(padded);
      await olga.page.getByRole('button', { name: t('dashboard.updates.send') }).click();
      expect(await olga.page.getByRole('status').textContent()).toContain(
        t('dashboard.updates.sent_notice', { count: 1 }),
      );
      await server.t.app.settle();
      const got = server.t.sent.filter((m) => m.to === 'res1' && m.text.includes('Nieuw plein'));
      expect(got).toHaveLength(1);
      expect(got[0]?.text).toContain('Het plein wordt groener. Einde van het bericht.');
    });
  },
);
