import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/features/polls/poll.js';
import { dashboardDateTime } from '../../src/http/dashboard/plugin.js';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';
import { translator } from '../../src/i18n/translator.js';
import { shippedTexts } from '../support/texts.js';

const dash = useDashboardBrowser();
const t = translator(shippedTexts, 'nl');

/** A new resident answers the open poll of the district of `postcode` with `choice` (as typed). */
async function answer(server: DashboardServer, who: string, postcode: string, choice: string) {
  const { driver } = server.t;
  await driver.send(who, 'peiling');
  await driver.send(who, postcode);
  await driver.send(who, 'nee');
  return driver.send(who, choice);
}

describe.skipIf(!browserAvailable)(
  'polls in the dashboard and the public results page (Chromium)',
  { timeout: 600_000 },
  () => {
    it('an operator starts a poll, residents answer, the chart and table pass axe, closing tells who answered', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const { app } = server.t;
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      await server.addAccount({
        email: 'fatma@rijswijk.nl',
        name: 'Fatma Yilmaz',
        role: 'alderman:fatma-yilmaz',
      });

      const olga = await dash.page('10.0.1.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/polls/new`);
      expect(await axeViolations(olga.page)).toEqual([]);
      // A poll without districts is refused with the reason, the input kept.
      await olga.page.getByLabel('Vraag', { exact: true }).fill('Meer bankjes in het park?');
      await olga.page.getByLabel('Keuze 1').fill('Ja, graag');
      await olga.page.getByLabel('Keuze 2').fill('Nee');
      await olga.page.getByRole('button', { name: t('dashboard.polls.create') }).click();
      expect(await olga.page.getByRole('alert').textContent()).toContain(
        t('dashboard.polls.error.poll.districts'),
      );
      expect(await axeViolations(olga.page)).toEqual([]);
      await olga.page.getByLabel('Oud Rijswijk').check();
      await olga.page.getByLabel('Steenvoorde').check();
      await olga.page.getByLabel(/Vervolgvraag/).fill('Waar zou u een bankje willen?');
      await olga.page.getByRole('button', { name: t('dashboard.polls.create') }).click();
      const id = /\/dashboard\/polls\/([a-z0-9]+)$/.exec(olga.page.url())?.[1] ?? '';
      expect(id).not.toBe('');

      // 6 residents of Oud Rijswijk and 3 of Steenvoorde answer; one writes payloads as free text.
      for (let i = 0; i < 6; i++) {
        const replies = await answer(server, `or${i}`, '2280 AB', i < 4 ? 'ja' : '2');
        expect(replies.map((m) => m.text).join('\n')).toContain(
          t('poll.follow_up', { question: 'Waar zou u een bankje willen?' }),
        );
        await server.t.driver.send(`or${i}`, i === 0 ? XSS_PAYLOADS.slice(0, 8).join(' ') : 'Bij de vijver');
      }
      for (let i = 0; i < 3; i++) await answer(server, `sv${i}`, '2286 AB', 'Nee');

      await olga.page.reload();
      const main = olga.page.locator('main');
      // Oud Rijswijk: 4 yes, 2 no; Steenvoorde has 3 answers: no figures; the total leaves it out.
      const table = olga.page.getByRole('table', { name: /Uitslag Oud Rijswijk per keuze/ });
      expect(await table.locator('tbody tr').allTextContents()).toEqual(['Ja, graag467%', 'Nee233%']);
      expect(await main.textContent()).toContain(t('dashboard.polls.too_few'));
      expect(await main.textContent()).toContain(t('dashboard.polls.partial_note'));
      expect(await olga.page.getByRole('img', { name: /Uitslag Oud Rijswijk/ }).count()).toBe(1);
      expect(await olga.page.getByRole('img', { name: /Uitslag Steenvoorde/ }).count()).toBe(0);
      expect(await main.textContent()).toContain('Bij de vijver');
      expect(await axeViolations(olga.page)).toEqual([]);
      expect(await olga.fired()).toEqual([]);

      // The CSV has the same figures and none for Steenvoorde.
      const csv = await olga.page.request.get(`${server.url}/dashboard/polls/${id}/results.csv`);
      const text = await csv.text();
      expect(text).toContain('"Oud Rijswijk","6","Ja, graag","4","67"');
      expect(text).toContain('"Steenvoorde","fewer than 5","Nee","",""');

      // Not public while open.
      expect((await olga.page.request.get(`${server.url}/peilingen/${id}`)).status()).toBe(404);

      // An alderman reads results but neither starts nor closes polls.
      const fatma = await dash.page('10.0.1.2');
      await signIn(fatma.page, server.url, 'fatma@rijswijk.nl');
      expect((await fatma.page.goto(`${server.url}/dashboard/polls/new`))?.status()).toBe(403);
      await fatma.page.goto(`${server.url}/dashboard/polls/${id}`);
      expect(await fatma.page.getByRole('button', { name: t('dashboard.polls.close') }).count()).toBe(0);

      // Closing: everyone who answered hears the outcome and the plan.
      const before = server.t.sent.length;
      await olga.page.getByLabel(t('dashboard.polls.outcome')).fill('Er komen in maart vier bankjes bij.');
      await olga.page.getByRole('button', { name: t('dashboard.polls.close') }).click();
      await app.settle();
      expect(await olga.page.getByRole('status').textContent()).toContain(
        t('dashboard.polls.closed_notice', { count: 9 }),
      );
      const told = server.t.sent.slice(before);
      expect(new Set(told.map((m) => m.to)).size).toBe(9);
      expect(
        told.every((m) => m.text.includes('Dit doet de gemeente ermee: Er komen in maart vier bankjes bij.')),
      ).toBe(true);
      // The total (6 + 3, Steenvoorde would be worked out from it) is not given as figures.
      expect(told[0]?.text).toContain(t('poll.outcome_few'));
      const audit = await app.uow.run((r) => r.audit.page({ limit: 50 }));
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['poll.create', 'poll.view', 'poll.export', 'poll.close']),
      );

      // The public page: figures, the outcome, no free text, no resident; axe-clean.
      const visitor = await dash.page('10.0.1.3');
      const response = await visitor.page.goto(`${server.url}/peilingen/${id}`);
      expect(response?.status()).toBe(200);
      const body = (await visitor.page.locator('body').textContent()) ?? '';
      expect(body).toContain('Er komen in maart vier bankjes bij.');
      expect(body).toContain('67%');
      expect(body).not.toContain('Bij de vijver');
      expect(body).not.toMatch(/or\d|sv\d|console/);
      expect(await axeViolations(visitor.page)).toEqual([]);
      await visitor.page.getByRole('link', { name: 'English' }).click();
      expect(await visitor.page.locator('h2').first().textContent()).toBe(
        'What the municipality will do with it',
      );
      expect(await axeViolations(visitor.page)).toEqual([]);
    });

    it('regression: a poll closed without an outcome text showed an empty outcome line in the dashboard', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const { app } = server.t;
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      const poll = await app.commands.polls.create(
        { question: 'Een speeltuin aan de Cluis?', options: ['Ja', 'Nee'], districts: ['oud-rijswijk'] },
        'test',
      );
      // 3 answers: fewer than 5, so no figures either.
      for (const who of ['p1', 'p2', 'p3']) await answer(server, who, '2280 AB', 'ja');

      const olga = await dash.page('10.0.3.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/polls/${poll.id}`);
      const before = server.t.sent.length;
      // Closed with the outcome box left empty.
      await olga.page.getByRole('button', { name: t('dashboard.polls.close') }).click();
      await app.settle();
      const shown = olga.page.locator(`dl dt:text-is("${t('dashboard.polls.outcome_shown')}") + dd`);
      expect(await shown.textContent()).toBe(t('dashboard.polls.outcome_none'));
      expect(await axeViolations(olga.page)).toEqual([]);

      // The residents hear that it closed and that there were too few answers: no empty or half line.
      const told = server.t.sent.slice(before);
      expect(told.map((m) => m.to).sort()).toEqual(['p1', 'p2', 'p3']);
      for (const m of told)
        expect(m.text.split('\n')).toEqual([
          t('poll.outcome', { question: 'Een speeltuin aan de Cluis?' }),
          t('poll.outcome_few'),
        ]);
      // The public page leaves the outcome's heading out.
      const visitor = await dash.page('10.0.3.2');
      await visitor.page.goto(`${server.url}/peilingen/${poll.id}`);
      expect(await visitor.page.locator('main').textContent()).not.toContain(
        t('dashboard.polls.outcome_shown'),
      );
      expect(await olga.fired()).toEqual([]);
    });

    it('script in a question and its options is shown as text on the dashboard and the public page', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const { app } = server.t;
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      const olga = await dash.page('10.0.2.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      const visitor = await dash.page('10.0.2.2');
      const ids: string[] = [];
      for (let i = 0; i < XSS_PAYLOADS.length; i += 3) {
        const [q, a, b] = XSS_PAYLOADS.slice(i, i + 3);
        const poll = await app.commands.polls.create(
          {
            question: q!.slice(0, 300),
            options: [(a ?? 'een').slice(0, 80), (b ?? 'twee').slice(0, 80)],
            districts: ['oud-rijswijk'],
          },
          'test',
        );
        await app.commands.polls.close(poll.id, q!.slice(0, 1000), 'test');
        ids.push(poll.id);
      }
      for (const id of ids) {
        await olga.page.goto(`${server.url}/dashboard/polls/${id}`);
        await visitor.page.goto(`${server.url}/peilingen/${id}`);
      }
      await olga.page.goto(`${server.url}/dashboard/polls`);
      expect(await olga.page.locator('tbody tr').count()).toBe(ids.length);
      expect(await olga.fired()).toEqual([]);
      expect(await visitor.fired()).toEqual([]);
      expect(olga.errors).toEqual([]);
      expect(visitor.errors).toEqual([]);
      // The payload is there, as text.
      await visitor.page.goto(`${server.url}/peilingen/${ids[0]}`);
      expect(await visitor.page.locator('h1').textContent()).toBe(
        XSS_PAYLOADS[0]!.replace(/\s+/g, ' ').trim(),
      );
    });
    // Regression: the server cut every field at 2000 characters without a word while the forms
    // allow 1000 or less: a refused long text came back without its end (or, when closing, not at
    // all), and a text padded with blanks was saved shortened. Now forms and server share LIMITS.
    it('the poll forms take the limits the server checks; over them the server refuses and keeps all that was typed', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      const olga = await dash.page('10.0.4.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/polls/new`);
      const question = olga.page.getByLabel('Vraag', { exact: true });
      const followUp = olga.page.getByLabel(/Vervolgvraag/);
      expect(await question.getAttribute('maxlength')).toBe(String(LIMITS.question));
      expect(await olga.page.getByLabel('Keuze 1').getAttribute('maxlength')).toBe(String(LIMITS.option));
      expect(await followUp.getAttribute('maxlength')).toBe(String(LIMITS.follow_up));
      expect(await olga.page.locator('#question-hint').textContent()).toContain(
        `Hoogstens ${LIMITS.question} tekens.`,
      );

      // A browser that does not hold to maxlength (or an old page): refused kindly, nothing lost.
      const unlimited =
        "for (const f of document.querySelectorAll('[maxlength]')) f.removeAttribute('maxlength')";
      await olga.page.evaluate(unlimited);
      const long = `${'Wilt u meer groen in de straat? '.repeat(70)}Einde.`;
      expect(long.length).toBeGreaterThan(2000);
      await question.fill(long);
      await olga.page.getByLabel('Keuze 1').fill('Ja');
      await olga.page.getByLabel('Keuze 2').fill('Nee');
      await olga.page.getByLabel('Oud Rijswijk').check();
      await followUp.fill('Waar precies?');
      await olga.page.getByRole('button', { name: t('dashboard.polls.create') }).click();
      expect(await olga.page.getByRole('alert').textContent()).toContain(
        t('dashboard.polls.error.poll.question', { max: String(LIMITS.question) }),
      );
      expect(await question.inputValue()).toBe(long);
      expect(await olga.page.getByLabel('Keuze 2').inputValue()).toBe('Nee');
      expect(await olga.page.getByLabel('Oud Rijswijk').isChecked()).toBe(true);
      expect(await followUp.inputValue()).toBe('Waar precies?');
      expect(await axeViolations(olga.page)).toEqual([]);

      // Within the limit once the spaces around it are gone: saved whole, not cut at 2000.
      await olga.page.evaluate(unlimited);
      await question.fill(`${' '.repeat(1990)}Meer bomen in de straat?`);
      await olga.page.getByRole('button', { name: t('dashboard.polls.create') }).click();
      expect(await olga.page.locator('h1').textContent()).toBe('Meer bomen in de straat?');

      // Closing: the outcome box takes the same limit; over it the page comes back with the text.
      const outcome = olga.page.getByLabel(t('dashboard.polls.outcome'));
      expect(await outcome.getAttribute('maxlength')).toBe(String(LIMITS.outcome));
      expect(await olga.page.locator('#outcome-hint').textContent()).toContain(
        `Hoogstens ${LIMITS.outcome} tekens.`,
      );
      await olga.page.evaluate(unlimited);
      const longOutcome = `${'Wij planten in maart tien bomen. '.repeat(65)}Einde.`;
      expect(longOutcome.length).toBeGreaterThan(2000);
      await outcome.fill(longOutcome);
      await olga.page.getByRole('button', { name: t('dashboard.polls.close') }).click();
      expect(await olga.page.getByRole('alert').textContent()).toContain(
        t('dashboard.polls.error.poll.outcome_too_long', { max: String(LIMITS.outcome) }),
      );
      expect(await outcome.inputValue()).toBe(longOutcome);
      expect(await axeViolations(olga.page)).toEqual([]);
      const id = /\/dashboard\/polls\/([a-z0-9]+)\/close$/.exec(olga.page.url())?.[1] ?? '';
      expect((await server.t.app.commands.polls.get(id))?.closedAt).toBeNull();

      // Within the limit once the blank lines before it are gone: closed with all of it.
      await olga.page.evaluate(unlimited);
      await outcome.fill(`${'\n'.repeat(1990)}Wij planten in maart tien bomen. Einde van de uitleg.`);
      await olga.page.getByRole('button', { name: t('dashboard.polls.close') }).click();
      const shown = olga.page.locator(`dl dt:text-is("${t('dashboard.polls.outcome_shown')}") + dd`);
      expect(await shown.textContent()).toBe('Wij planten in maart tien bomen. Einde van de uitleg.');
      expect(await olga.fired()).toEqual([]);
    });

    // Regression: the create form named a refusal only in the alert at the top; the field that
    // failed carried no aria-invalid and no link to its error text, unlike the other dashboard forms.
    it('the create form marks the field that failed (aria-invalid, aria-describedby to its error text)', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      const olga = await dash.page('10.0.5.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/polls/new`);
      const question = olga.page.getByLabel('Vraag', { exact: true });
      /** The texts an element's aria-describedby points to. */
      const description = async (locator: Locator) => {
        const ids = ((await locator.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
        return Promise.all(ids.map(async (id) => (await olga.page.locator(`#${id}`).textContent())?.trim()));
      };
      const idsOf = async (locator: Locator) =>
        Promise.all((await locator.all()).map((one) => one.getAttribute('id')));
      const invalid = () => idsOf(olga.page.locator('[aria-invalid="true"]'));

      // No district: every district box is marked and names the reason.
      await question.fill('Meer bankjes in het park?');
      await olga.page.getByLabel('Keuze 1').fill('Ja');
      await olga.page.getByLabel('Keuze 2').fill('Nee');
      await olga.page.getByRole('button', { name: t('dashboard.polls.create') }).click();
      const noDistrict = t('dashboard.polls.error.poll.districts');
      const boxes = olga.page.locator('#field-districts input[type="checkbox"]');
      expect(await boxes.count()).toBeGreaterThan(1);
      expect((await invalid()).sort()).toEqual((await idsOf(boxes)).sort());
      expect(await description(olga.page.getByLabel('Oud Rijswijk'))).toEqual([noDistrict]);
      expect(await description(olga.page.locator('#field-districts'))).toEqual([noDistrict]);
      expect(await question.getAttribute('aria-invalid')).toBeNull();
      expect(await axeViolations(olga.page)).toEqual([]);

      // A question too long: the question field, with its hint and the error text.
      await olga.page.evaluate("document.getElementById('field-question').removeAttribute('maxlength')");
      await question.fill('Meer bankjes? '.repeat(30));
      await olga.page.getByLabel('Oud Rijswijk').check();
      await olga.page.getByRole('button', { name: t('dashboard.polls.create') }).click();
      const tooLong = t('dashboard.polls.error.poll.question', { max: String(LIMITS.question) });
      expect(await invalid()).toEqual(['field-question']);
      expect(await description(question)).toEqual([
        t('dashboard.polls.field.question_hint', { max: String(LIMITS.question) }),
        tooLong,
      ]);
      expect(await axeViolations(olga.page)).toEqual([]);

      // One option only: the option fields, with the options hint and the error text.
      await question.fill('Meer bankjes in het park?');
      await olga.page.getByLabel('Keuze 2').fill('');
      await olga.page.getByRole('button', { name: t('dashboard.polls.create') }).click();
      expect(await invalid()).toEqual([
        'field-option1',
        'field-option2',
        'field-option3',
        'field-option4',
        'field-option5',
        'field-option6',
      ]);
      expect((await description(olga.page.getByLabel('Keuze 1')))[1]).toBe(
        t('dashboard.polls.error.poll.options', { max: String(LIMITS.option) }),
      );
      expect(await axeViolations(olga.page)).toEqual([]);

      // A closing time in the past: the closing time field.
      await olga.page.getByLabel('Keuze 2').fill('Nee');
      await olga.page.getByLabel(t('dashboard.polls.field.closes')).fill('2026-11-30T12:00');
      await olga.page.getByRole('button', { name: t('dashboard.polls.create') }).click();
      expect(await invalid()).toEqual(['field-closes']);
      expect(await description(olga.page.getByLabel(t('dashboard.polls.field.closes')))).toEqual([
        t('dashboard.polls.error.poll.closes'),
      ]);
      expect(await axeViolations(olga.page)).toEqual([]);
      expect(await olga.fired()).toEqual([]);
    });

    // Regression: a poll closed at its end date while staff typed the outcome: the refused closing
    // showed a bare message page and the text was gone, and a closed poll's outcome could not be
    // written afterwards, so who answered never heard what the municipality does with it.
    it('a closing refused because the poll closed meanwhile keeps the text; sent as the outcome, who answered hear it once', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const { app } = server.t;
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      const poll = await app.commands.polls.create(
        {
          question: 'Een speeltuin aan de Cluis?',
          options: ['Ja', 'Nee'],
          districts: ['oud-rijswijk'],
          closesAt: new Date(app.clock.now().getTime() + 10 * 60_000),
        },
        'test',
      );
      for (const who of ['p1', 'p2', 'p3']) await answer(server, who, '2280 AB', 'ja');

      const olga = await dash.page('10.0.6.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/polls/${poll.id}`);
      const plan = 'Wij bouwen de speeltuin in het voorjaar.';
      await olga.page.getByLabel(t('dashboard.polls.outcome')).fill(plan);
      // Meanwhile its end date passes: its job closes it and tells who answered (without a text).
      await server.t.driver.advance!(11 * 60_000);
      await app.settle();
      expect((await app.commands.polls.get(poll.id))?.outcome).toBe('');
      const before = server.t.sent.length;

      await olga.page.getByRole('button', { name: t('dashboard.polls.close') }).click();
      expect(await olga.page.getByRole('alert').textContent()).toContain(
        t('dashboard.polls.error.poll.already_closed'),
      );
      const box = olga.page.getByLabel(t('dashboard.polls.outcome'));
      expect(await box.inputValue()).toBe(plan);
      expect(await box.getAttribute('aria-invalid')).toBe('true');
      expect(await olga.page.locator('#outcome-error').textContent()).toBe(
        t('dashboard.polls.error.poll.already_closed'),
      );
      expect(await olga.page.locator('h2').allTextContents()).toContain(
        t('dashboard.polls.outcome_title_write'),
      );
      expect(await axeViolations(olga.page)).toEqual([]);
      expect(server.t.sent.length).toBe(before);

      // Sent as the outcome: saved, and each who answered hears it once.
      await olga.page.getByRole('button', { name: t('dashboard.polls.outcome_save') }).click();
      await app.settle();
      expect(await olga.page.getByRole('status').textContent()).toContain(
        t('dashboard.polls.outcome_notice', { count: 3 }),
      );
      const shown = olga.page.locator(`dl dt:text-is("${t('dashboard.polls.outcome_shown')}") + dd`);
      expect(await shown.textContent()).toBe(plan);
      const told = server.t.sent.slice(before);
      expect(told.map((m) => m.to).sort()).toEqual(['p1', 'p2', 'p3']);
      for (const m of told)
        expect(m.text.split('\n')).toEqual([
          t('poll.outcome_later', { question: 'Een speeltuin aan de Cluis?' }),
          t('poll.outcome_plan', { outcome: plan }),
        ]);
      expect(await axeViolations(olga.page)).toEqual([]);

      // Saved again unchanged (a second click): nobody hears it twice.
      await olga.page.getByRole('button', { name: t('dashboard.polls.outcome_save') }).click();
      await app.settle();
      expect(await olga.page.getByRole('status').textContent()).toContain(t('dashboard.polls.outcome_same'));
      await server.t.driver.advance!(2 * 60_000);
      await app.settle();
      expect(server.t.sent.slice(before)).toHaveLength(3);
      // The public page shows it.
      await olga.page.goto(`${server.url}/peilingen/${poll.id}`);
      expect(await olga.page.locator('main').textContent()).toContain(plan);
      expect(await olga.fired()).toEqual([]);
    });

    // Regression: the end date of an open poll could not be changed.
    it('staff move the end date of an open poll; into the past is refused with the reason and the date kept', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl(), app: { sweepMs: 3_600_000 } });
      const { app } = server.t;
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      // 09:00 UTC is 10:00 in Rijswijk; the poll closes by itself at 10:10.
      const poll = await app.commands.polls.create(
        {
          question: 'Meer groen op het plein?',
          options: ['Ja', 'Nee'],
          districts: ['oud-rijswijk'],
          closesAt: new Date(app.clock.now().getTime() + 10 * 60_000),
        },
        'test',
      );
      const olga = await dash.page('10.0.7.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      await olga.page.goto(`${server.url}/dashboard/polls/${poll.id}`);
      const field = olga.page.getByLabel(t('dashboard.polls.field.new_closes'));
      expect(await field.inputValue()).toBe('2026-12-01T10:10');
      expect(await axeViolations(olga.page)).toEqual([]);

      await field.fill('2026-12-01T09:30');
      await olga.page.getByRole('button', { name: t('dashboard.polls.end_save') }).click();
      expect(await olga.page.getByRole('alert').textContent()).toContain(
        t('dashboard.polls.error.poll.closes_past'),
      );
      expect(await field.inputValue()).toBe('2026-12-01T09:30');
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await field.getAttribute('aria-describedby')).toBe('closes-hint closes-error');
      expect(await axeViolations(olga.page)).toEqual([]);
      expect((await app.commands.polls.get(poll.id))?.closesAt).toEqual(poll.closesAt);

      await field.fill('2026-12-01T12:00');
      await olga.page.getByRole('button', { name: t('dashboard.polls.end_save') }).click();
      expect(await olga.page.getByRole('status').textContent()).toContain(
        t('dashboard.polls.end_notice', { date: dashboardDateTime(new Date('2026-12-01T11:00:00Z'), 'nl') }),
      );
      expect((await app.commands.polls.get(poll.id))?.closesAt?.toISOString()).toBe(
        '2026-12-01T11:00:00.000Z',
      );
      // The old time passes: still open. The new one: closed by its job.
      await server.t.driver.advance!(11 * 60_000);
      await app.settle();
      expect((await app.commands.polls.get(poll.id))?.closedAt).toBeNull();
      await server.t.driver.advance!(2 * 3_600_000);
      await app.settle();
      expect((await app.commands.polls.get(poll.id))?.closedAt).not.toBeNull();
      expect(await olga.fired()).toEqual([]);
    });
  },
);
