import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';

const dash = useDashboardBrowser();
const operator = { email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' };
const department = { email: 'ahmed@rijswijk.nl', name: 'Ahmed Afval', role: 'department:afval' };
const POISON = 'kapot bericht 7Q';
const FIRST = 'dash-dl-resident-4411';
const SECOND = 'dash-dl-resident-5522';
const THIRD = 'dash-dl-resident-6633';

describe.skipIf(!browserAvailable)('dead letters in the dashboard', () => {
  it('shows an operator the letters without the message text; retry hands one in again, drop closes another after a confirmation; departments may not', async () => {
    let broken = true;
    const server = await dash.serve({
      databaseUrl: sqliteUrl(),
      env: { DEAD_LETTER_AFTER: '2' },
      app: {
        faults: {
          beforeStore: (m) => {
            if (broken && m.text === POISON)
              throw new Error('injected: the inbound log refused this message');
          },
        },
      },
    });
    const { id: operatorId } = await server.addAccount(operator);
    await server.addAccount(department);
    const t = server.t;
    // Two messages the store refuses ('store'), and one whose every turn fails ('handle').
    for (const who of [FIRST, SECOND])
      expect((await t.driver.send(who, POISON)).map((m) => m.text)).toEqual([
        expect.stringMatching(/iets mis/),
      ]);
    await t.driver.send(THIRD, 'hallo');
    const services = (t.app.engine as unknown as { o: { services: Record<string, unknown> } }).o.services;
    const original = services['cases.mine'];
    services['cases.mine'] = () => Promise.reject(new Error('injected: cases unreachable'));
    await t.driver.send(THIRD, 'mijn vragen');
    services['cases.mine'] = original;
    const letters = await t.app.uow.run((r) => r.deadLetters.list({ limit: 10 }));
    const byUser = new Map(letters.map((l) => [l.address.userId, l]));
    expect(letters.map((l) => [l.address.userId, l.stage, l.status])).toEqual([
      [THIRD, 'handle', 'open'],
      [SECOND, 'store', 'open'],
      [FIRST, 'store', 'open'],
    ]);

    // A department sees no link and gets no page.
    const other = await dash.page('10.0.0.2');
    await signIn(other.page, server.url, department.email);
    expect(await other.page.getByRole('link', { name: /Niet verwerkte berichten/ }).count()).toBe(0);
    const refused = await other.page.goto(`${server.url}/dashboard/dead-letters`);
    expect([403, 404]).toContain(refused?.status());

    const { page, fired } = await dash.page();
    await signIn(page, server.url, operator.email);
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await nav.getByRole('link', { name: 'Niet verwerkte berichten (3 open)' }).click();
    await page.locator('#dead-letters').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const rows = page.locator('#dead-letters tbody tr');
    expect(await Promise.all((await rows.all()).map((row) => row.getAttribute('data-letter')))).toEqual(
      letters.map((l) => String(l.id)),
    );
    const table = (await page.locator('#dead-letters').textContent()) ?? '';
    // In words, and no personal data: the message text and the full id are not on the page.
    expect(table).toContain('Kon niet worden opgeslagen');
    expect(table).toContain('Kon niet worden afgehandeld');
    expect(table).toContain('Console');
    expect(table).toContain('injected: the inbound log refused this message');
    expect(table).toContain('…411');
    const html = await page.content();
    for (const secret of [POISON, FIRST, SECOND, THIRD]) expect(html).not.toContain(secret);
    // Only the stored (handled-stage) letter links to its conversation, and that page exists.
    const links = page.locator('#dead-letters').getByRole('link', { name: 'Gesprek bekijken' });
    expect(await links.count()).toBe(1);
    const conversation = await links.getAttribute('href');
    expect(conversation).toBe(`/dashboard/dead-letters/${byUser.get(THIRD)!.id}/conversation`);

    // Retry, once the fault is gone: the resident is answered and the letter is 'retried'.
    broken = false;
    const from = t.sent.length;
    const first = byUser.get(FIRST)!;
    await page
      .locator(`tr[data-letter="${first.id}"]`)
      .getByRole('button', { name: 'Opnieuw proberen' })
      .click();
    await page.locator('#result').getByText('Het bericht is opnieuw aangeboden').waitFor();
    await t.app.settle();
    expect(
      t.sent
        .slice(from)
        .filter((m) => m.to === FIRST)
        .map((m) => m.text)
        .join('\n'),
    ).toMatch(/Welkom/);
    expect((await t.app.uow.run((r) => r.deadLetters.get(first.id)))?.status).toBe('retried');
    expect(await page.locator(`tr[data-letter="${first.id}"]`).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Niet verwerkte berichten (2 open)' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // Drop asks first; cancelling changes nothing.
    const second = byUser.get(SECOND)!;
    const dropButton = () =>
      page.locator(`tr[data-letter="${second.id}"]`).getByRole('button', { name: 'Laten vallen' });
    await dropButton().click();
    await page.locator('#confirm').waitFor();
    expect(await page.locator('#confirm').textContent()).toMatch(/Console.*…522/s);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Nee, terug naar de lijst' }).click();
    expect((await t.app.uow.run((r) => r.deadLetters.get(second.id)))?.status).toBe('open');
    await dropButton().click();
    await page.getByRole('button', { name: 'Ja, laten vallen' }).click();
    await page.locator('#result').getByText('U heeft het bericht laten vallen').waitFor();
    expect((await t.app.uow.run((r) => r.deadLetters.get(second.id)))?.status).toBe('dropped');
    expect(t.sent.filter((m) => m.to === SECOND)).toHaveLength(1);

    // A letter someone else handled meanwhile: a clear message, not an error page.
    const third = byUser.get(THIRD)!;
    expect(await t.app.engine.dropDeadLetter(third.id)).toBe(true);
    const stale = await page
      .locator(`tr[data-letter="${third.id}"]`)
      .getByRole('button', { name: 'Opnieuw proberen' })
      .click()
      .then(() => page.locator('#result').textContent());
    expect(stale).toMatch(/al afgehandeld/);
    expect(await page.locator('#empty').textContent()).toMatch(/geen open berichten/);
    expect(await axeViolations(page)).toEqual([]);

    // Handled ones on request, with their status.
    await page.getByRole('link', { name: 'Ook afgehandelde tonen' }).click();
    await page.locator('#dead-letters').waitFor();
    const statuses = await page.locator('#dead-letters tbody tr td:nth-child(7)').allTextContents();
    expect(statuses.map((s) => s.trim())).toEqual(['Laten vallen', 'Laten vallen', 'Opnieuw aangeboden']);
    expect(await page.locator('#dead-letters').getByRole('button').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect((await page.goto(`${server.url}${conversation}`))?.status()).toBe(200);
    expect(page.url()).toBe(
      `${server.url}/dashboard/conversations/${encodeURIComponent(`console:${THIRD}`)}`,
    );

    // Audited as the operator, the letter as subject; the stale retry changed nothing and is not logged.
    const audit = await t.app.uow.run((r) => r.audit.page({ limit: 50, actor: `staff:${operatorId}` }));
    expect(
      audit.filter((a) => a.action.startsWith('dead-letter.')).map((a) => [a.action, a.subject]),
    ).toEqual([
      ['dead-letter.drop', `dead-letter:${second.id}`],
      ['dead-letter.retry', `dead-letter:${first.id}`],
    ]);
    expect(await fired()).toEqual([]);
  }, 120_000);
});
