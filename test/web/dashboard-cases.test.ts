import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, browserAvailable, launchBrowser } from '../support/browser.js';
import { signIn, TEST_PASSWORD } from '../support/dashboard-server.js';
import { spreekuur, startJsonlChat, startServe, type JsonlChat } from '../support/processes.js';

/**
 * The whole back office as it runs: `spreekuur serve` and `spreekuur chat --jsonl` as two processes
 * on one SQLite database, accounts made with `spreekuur users add`, staff in Chromium.
 */
let browser: Browser;
let chat: JsonlChat;
let serve: { url: string; stop(): Promise<unknown> };
const refs: Record<'bin' | 'care' | 'own', string> = { bin: '', care: '', own: '' };

const dir = mkdtempSync(join(tmpdir(), 'spreekuur-dash-cases-'));
const env = {
  DATABASE_URL: `sqlite:${join(dir, 'spreekuur.db')}`,
  DASHBOARD_COOKIE_SECRET: 'a dashboard cookie secret for the browser tests only',
  AUDIT_SECRET: 'an audit secret for the browser tests only, 32+ chars',
  WEBCHAT_ENABLED: 'false',
};

const accounts = [
  { email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' },
  { email: 'wendy@rijswijk.nl', name: 'Wendy Wijkteam', role: 'department:wijkteam' },
  { email: 'ahmed@rijswijk.nl', name: 'Ahmed Afval', role: 'department:afval' },
  { email: 'fatma@rijswijk.nl', name: 'Fatma Yilmaz', role: 'alderman:fatma-yilmaz' },
  { email: 'anna@rijswijk.nl', name: 'Anna de Vries', role: 'alderman:anna-de-vries' },
  { email: 'ada@rijswijk.nl', name: 'Ada Admin', role: 'admin' },
];

/** A resident in Rijswijk-Buiten (Fatma Yilmaz's district) asks a question; returns its reference. */
async function ask(from: string, text: string, topic: string): Promise<string> {
  const said: Record<string, unknown>[] = [];
  for (const line of ['hallo', 'vraag', text, 'Klaar', '2288 GD', 'Ja', topic, 'Ja, versturen'])
    said.push(...(await chat.send(from, line)));
  const reference = said.map((l) => /RSW-\d{4}-\d{6}/.exec(String(l.text))?.[0]).find(Boolean);
  if (!reference) throw new Error(`no reference: ${JSON.stringify(said)}`);
  return reference;
}

async function pageAs(email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'nl-NL' });
  const page = await context.newPage();
  await signIn(page, serve.url, email);
  return page;
}

const rowsOf = (page: Page) => page.locator('tbody tr td:nth-child(2)').allTextContents();

