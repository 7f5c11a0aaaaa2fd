import { describe, expect, it } from 'vitest';
import { createCase, reassignCase } from '../../src/features/cases/case-service.js';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser, type GuardedPage } from '../support/dashboard-browser.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';

const dash = useDashboardBrowser();
let server: DashboardServer | undefined;

const admin = { email: 'ada@rijswijk.nl', name: 'Ada Admin', role: 'admin' };
const operator = { email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' };

async function guardedPage(email: string): Promise<GuardedPage> {
  const guarded = await dash.page();
  await signIn(guarded.page, server!.url, email);
  return guarded;
}

/** A waste case routed to Team Afval en Reiniging; returns its reference. */
async function wasteCase(s: DashboardServer, n = 0): Promise<string> {
  const m = s.t.app.municipality;
  const c = await s.t.app.uow.transaction(async (r) => {
    const made = await createCase(r, {
      residentKey: `console:sanne${n}`,
      residentName: 'Sanne',
      channel: 'console',
      language: 'nl',
      districtId: m.districts[0]!.id,
      topic: 'afval',
      text: 'Mijn container is kapot.',
      idempotencyKey: `sa-${n}`,
      now: s.t.clock.now(),
      prefix: m.referencePrefix,
      norm: 5,
      holidays: m.cases.holidays,
      timeZone: m.timeZone,
    });
    const team = { type: 'department' as const, id: 'afval', name: 'Team Afval en Reiniging' };
    return reassignCase(r, made.id, team, 'system', s.t.clock.now());
  });
  return c.reference;
}

describe.skipIf(!browserAvailable)('admins manage the standard answers in the dashboard', () => {
  it('an admin edits an answer and the case page offers the edited text; mistakes keep what was typed', async () => {
    server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount(admin);
    await server.addAccount(operator);
    const ref = await wasteCase(server);
    const { page } = await guardedPage(admin.email);

    await page.goto(`${server.url}/dashboard`);
    await page.getByRole('link', { name: 'Standaardantwoorden' }).first().click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').textContent()).toBe('Standaardantwoorden');
    expect(await page.locator('main').textContent()).toContain('Kapotte container wordt vervangen');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Kapotte container wordt vervangen' }).click();
    await page.waitForLoadState('load');
    expect(await axeViolations(page)).toEqual([]);
    // An unknown placeholder: a clear error, and the text as typed stays in the form.
    const typed = 'Beste {naam},\n\nUw nieuwe container (vraag {reference}) komt deze week.';
    await page.getByLabel('Tekst (Nederlands)').fill(typed);
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('alert').textContent()).toContain('Het invulveld {naam} bestaat niet');
    expect(await page.getByLabel('Tekst (Nederlands)').inputValue()).toBe(typed);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Titel (Nederlands)').fill('Nieuwe container deze week');
    await page.getByLabel('Tekst (Nederlands)').fill(typed.replace('{naam}', '{name}'));
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').textContent()).toContain('Het standaardantwoord is opgeslagen');
    expect(await page.locator('main').textContent()).toContain('Nieuwe container deze week');

    // Add one, then delete another.
    await page.getByRole('link', { name: 'Standaardantwoord toevoegen' }).click();
    await page.waitForLoadState('load');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Code').fill('afval-grofvuil');
    await page.getByLabel('Afval', { exact: true }).check();
    await page.getByLabel('Wonen en bouwen', { exact: true }).check();
    await page.getByLabel('Titel (Nederlands)').fill('Grofvuil ophalen');
    await page.getByLabel('Titel (Engels)').fill('Bulky waste');
    await page.getByLabel('Tekst (Nederlands)').fill('Beste {name}, grofvuil meldt u online.');
    await page.getByLabel('Tekst (Engels)').fill('Dear {name}, report bulky waste online.');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').textContent()).toContain('opgeslagen');
    // Regression: with two topics ticked only the last was kept (the form parser keeps one value a name).
    expect((await server.t.app.commands.cases.library.get('afval-grofvuil'))?.topics).toEqual([
      'afval',
      'wonen-en-bouwen',
    ]);
    await page.getByRole('button', { name: /^Verwijderen\W*Wanneer wordt afval opgehaald$/ }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').textContent()).toContain('verwijderd');

    // The operator's case page offers the edited and the added answer, not the deleted one.
    const op = await guardedPage(operator.email);
    await op.page.goto(`${server.url}/dashboard/cases/${ref}`);
    const options = await op.page.getByLabel('Standaardantwoord').locator('option').allTextContents();
    expect(options).toContain('Nieuwe container deze week');
    expect(options).toContain('Grofvuil ophalen');
    expect(options).not.toContain('Wanneer wordt afval opgehaald');
    await op.page.getByLabel('Standaardantwoord').selectOption('afval-container-kapot');
    await op.page.getByRole('button', { name: 'Dit standaardantwoord gebruiken' }).click();
    await op.page.waitForLoadState('load');
    expect(await op.page.getByLabel('Antwoord aan de inwoner').inputValue()).toBe(
      `Beste Sanne,\n\nUw nieuwe container (vraag ${ref}) komt deze week.`,
    );

    // A non-admin gets 404 on every page of it, and no link to it.
    expect(await op.page.getByRole('link', { name: 'Standaardantwoorden' }).count()).toBe(0);
    for (const path of ['', '/new', '/afval-container-kapot'])
      expect((await op.page.goto(`${server.url}/dashboard/standard-answers${path}`))?.status()).toBe(404);
    const post = await op.page.request.post(`${server.url}/dashboard/standard-answers/afval-grofvuil/delete`);
    expect([403, 404]).toContain(post.status());
    expect((await server.t.app.commands.cases.library.get('afval-grofvuil'))?.deleted).toBe(false);
  }, 120_000);

  it('payloads as answer titles and texts render inert on the list and on the case page', async () => {
    server = await dash.serve({ databaseUrl: sqliteUrl() });
    const { id } = await server.addAccount(admin);
    const viewer = { id, name: admin.name, role: 'admin' as const };
    const ref = await wasteCase(server);
    const lib = server.t.app.commands.cases.library;
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      const saved = await lib.save(viewer, 'add', {
        id: `xss-${i}`,
        topics: ['afval'],
        titleNl: payload,
        titleEn: payload,
        textNl: `Beste {name}, ${payload.replace(/[{}]/g, '')}`,
        textEn: `Dear {name}, ${payload.replace(/[{}]/g, '')}`,
      });
      expect(saved.ok, payload).toBe(true);
    }
    const { page, fired } = await guardedPage(admin.email);
    await page.goto(`${server.url}/dashboard/standard-answers`);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain(XSS_PAYLOADS[0]!);
    expect(main).toContain(XSS_PAYLOADS.at(-1)!);
    await page.goto(`${server.url}/dashboard/standard-answers/xss-3`);
    await page.goto(`${server.url}/dashboard/cases/${ref}`);
    const options = await page.getByLabel('Standaardantwoord').locator('option').allTextContents();
    expect(options).toContain(XSS_PAYLOADS[0]!);
    for (const i of [0, 1, 2, 10, XSS_PAYLOADS.length - 1]) {
      await page.goto(`${server.url}/dashboard/cases/${ref}?standard=xss-${i}`);
      expect(await page.getByLabel('Antwoord aan de inwoner').inputValue()).toContain(
        XSS_PAYLOADS[i]!.replace(/[{}]/g, ''),
      );
    }
    expect(await fired()).toEqual([]);
  }, 120_000);
});
