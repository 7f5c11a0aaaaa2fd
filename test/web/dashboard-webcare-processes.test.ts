import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, TEST_PASSWORD } from '../support/dashboard-server.js';
import { spreekuur, startJsonlChat, startServe } from '../support/processes.js';
import { shippedTexts } from '../support/texts.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';
import { translator } from '../../src/i18n/translator.js';

const dash = useDashboardBrowser();
const t = translator(shippedTexts, 'nl');

/**
 * Webcare as it runs: the resident is `spreekuur chat --jsonl` (a process of its own), the operators
 * use `spreekuur serve` in Chromium; both processes share one SQLite database. What reaches the
 * resident is what the chat process prints; what the operator sees comes in live (server-sent events).
 */
describe.skipIf(!browserAvailable)('webcare with the real processes (Chromium)', { timeout: 300_000 }, () => {
  it('a resident types medewerker, an operator takes over, replies and hands back; a second operator cannot take them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spreekuur-webcare-'));
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'spreekuur.db')}`,
      DASHBOARD_COOKIE_SECRET: 'a dashboard cookie secret for the browser tests only',
      AUDIT_SECRET: 'an audit secret for the browser tests only, 32+ chars',
      WEBCHAT_ENABLED: 'false',
      // Each process hands the other's messages on within a second.
      SWEEP_SECONDS: '1',
    };
    expect(spreekuur(['migrate'], env).status).toBe(0);
    for (const [email, name] of [
      ['olga@rijswijk.nl', 'Olga Operator'],
      ['omar@rijswijk.nl', 'Omar Operator'],
    ]) {
      const made = spreekuur(
        ['users', 'add', '--email', email!, '--name', name!, '--role', 'operator', '--password-stdin'],
        env,
        `${TEST_PASSWORD}\n`,
      );
      expect(made.status, made.stderr).toBe(0);
    }
    const chat = startJsonlChat(env);
    dash.closeAfter(() => chat.close());
    const serve = await startServe(env);
    dash.closeAfter(() => serve.stop());
    const to = (text: string) => (l: Record<string, unknown>) => l.to === 'anna' && l.text === text;

    // The resident asks for a person; what they are promised depends on the office hours right now.
    await chat.send('anna', 'hoi');
    const asked = await chat.send('anna', 'medewerker');
    const promise = String(asked.at(-1)?.text);
    expect(promise).toMatch(/^Ik vraag een medewerker om u te helpen\./);

    const olga = await dash.page('10.0.1.1');
    await signIn(olga.page, serve.url, 'olga@rijswijk.nl');
    await olga.page.goto(`${serve.url}/dashboard/webcare`);
    const nav = olga.page.locator('nav');
    expect(await nav.textContent()).toContain('Webcare (1 wachtend)');
    const row = olga.page.locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('console anna');
    expect(await row.textContent()).toContain(promise);
    expect(await axeViolations(olga.page)).toEqual([]);

    // A second operator opens the same resident at the same moment.
    const omar = await dash.page('10.0.1.2');
    await signIn(omar.page, serve.url, 'omar@rijswijk.nl');
    await omar.page.goto(`${serve.url}/dashboard/webcare/${encodeURIComponent('console:anna')}`);

    await olga.page.getByRole('link', { name: /console anna/ }).click();
    await olga.page.getByRole('button', { name: 'Gesprek overnemen' }).click();
    await olga.page.waitForLoadState('load');
    expect(await olga.page.getByRole('status').first().textContent()).toContain(
      'U heeft dit gesprek overgenomen',
    );
    // The chat process prints what the resident gets on their channel.
    await chat.waitFor(to(t('webcare.taken')));
    expect(await axeViolations(olga.page)).toEqual([]);

    // Omar was too late.
    await omar.page.getByRole('button', { name: 'Gesprek overnemen' }).click();
    expect(await omar.page.locator('main').textContent()).toContain(
      t('dashboard.webcare.error.webcare.already_taken'),
    );
    await omar.page.goto(`${serve.url}/dashboard/webcare/${encodeURIComponent('console:anna')}`);
    expect(await omar.page.locator('main').textContent()).toContain(
      'Olga Operator heeft dit gesprek overgenomen',
    );
    expect(await omar.page.getByRole('button', { name: 'Versturen' }).count()).toBe(0);

    // While Olga has the conversation the bot is silent, and what the resident writes appears on her
    // page without a reload; the payloads among it show as text and never run.
    expect(await chat.send('anna', 'Mijn container is niet geleegd')).toEqual([]);
    // (A dozen: more at once on the real clock would trip the flood guard; the full set runs on a
    // moved clock in dashboard-webcare.test.ts.)
    const sample = XSS_PAYLOADS.slice(0, 12);
    for (const payload of sample) expect(await chat.send('anna', payload)).toEqual([]);
    const transcript = olga.page.locator('.dash-transcript');
    await transcript.getByText('Mijn container is niet geleegd').waitFor({ timeout: 15_000 });
    await transcript.getByText(sample.at(-1)!.trim(), { exact: true }).waitFor({ timeout: 15_000 });
    expect(await transcript.locator('li').count()).toBeGreaterThan(sample.length);
    expect(await axeViolations(olga.page)).toEqual([]);

    // Another resident asks for a person: the count in Olga's header goes up without a reload.
    await chat.send('bob', 'medewerker');
    await nav.getByText('Webcare (1 wachtend)').waitFor({ timeout: 15_000 });

    await olga.page.getByLabel('Uw antwoord').fill('Goedemorgen Anna, ik kijk het voor u na.');
    await olga.page.getByRole('button', { name: 'Versturen' }).click();
    await chat.waitFor(to('Goedemorgen Anna, ik kijk het voor u na.'));

    // Hand back: the resident is told and offered the menu; the bot answers again.
    await olga.page.getByRole('button', { name: 'Teruggeven aan de chatbot' }).click();
    await olga.page.waitForLoadState('load');
    expect(new URL(olga.page.url()).pathname).toBe('/dashboard/webcare');
    expect(await olga.page.locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('console bob'),
    ]);
    await chat.waitFor((l) => l.to === 'anna' && String(l.text).includes(t('webcare.handed_back')));
    // The menu follows, with its choices.
    await chat.waitFor((l) => l.to === 'anna' && Array.isArray(l.choices) && l.choices.length > 0);
    expect((await chat.send('anna', 'hulp')).map((l) => l.text).join('\n')).toContain(t('core.help'));

    // Omar's page, still open, is told live that the resident no longer waits.
    await omar.page
      .locator('[data-live-status]')
      .getByText(t('dashboard.webcare.live.gone'))
      .waitFor({ timeout: 15_000 });
    expect(await olga.fired()).toEqual([]);
    expect(await omar.fired()).toEqual([]);
    expect(olga.errors).toEqual([]);
  });
});
