import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, browserAvailable, launchBrowser } from '../support/browser.js';
import { signIn, TEST_PASSWORD } from '../support/dashboard-server.js';
import { spreekuur, startJsonlChat, startServe, type JsonlChat } from '../support/processes.js';

/**
 * Must-show 4 of issue 17: a resident's proposal goes from `spreekuur chat --jsonl` through the
 * dashboard's case inbox (`spreekuur serve`, staff in Chromium) to a status the resident receives,
 * on one SQLite database, as the service runs.
 */
let browser: Browser;
let chat: JsonlChat;
let serve: { url: string; stop(): Promise<unknown> };
let reference = '';

const dir = mkdtempSync(join(tmpdir(), 'spreekuur-dash-proposals-'));
const env = {
  DATABASE_URL: `sqlite:${join(dir, 'spreekuur.db')}`,
  DASHBOARD_COOKIE_SECRET: 'a dashboard cookie secret for the browser tests only',
  AUDIT_SECRET: 'an audit secret for the browser tests only, 32+ chars',
  WEBCHAT_ENABLED: 'false',
};

const PLAN = {
  what: 'Een moestuin voor de buurt op het grasveld achter de school.',
  where: 'Het grasveld aan de Laan van Hoornwijck',
  who: 'Ik, zes buren en de school',
  help: 'Een vergunning en geld voor aarde en schuttingen',
};
const REASON = 'Op het grasveld komt volgend jaar een nieuwe speeltuin.';

async function pageAs(email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'nl-NL' });
  const page = await context.newPage();
  await signIn(page, serve.url, email);
  return page;
}

describe.skipIf(!browserAvailable)('a proposal from the chat through the case inbox to the resident', () => {
  beforeAll(async () => {
    expect(spreekuur(['migrate'], env).status).toBe(0);
    const made = spreekuur(
      [
        'users',
        'add',
        '--email',
        'fatma@rijswijk.nl',
        '--name',
        'Fatma Yilmaz',
        '--role',
        'alderman:fatma-yilmaz',
        '--password-stdin',
      ],
      env,
      `${TEST_PASSWORD}\n`,
    );
    expect(made.status, made.stderr).toBe(0);
    chat = startJsonlChat(env);
    // A resident of Rijswijk-Buiten (Fatma Yilmaz's district) has an idea.
    const said: Record<string, unknown>[] = [];
    for (const line of [
      'hallo',
      'Ik heb een idee',
      PLAN.what,
      PLAN.where,
      PLAN.who,
      PLAN.help,
      '2288 GD',
      'Ja',
    ])
      said.push(...(await chat.send('p1', line)));
    const summary = said.map((l) => String(l.text)).join('\n');
    expect(summary).toContain(`Waar: ${PLAN.where}`);
    expect(summary).toContain('Zal ik uw voorstel versturen?');
    const sent = await chat.send('p1', 'Ja, versturen');
    reference = sent.map((l) => /RSW-\d{4}-\d{6}/.exec(String(l.text))?.[0]).find(Boolean) ?? '';
    expect(reference, JSON.stringify(sent)).not.toBe('');
    expect(String(sent[0]?.text)).toContain('U krijgt uiterlijk');
    serve = await startServe(env);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await chat?.close();
  });

  it('the alderman finds it by kind, reads what, where, who and help, and sets "not possible" with a reason the resident receives', async () => {
    const page = await pageAs('fatma@rijswijk.nl');
    await page.goto(`${serve.url}/dashboard/cases`);
    await page.getByLabel('Soort').selectOption('proposal');
    await page.getByRole('button', { name: 'Filteren' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual([reference]);
    expect(await page.locator('tbody tr td:nth-child(3)').textContent()).toContain('Voorstel');
    expect(await page.locator('tbody tr td:nth-child(3)').textContent()).toContain('Ontvangen');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: reference }).click();
    await page.waitForLoadState('load');
    const main = (await page.locator('main').textContent()) ?? '';
    for (const field of Object.values(PLAN)) expect(main).toContain(field);
    expect(main).toContain('Stand van het voorstel');
    // A proposal is answered through its stages: no free answer form.
    expect(await page.getByLabel('Antwoord aan de inwoner').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // "Not possible" without a reason is refused, kindly, and nothing reaches the resident.
    await page.getByLabel('Nieuwe stand').selectOption('not_possible');
    await page.getByRole('button', { name: 'Stand opslaan en inwoner laten weten' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('alert').textContent()).toContain('Schrijf de reden');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Nieuwe stand').selectOption('not_possible');
    await page.getByLabel('Toelichting voor de inwoner').fill(REASON);
    await page.getByRole('button', { name: 'Stand opslaan en inwoner laten weten' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).toContain('De stand is opgeslagen');
    const history = (await page.locator('.dash-history').textContent()) ?? '';
    expect(history).toContain('Stand van het voorstel: Kan niet');
    expect(history).toContain(REASON);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();

    // The chat process prints what reaches the resident on their channel (console).
    const told = await chat.waitFor((l) => l.to === 'p1' && String(l.text).includes(REASON));
    expect(told.text).toBe(
      `Over uw voorstel ${reference}: het spijt ons, uw voorstel kan niet. De reden: ${REASON}`,
    );
    const status = await chat.send('p1', `status ${reference}`);
    const shown = status.map((l) => String(l.text)).join('\n');
    expect(shown).toContain('Status: Uw voorstel kan helaas niet.');
    expect(shown).toContain(`Reactie: ${REASON}`);
  });
});