describe.skipIf(!browserAvailable)('the case inbox and case page, with the real processes', () => {
  beforeAll(async () => {
    expect(spreekuur(['migrate'], env).status).toBe(0);
    for (const a of accounts) {
      const made = spreekuur(
        ['users', 'add', '--email', a.email, '--name', a.name, '--role', a.role, '--password-stdin'],
        env,
        `${TEST_PASSWORD}\n`,
      );
      expect(made.status, made.stderr).toBe(0);
    }
    chat = startJsonlChat(env);
    refs.bin = await ask('r1', 'Mijn groene container is kapot. De deksel is eraf.', 'Afval');
    refs.care = await ask('r2', 'Ik heb hulp nodig bij het huishouden.', 'Zorg en welzijn');
    refs.own = await ask('r3', 'Komt er een zebrapad bij de school?', 'Verkeer en parkeren');
    serve = await startServe(env);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await chat?.close();
  });

  it('an operator finds the department case, answers it from a standard answer, and the resident gets it', async () => {
    const page = await pageAs('olga@rijswijk.nl');
    await page.goto(`${serve.url}/dashboard/cases`);
    expect(await page.locator('h1').textContent()).toBe('Vragen van inwoners');
    await page.getByLabel('Bij wie').selectOption('department:afval');
    await page.getByRole('button', { name: 'Filteren' }).click();
    await page.waitForLoadState('load');
    expect(await rowsOf(page)).toEqual([refs.bin]);
    // Regression: one case read "1 vragen gevonden."
    expect(await page.getByRole('status').textContent()).toBe('1 vraag gevonden.');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: refs.bin }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').textContent()).toBe(`Vraag ${refs.bin}`);
    expect(await page.locator('main').textContent()).toContain('De deksel is eraf.');
    expect(await page.locator('main').textContent()).toContain('Team Afval en Reiniging');
    // Staff write the answer in the resident's language, so the page says which it is.
    expect(await page.locator('.dash-facts').textContent()).toMatch(/Taal van de inwoner\s*Nederlands/);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Standaardantwoord').selectOption('afval-container-kapot');
    await page.getByRole('button', { name: 'Dit standaardantwoord gebruiken' }).click();
    await page.waitForLoadState('load');
    const text = await page.getByLabel('Antwoord aan de inwoner').inputValue();
    expect(text).toContain(`vraag ${refs.bin}`);
    expect(text).toContain('Beste inwoner');
    await page.getByRole('button', { name: 'Antwoord versturen' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).toContain('Het antwoord is verstuurd');
    expect(await page.locator('.dash-history').textContent()).toContain('Beantwoord');

    // The chat process prints what reaches the resident on their channel (console).
    const answer = await chat.waitFor((l) => l.to === 'r1' && String(l.text).includes(refs.bin));
    expect(answer.text).toContain(`U heeft antwoord op uw vraag ${refs.bin}`);
    expect(answer.text).toContain('Wij vervangen de container binnen 10 werkdagen');
    await page.context().close();
  });

  it("a department member sees only their department's cases; another's case is 404, also by direct URL", async () => {
    const page = await pageAs('wendy@rijswijk.nl');
    await page.goto(`${serve.url}/dashboard/cases?status=all`);
    expect(await rowsOf(page)).toEqual([refs.care]);
    for (const ref of [refs.bin, refs.own, 'RSW-2026-999999']) {
      const response = await page.goto(`${serve.url}/dashboard/cases/${ref}`);
      expect(response?.status()).toBe(404);
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).not.toMatch(/container|zebrapad/);
    }
    const own = await page.goto(`${serve.url}/dashboard/cases/${refs.care}`);
    expect(own?.status()).toBe(200);
    expect(await page.getByLabel('Antwoord aan de inwoner').count()).toBe(1);
    // A form posted at another department's case, with a valid token, is refused the same way.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const posted = await page.request.post(`${serve.url}/dashboard/cases/${refs.bin}/note`, {
      form: { _csrf: csrf, text: 'niet van ons' },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(404);
    await page.context().close();
  });

  it('the answer field stops at the 4000 characters the server takes, says so, and a refusal keeps the text', async () => {
    // Regression: the textarea had no limit, so staff learnt of the server's 4000 only after sending.
    const page = await pageAs('wendy@rijswijk.nl');
    await page.goto(`${serve.url}/dashboard/cases/${refs.care}`);
    const field = page.getByLabel('Antwoord aan de inwoner');
    expect(await field.getAttribute('maxlength')).toBe('4000');
    expect(await page.locator('#answer-hint').textContent()).toContain('Hoogstens 4000 tekens.');
    await field.fill('a'.repeat(3999));
    await field.press('End');
    await page.keyboard.type('bcd');
    expect(await field.inputValue()).toBe(`${'a'.repeat(3999)}b`);

    // A page from before the limit (or a browser without it): the server refuses, the text stays.
    const long = `${'Dit is een lang antwoord. '.repeat(160)}Einde.`;
    expect(long.length).toBeGreaterThan(4000);
    await page.evaluate("document.getElementById('answer-text').removeAttribute('maxlength')");
    await field.fill(long);
    await page.getByRole('button', { name: 'Antwoord versturen' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('main').textContent()).toContain('De tekst is te lang.');
    expect(await page.getByLabel('Antwoord aan de inwoner').inputValue()).toBe(long);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('an alderman sees their own cases to answer, and their district’s department cases to read', async () => {
    const page = await pageAs('fatma@rijswijk.nl');
    await page.goto(`${serve.url}/dashboard/cases?status=all`);
    expect((await rowsOf(page)).sort()).toEqual([refs.bin, refs.care, refs.own].sort());
    expect(await page.getByRole('status').textContent()).toBe('3 vragen gevonden.');
    await page.goto(`${serve.url}/dashboard/cases/${refs.own}`);
    expect(await page.getByLabel('Antwoord aan de inwoner').count()).toBe(1);
    await page.goto(`${serve.url}/dashboard/cases/${refs.care}`);
    expect(await page.getByLabel('Antwoord aan de inwoner').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain(
      'U kunt deze vraag lezen, maar niet behandelen',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();

    const other = await pageAs('anna@rijswijk.nl');
    await other.goto(`${serve.url}/dashboard/cases?status=all`);
    expect(await rowsOf(other)).toEqual([]);
    expect(await other.getByRole('status').textContent()).toBe('0 vragen gevonden.');
    expect((await other.goto(`${serve.url}/dashboard/cases/${refs.own}`))?.status()).toBe(404);
    await other.context().close();
  });

  it('a department that hands its case to another team lands on its inbox, told where it went (was a 404)', async () => {
    const ref = await ask('r4', 'Mag ik een container op straat zetten voor mijn verbouwing?', 'Afval');
    const page = await pageAs('ahmed@rijswijk.nl');
    await page.goto(`${serve.url}/dashboard/cases/${ref}`);
    await page.getByLabel('Aan', { exact: true }).selectOption('department:vergunningen');
    await page.getByRole('button', { name: 'Toewijzen' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/dashboard/cases');
    expect(await page.locator('h1').textContent()).toBe('Vragen van inwoners');
    expect(await page.locator('#result').textContent()).toBe(
      `Vraag ${ref} is nu bij Team Vergunningen. U ziet deze vraag niet meer in uw lijst.`,
    );
    expect(await rowsOf(page)).not.toContain(ref);
    expect(await axeViolations(page)).toEqual([]);
    // The notice says only what the query names and the account may know: an unknown team shows none.
    await page.goto(`${serve.url}/dashboard/cases?handed=${ref}&to=department:nergens`);
    expect(await page.locator('#result').count()).toBe(0);
    await page.context().close();

    // Handed to a person who still sees it (themselves), the department stays on the case page.
    const own = await ask('r5', 'De afvalbak bij de bushalte is vol.', 'Afval');
    const again = await pageAs('ahmed@rijswijk.nl');
    await again.goto(`${serve.url}/dashboard/cases/${own}`);
    await again.getByLabel('Aan', { exact: true }).selectOption({ label: 'Ahmed Afval' });
    await again.getByRole('button', { name: 'Toewijzen' }).click();
    await again.waitForLoadState('load');
    expect(new URL(again.url()).pathname).toBe(`/dashboard/cases/${own}`);
    expect(await again.locator('#result').textContent()).toBe('De vraag is toegewezen.');
    await again.context().close();
  });

  // Regression: the audit log names a case by its reference (`case:RSW-…`), but nothing led an admin
  // from a case to its lines, and the audit page showed that raw subject with no way to the case.
  it('an admin goes from a case to its audit lines, each naming the case as a link to its page; an operator sees no link', async () => {
    const link = { name: 'Auditregels van deze vraag' };
    const olga = await pageAs('olga@rijswijk.nl');
    await olga.goto(`${serve.url}/dashboard/cases/${refs.own}`);
    expect(await olga.locator('h1').textContent()).toBe(`Vraag ${refs.own}`);
    expect(await olga.getByRole('link', link).count()).toBe(0);
    await olga.context().close();

    const page = await pageAs('ada@rijswijk.nl');
    const only = `/dashboard/audit?subject=${encodeURIComponent(`case:${refs.own}`)}`;
    const casePage = `/dashboard/cases/${refs.own}`;
    await page.goto(`${serve.url}${casePage}`);
    expect(await page.getByRole('link', link).getAttribute('href')).toBe(only);

    // The whole log: Ada's view of the case names it by its reference, a link to the case and to its lines.
    await page.goto(`${serve.url}/dashboard/audit`);
    const rows = page.locator('tbody tr');
    const view = rows
      .filter({ hasText: 'Ada Admin' })
      .filter({ has: page.getByRole('link', { name: refs.own, exact: true }) })
      .first();
    expect(await view.locator('td:nth-child(4)').textContent()).toBe('case.view');
    expect(await view.getByRole('link', { name: refs.own, exact: true }).getAttribute('href')).toBe(casePage);
    expect(await view.locator('td:nth-child(5)').textContent()).not.toContain('case:');
    expect(await axeViolations(page), 'the whole log').toEqual([]);
    await view.getByRole('link', { name: `alleen deze regels over ${refs.own}` }).click();
    await page.waitForLoadState('load');

    expect(new URL(page.url()).search).toBe(only.slice('/dashboard/audit'.length));
    const subjects = await rows.locator('td:nth-child(5)').allTextContents();
    expect(subjects.length).toBeGreaterThanOrEqual(2);
    expect(new Set(subjects)).toEqual(new Set([refs.own]));
    const viewers = await rows.filter({ hasText: 'case.view' }).locator('td:nth-child(3)').allTextContents();
    expect(viewers.slice(0, 2)).toEqual(['Ada Admin (ada@rijswijk.nl)', 'Olga Operator (olga@rijswijk.nl)']);
    // Filtered on the case already: no line links to the same page again.
    expect(await page.getByRole('link', { name: 'alleen deze regels' }).count()).toBe(0);
    const status = page.getByRole('status');
    expect(await status.textContent()).toBe(
      `U ziet alleen de regels hierover: ${refs.own}. Alle regels tonen`,
    );
    expect(await status.getByRole('link', { name: refs.own }).getAttribute('href')).toBe(casePage);
    expect(await axeViolations(page), 'the lines of one case').toEqual([]);
    await page.context().close();
  });

  it('the assign form chooses nobody until staff do; an empty choice is refused with one clear message', async () => {
    // Regression: the list started on the first person, so "Toewijzen" without choosing handed the case to them.
    const page = await pageAs('olga@rijswijk.nl');
    await page.goto(`${serve.url}/dashboard/cases/${refs.own}`);
    const to = page.getByLabel('Aan', { exact: true });
    expect(await to.inputValue()).toBe('');
    expect(await to.locator('option:checked').textContent()).toBe('Kies een team of persoon');
    expect(await to.getAttribute('required')).not.toBeNull();
    expect(await page.evaluate<boolean>("document.getElementById('to').validity.valueMissing")).toBe(true);

    // A browser that sends anyway (or a page from before): the server refuses, nothing changes hands.
    await page.evaluate("document.getElementById('to').removeAttribute('required')");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/assign')),
      page.getByRole('button', { name: 'Toewijzen' }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(response.status()).toBe(400);
    expect(await page.locator('#result p').textContent()).toBe(
      'Kies aan wie u de vraag geeft: een team of een persoon.',
    );
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await page.getByLabel('Aan', { exact: true }).inputValue()).toBe('');
    expect(await page.locator('main').textContent()).not.toContain('De vraag is toegewezen.');
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the main navigation wraps into rows that sit close, each link a target of at least 24 px', async () => {
    // Regression: a second row of links sat 40 px below the first (24 px row gap + 2 x 8 px padding).
    const page = await pageAs('olga@rijswijk.nl');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${serve.url}/dashboard/cases`);
      const boxes = await page.evaluate<{ top: number; bottom: number; width: number; height: number }[]>(
        `[...document.querySelectorAll('.dash-nav__link')].map((a) => {
          const r = a.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, width: r.width, height: r.height };
        })`,
      );
      expect(boxes.length).toBeGreaterThan(3);
      for (const b of boxes) {
        expect(b.height).toBeGreaterThanOrEqual(24);
        expect(b.width).toBeGreaterThanOrEqual(24);
      }
      const tops = [...new Set(boxes.map((b) => Math.round(b.top)))].sort((a, b) => a - b);
      if (width === 390) expect(tops.length).toBeGreaterThan(1);
      for (let i = 1; i < tops.length; i++) {
        const above = Math.max(
          ...boxes.filter((b) => Math.round(b.top) === tops[i - 1]).map((b) => b.bottom),
        );
        expect(tops[i]! - above).toBeGreaterThanOrEqual(0);
        expect(tops[i]! - above).toBeLessThanOrEqual(8);
      }
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    }
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('a reference number stays on one line, in the inbox and as the heading on a 390 px phone; sections have room', async () => {
    const page = await pageAs('olga@rijswijk.nl');
    /** How many line boxes each element's text takes (2 when "RSW-2026-" and "000001" break apart). */
    const lines = (selector: string) =>
      page.evaluate<number[]>(
        `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.getClientRects().length)`,
      );
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${serve.url}/dashboard/cases?status=all`);
    const inbox = await lines('tbody tr td:nth-child(2) a');
    expect(inbox.length).toBeGreaterThan(2);
    expect(inbox.every((n) => n === 1)).toBe(true);

    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${serve.url}/dashboard/cases/${refs.own}`);
    expect(await page.locator('h1').textContent()).toBe(`Vraag ${refs.own}`);
    expect(await lines('h1 .dash-ref')).toEqual([1]);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    // Regression: "Andere acties" and "Geschiedenis" sat right against the button above them.
    const gapAbove = async (name: string) => {
      const heading = page.getByRole('heading', { level: 2, name });
      const [box, above] = await Promise.all([
        heading.boundingBox(),
        heading.locator('xpath=preceding-sibling::*[1]').boundingBox(),
      ]);
      return box && above ? box.y - (above.y + above.height) : Number.NaN;
    };
    expect(await gapAbove('Andere acties')).toBeGreaterThanOrEqual(16);
    expect(await gapAbove('Geschiedenis')).toBeGreaterThanOrEqual(16);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
