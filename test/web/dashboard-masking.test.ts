import { describe, expect, it } from 'vitest';
import { createCase, reassignCase } from '../../src/features/cases/case-service.js';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn } from '../support/dashboard-server.js';
import { checkPdf } from '../support/pdf-check.js';
import { databaseKinds, freshTarget, sqliteUrl } from '../support/services.js';

const dash = useDashboardBrowser();
const operator = { email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' };
const QUESTION = 'Mijn BSN is 111222333 en bel mij op 06-12345678. Terugbetalen op NL91 ABNA 0417 1643 00.';

describe.skipIf(!browserAvailable)('numbers a resident should not send are masked for staff', () => {
  it('shows BSN, IBAN and phone masked on the case page until an operator reveals them, audited and axe-clean', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    const { id } = await server.addAccount(operator);
    const m = server.t.app.municipality;
    const kcc = { type: 'department' as const, id: 'kcc', name: 'KCC' };
    const c = await server.t.app.uow.transaction(async (r) => {
      const made = await createCase(r, {
        residentKey: 'console:masked-1',
        residentName: 'Sam',
        channel: 'console',
        language: 'nl',
        districtId: m.districts[0]!.id,
        topic: m.cases.topics[0]!.id,
        text: QUESTION,
        idempotencyKey: 'masked-1',
        now: server.t.clock.now(),
        prefix: m.referencePrefix,
        norm: 5,
        holidays: m.cases.holidays,
        timeZone: m.timeZone,
      });
      return reassignCase(r, made.id, kcc, 'system', server.t.clock.now());
    });

    const { page } = await dash.page();
    await signIn(page, server.url, operator.email);
    await page.goto(`${server.url}/dashboard/cases/${c.reference}`);
    const masked = (await page.locator('main').textContent()) ?? '';
    expect(masked).toContain('Mijn BSN is •••••••33 en bel mij op ••-••••••78.');
    expect(masked).toContain('•••• •••• •••• •••• 00');
    for (const secret of ['111222333', '12345678', 'ABNA']) expect(masked).not.toContain(secret);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Nummers tonen' }).click();
    await page.waitForURL(`**/dashboard/cases/${c.reference}/reveal`);
    const shown = (await page.locator('main').textContent()) ?? '';
    expect(shown).toContain(QUESTION);
    expect(shown).toContain('U ziet de afgeschermde nummers.');
    expect(await axeViolations(page)).toEqual([]);

    const audit = await server.t.app.uow.run((r) =>
      r.audit.page({ limit: 50, subject: `case:${c.reference}` }),
    );
    expect(audit.filter((a) => a.action === 'case.reveal').map((a) => a.actor)).toEqual([`staff:${id}`]);
    // Back on the page, the numbers are masked again.
    await page.goto(`${server.url}/dashboard/cases/${c.reference}`);
    expect(await page.locator('main').textContent()).not.toContain('111222333');
  }, 120_000);

  it.each(databaseKinds)(
    'on $kind: the chat logs show them masked in search snippets, the transcript and its text and PDF exports; axe-clean',
    async ({ kind, available }) => {
      if (!available) return;
      const fresh = await freshTarget(kind);
      dash.closeAfter(() => fresh.cleanup());
      const server = await dash.serve({ databaseUrl: fresh.url });
      await server.addAccount(operator);
      await server.t.driver.send('m1', 'Hallo');
      await server.t.driver.send('m1', QUESTION);
      const secrets = ['111222333', '12345678', 'ABNA', '0417'];

      const { page } = await dash.page();
      await signIn(page, server.url, operator.email);
      // Found by the number itself, yet the snippet shows it masked.
      for (const words of ['BSN terugbetalen', '111222333']) {
        await page.goto(`${server.url}/dashboard/conversations?q=${encodeURIComponent(words)}`);
        const rows = page.locator('tbody tr');
        expect(await rows.count(), words).toBe(1);
        const row = (await rows.first().textContent()) ?? '';
        expect(row).toContain('•••••••33');
        for (const secret of secrets) expect(row).not.toContain(secret);
      }
      expect(await axeViolations(page), 'search page').toEqual([]);

      await page.goto(`${server.url}/dashboard/conversations/console%3Am1`);
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toContain('Mijn BSN is •••••••33 en bel mij op ••-••••••78.');
      expect(main).toContain('•••• •••• •••• •••• 00');
      for (const secret of secrets) expect(main).not.toContain(secret);
      expect(await page.locator('#masked-note').textContent()).toContain('zijn afgeschermd');
      expect(await axeViolations(page), 'conversation page').toEqual([]);

      const text = await (
        await page.request.get(`${server.url}/dashboard/conversations/console%3Am1/export.txt`)
      ).text();
      expect(text).toContain('Mijn BSN is •••••••33 en bel mij op ••-••••••78.');
      expect(text).toContain('BSN-, IBAN- en telefoonnummers in berichten zijn afgeschermd');
      const pdf = checkPdf(
        await (
          await page.request.get(`${server.url}/dashboard/conversations/console%3Am1/export.pdf`)
        ).body(),
      );
      expect(pdf.text.join('\n')).toContain('•••••••33');
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
        expect(pdf.text.join('\n')).not.toContain(secret);
      }
      // The messages are stored as sent: masking is only in what staff read.
      const stored = await server.t.app.uow.run((r) => r.conversationSearch.record('console:m1', 100));
      expect(stored?.lines.map((l) => l.text)).toContain(QUESTION);
    },
    240_000,
  );
});
