import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, TEST_PASSWORD, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';
import { totpCode } from '../../src/features/accounts/totp.js';
import { SESSION_IDLE_MS } from '../../src/features/accounts/sign-in.js';
import { ManualClock } from '../../src/shared/clock.js';

const dash = useDashboardBrowser();
const start = (): Promise<DashboardServer> => dash.serve({ databaseUrl: sqliteUrl() });

async function auditActions(server: DashboardServer): Promise<string[]> {
  const lines = await server.t.app.commands.audit.page({ limit: 100 });
  return lines.map((l) => l.action).reverse();
}

describe.skipIf(!browserAvailable)('the dashboard in Chromium', { timeout: 180_000 }, () => {
  it('signs in, shows the account and role, signs out; the session is over afterwards', async () => {
    const server = await start();
    await server.addAccount({ email: 'anna@rijswijk.nl', name: 'Anna Admin', role: 'admin' });
    const { page, errors } = await dash.page();
    await page.goto(`${server.url}/dashboard/audit`);
    // Not signed in: to the sign-in page, and back to where it started afterwards.
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await page.getByLabel('E-mailadres').fill('Anna@Rijswijk.nl');
    await page.getByLabel('Wachtwoord').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${server.url}/dashboard/audit`);
    expect(await page.locator('h1').textContent()).toBe('Auditlog');
    expect(await page.locator('header').textContent()).toContain('Ingelogd als Anna Admin');
    expect(await page.locator('header').textContent()).toContain('Beheerder');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'spreekuur_staff');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/dashboard' });
    const stolen = cookie!.value;

    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(/\/dashboard\/sign-in\?done=signed-out/);
    expect(await page.getByRole('status').textContent()).toContain('U bent uitgelogd');
    await page.goto(`${server.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    // The old cookie no longer opens anything: the session ended on the server, not only in the browser.
    const replay = await fetch(`${server.url}/dashboard`, {
      headers: { cookie: `spreekuur_staff=${stolen}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
    expect(await auditActions(server)).toEqual(['account.add', 'auth.sign-in', 'auth.sign-out']);
    expect(errors).toEqual([]);
  });

  it('regression: a form sent after the session went idle said nothing and, after signing in, showed "page not found"', async () => {
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const server = await dash.serve({ databaseUrl: sqliteUrl(), clock });
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    const { page, errors } = await dash.page();
    await signIn(page, server.url, 'otto@rijswijk.nl');
    await page.goto(`${server.url}/dashboard/hours`);
    const form = page.locator('form', {
      has: page.getByRole('button', { name: 'Spreekuur laten vervallen' }),
    });
    await form.getByLabel('Datum').fill('2026-12-08');
    // Lunch, a meeting, the night: the server ends the session after 8 idle hours.
    clock.advance(SESSION_IDLE_MS + 60_000);
    await form.getByRole('button', { name: 'Spreekuur laten vervallen' }).click();
    await page.waitForURL(/\/dashboard\/sign-in\?/);
    expect(await page.getByRole('status').textContent()).toContain(
      'U bent uitgelogd, bijvoorbeeld omdat u te lang niet actief was. Wat u net verstuurde, is niet opgeslagen.',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('E-mailadres').fill('otto@rijswijk.nl');
    await page.getByLabel('Wachtwoord').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    // Back on the page of the form, not on the form's address (which is no page).
    await page.waitForURL(`${server.url}/dashboard/hours`);
    expect(await page.locator('h1').textContent()).toBe('Spreekuren beheren');
    const actions = await auditActions(server);
    expect(actions).not.toContain('hours.add');
    // A page opened after the session ended says why, and leads back to it.
    clock.advance(SESSION_IDLE_MS + 60_000);
    await page.goto(`${server.url}/dashboard/agenda`);
    expect(await page.getByRole('status').textContent()).toContain(
      'U bent uitgelogd, bijvoorbeeld omdat u te lang niet actief was. Log opnieuw in.',
    );
    expect(new URL(page.url()).searchParams.get('next')).toBe('/dashboard/agenda');
    // Signed out on purpose: no such notice.
    await signIn(page, server.url, 'otto@rijswijk.nl');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.goto(`${server.url}/dashboard/agenda`);
    expect(await page.getByRole('status').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('gives the same answer for a wrong password and an unknown e-mail address, and logs both tries', async () => {
    const server = await start();
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    const { page } = await dash.page();
    await signIn(page, server.url, 'otto@rijswijk.nl', 'niet het goede wachtwoord');
    const wrongPassword = await page.getByRole('alert').textContent();
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await signIn(page, server.url, 'niemand@rijswijk.nl', 'niet het goede wachtwoord');
    const unknownEmail = await page.getByRole('alert').textContent();
    expect(wrongPassword).toBe('Het e-mailadres of het wachtwoord klopt niet.');
    expect(unknownEmail).toBe(wrongPassword);
    expect(await page.locator('header').textContent()).not.toContain('Ingelogd');
    expect(await auditActions(server)).toEqual(['account.add', 'auth.sign-in-failed', 'auth.sign-in-failed']);
  });

  it('refuses every form posted without its CSRF token, signed in or not', async () => {
    const server = await start();
    await server.addAccount({ email: 'anna@rijswijk.nl', name: 'Anna', role: 'admin' });
    const { page } = await dash.page();
    await signIn(page, server.url, 'anna@rijswijk.nl');
    const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const post = (path: string, body: string, cookie = cookies) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body,
        redirect: 'manual',
      });
    const form = `email=anna%40rijswijk.nl&password=${encodeURIComponent(TEST_PASSWORD)}`;
    for (const [path, body] of [
      ['/dashboard/sign-in', form],
      ['/dashboard/sign-out', ''],
      ['/dashboard/set-password', 'token=x&password=abcdefghijklmn&repeat=abcdefghijklmn'],
      ['/dashboard/sign-in', `${form}&_csrf=forged-token`],
    ] as const) {
      const response = await post(path, body);
      expect(response.status, path).toBe(403);
      expect(await response.text()).toContain('Formulier verlopen');
    }
    // Without cookies (another site's form) as well.
    expect((await post('/dashboard/sign-in', form, '')).status).toBe(403);
    // The session still works: the refused sign-out did nothing.
    await page.goto(`${server.url}/dashboard`);
    expect(await page.locator('h1').textContent()).toBe('Overzicht');
    expect(await auditActions(server)).toEqual(['account.add', 'auth.sign-in']);
  });

  it('sends the security headers and a CSP without inline script on every page', async () => {
    const server = await start();
    for (const path of [
      '/dashboard/sign-in',
      '/dashboard',
      '/dashboard/set-password?token=x',
      '/dashboard/nope',
    ]) {
      const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(response.headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
    // Behind an HTTPS proxy the cookies are Secure.
    const overHttps = await fetch(`${server.url}/dashboard/sign-in`, {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(overHttps.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('sets a password through the one-time link, which works only once', async () => {
    const server = await start();
    const { link } = await server.addAccount({
      email: 'dee@rijswijk.nl',
      name: 'Dee',
      role: 'department:afval',
      password: null,
    });
    const { page } = await dash.page();
    await page.goto(link!);
    expect(await page.locator('main p').first().textContent()).toContain('Dee (dee@rijswijk.nl)');
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('kort');
    await page.getByLabel('Nieuw wachtwoord nog een keer').fill('kort');
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('te kort');
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('fietsen langs de vliet');
    await page.getByLabel('Nieuw wachtwoord nog een keer').fill('fietsen langs de vliet');
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await page.waitForURL(/done=password/);
    await signIn(page, server.url, 'dee@rijswijk.nl', 'fietsen langs de vliet');
    expect(await page.locator('header').textContent()).toContain('Medewerker Team Afval en Reiniging');
    // A department member does not read the audit log.
    const audit = await page.goto(`${server.url}/dashboard/audit`);
    expect(audit?.status()).toBe(403);
    const again = await page.goto(link!);
    expect(again?.status()).toBe(410);
  });

  it('asks for the authenticator code after the password when the account has a second factor', async () => {
    const server = await start();
    await server.addAccount({ email: 'anna@rijswijk.nl', name: 'Anna', role: 'admin' });
    const { secret } = await server.t.app.commands.accounts.setSecondFactor('anna@rijswijk.nl', 'test');
    const { page } = await dash.page();
    await page.goto(`${server.url}/dashboard/audit`);
    await signIn(page, server.url, 'anna@rijswijk.nl');
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in/code');
    expect(await axeViolations(page), 'code page').toEqual([]);
    // The password alone opens nothing.
    const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect(
      (await fetch(`${server.url}/dashboard`, { headers: { cookie: cookies }, redirect: 'manual' })).status,
    ).toBe(303);
    await page.getByLabel('Code van 6 cijfers').fill('000000');
    await page.getByRole('button', { name: 'Verder' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Deze code klopt niet');
    expect(await axeViolations(page), 'code page with an error').toEqual([]);
    await page.getByLabel('Code van 6 cijfers').fill(totpCode(secret, server.t.clock.now()));
    await page.getByRole('button', { name: 'Verder' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    expect(await page.locator('header').textContent()).toContain('Ingelogd als Anna');
    const actions = await auditActions(server);
    expect(actions.slice(-3)).toEqual(['auth.password-ok', 'auth.second-factor-failed', 'auth.sign-in']);
  });

  it('has no axe violations at WCAG 2.1 AA on any page, in Dutch and English', async () => {
    const server = await start();
    await server.addAccount({ email: 'anna@rijswijk.nl', name: 'Anna', role: 'admin' });
    const { link } = await server.addAccount({
      email: 'b@rijswijk.nl',
      name: 'B',
      role: 'operator',
      password: null,
    });
    const { page } = await dash.page();
    const check = async (path: string) => {
      await page.goto(`${server.url}${path}`);
      expect(
        await axeViolations(page),
        `${path} (${await page.locator('html').getAttribute('lang')})`,
      ).toEqual([]);
    };
    await check('/dashboard/sign-in');
    await signIn(page, server.url, 'anna@rijswijk.nl', 'fout wachtwoord');
    expect(await axeViolations(page), 'sign-in with an error').toEqual([]);
    await check(link!.replace(server.url, ''));
    await check('/dashboard/set-password?token=used-or-unknown');
    await signIn(page, server.url, 'anna@rijswijk.nl');
    for (const lang of ['en', 'nl']) {
      await check('/dashboard');
      await check('/dashboard/audit');
      await check('/dashboard/does-not-exist');
      await page.goto(`${server.url}/dashboard/language/${lang}?next=/dashboard`);
    }
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
  });

  it(`never runs any of the ${XSS_PAYLOADS.length} payloads used as account names, on the pages that show them`, async () => {
    const server = await start();
    await server.addAccount({ email: 'anna@rijswijk.nl', name: 'Anna', role: 'admin' });
    const emails = XSS_PAYLOADS.map((_, i) => `x${i}@rijswijk.nl`);
    for (const [i, name] of XSS_PAYLOADS.entries())
      await server.addAccount({ email: emails[i]!, name, role: 'operator' });
    // Each of them signs in once (their names in the header), the admin reads the log (every name).
    const { page, fired } = await dash.page();
    for (const [i, name] of XSS_PAYLOADS.entries()) {
      await page.context().clearCookies();
      // Many sign-ins from one address would be cut off (as they should): each comes from its own.
      await page.setExtraHTTPHeaders({ 'x-forwarded-for': `10.0.0.${i + 1}` });
      await signIn(page, server.url, emails[i]!);
      expect(await page.locator('.dash-who').textContent()).toContain(name);
      expect(await fired(), `payload ${i + 1}`).toEqual([]);
    }
    await page.context().clearCookies();
    await signIn(page, server.url, 'anna@rijswijk.nl');
    // Every page of the log, through its "older lines" links.
    await page.goto(`${server.url}/dashboard/audit`);
    let cells = '';
    for (;;) {
      cells += (await page.locator('tbody td:nth-child(3), tbody td:nth-child(5)').allTextContents()).join(
        '\n',
      );
      const older = page.getByRole('link', { name: 'Oudere regels' });
      if ((await older.count()) === 0) break;
      await older.click();
      await page.waitForLoadState('load');
    }
    for (const name of XSS_PAYLOADS) expect(cells).toContain(name);
    expect(await fired()).toEqual([]);
  }, 300_000);
});
