import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserAvailable, launchBrowser } from '../support/browser.js';
import { startDashboardServer, type DashboardServer } from '../support/dashboard-server.js';
import { startFakeOidcProvider, type FakeOidcProvider } from '../support/fake-oidc-provider.js';
import { sqliteUrl } from '../support/services.js';
import { parseConfig } from '../../src/config/config.js';
import { oidcSettings } from '../../src/app/dashboard.js';

let browser: Browser;
const open: { server?: DashboardServer; provider?: FakeOidcProvider; contexts: BrowserContext[] } = {
  contexts: [],
};

beforeAll(async () => {
  if (browserAvailable) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const context of open.contexts) await context.close();
  await open.server?.close();
  await open.provider?.close();
  open.contexts = [];
  open.server = undefined;
  open.provider = undefined;
});

const ROLE_MAP = JSON.stringify({ kcc: 'operator', beheer: 'admin' });

async function start(withOidc = true): Promise<{ server: DashboardServer; provider: FakeOidcProvider }> {
  const provider = await startFakeOidcProvider();
  open.provider = provider;
  const env: Record<string, string> = withOidc
    ? {
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_ROLE_MAP: ROLE_MAP,
        OIDC_BUTTON_LABEL: 'Gemeente-account',
      }
    : {};
  open.server = await startDashboardServer({ databaseUrl: sqliteUrl(), env });
  return { server: open.server, provider };
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'nl-NL' });
  open.contexts.push(context);
  return context.newPage();
}

async function auditLines(server: DashboardServer) {
  return (await server.t.app.commands.audit.page({ limit: 100 })).reverse();
}

const button = /^Inloggen met Gemeente-account$/;

describe.skipIf(!browserAvailable)('sign-in through the municipality OpenID Connect provider', () => {
  it('signs a new colleague in with the role their claim maps to, in the same kind of session', async () => {
    const { server, provider } = await start();
    provider.user = {
      sub: 'kcc-0042',
      email: 'Sanne.deVries@gemeente.nl',
      email_verified: true,
      name: 'Sanne de Vries',
      claims: { spreekuur_role: ['medewerkers', 'kcc'] },
    };
    const page = await newPage();
    await page.goto(`${server.url}/dashboard/cases`);
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL(`${server.url}/dashboard/cases`);
    await expect(page.getByText('Sanne de Vries').first().isVisible()).resolves.toBe(true);

    const accounts = await server.t.app.commands.accounts.list();
    const sanne = accounts.find((a) => a.email === 'sanne.devries@gemeente.nl');
    expect(sanne?.role).toBe('operator');
    // PKCE and the client's secret reached the token endpoint.
    expect(provider.tokenRequests[0]?.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    const signIn = (await auditLines(server)).find((l) => l.action === 'auth.sign-in');
    expect(signIn?.actor).toBe(`staff:${sanne?.id}`);
    expect(signIn?.detail).toMatchObject({ method: 'oidc', subject: 'kcc-0042', created: true });

    // The session is the ordinary one: sign-out ends it.
    await page.getByRole('button', { name: /^(Uitloggen|Sign out)$/ }).click();
    await page.goto(`${server.url}/dashboard/cases`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
  });

  it('signs an existing account in with the role it has here', async () => {
    const { server, provider } = await start();
    const { id } = await server.addAccount({ email: 'wim@gemeente.nl', name: 'Wim', role: 'admin' });
    provider.user = { sub: 'w', email: 'wim@gemeente.nl', claims: { spreekuur_role: 'kcc' } };
    const page = await newPage();
    await page.goto(`${server.url}/dashboard/sign-in`);
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL(`${server.url}/dashboard`);
    // The audit log is for admins only: the account kept its own role.
    const response = await page.goto(`${server.url}/dashboard/audit`);
    expect(response?.status()).toBe(200);
    expect((await server.t.app.commands.accounts.list()).length).toBe(1);
    const signIn = (await auditLines(server)).find((l) => l.action === 'auth.sign-in');
    expect(signIn).toMatchObject({
      actor: `staff:${id}`,
      detail: { method: 'oidc', created: false, role: 'admin' },
    });
  });

  it('refuses a claim that maps to no role, kindly, and audits it', async () => {
    const { server, provider } = await start();
    provider.user = { sub: 'x', email: 'burger@example.nl', claims: { spreekuur_role: ['inwoner'] } };
    const page = await newPage();
    await page.goto(`${server.url}/dashboard/sign-in`);
    // The sign-in page with the provider's button meets WCAG 2.1 AA, as does the refusal.
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL(/\/dashboard\/oidc\/callback/);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('geen rol in Spreekuur');
    expect(await axeViolations(page)).toEqual([]);
    expect(await server.t.app.commands.accounts.list()).toEqual([]);
    const refusal = (await auditLines(server)).find((l) => l.action === 'auth.oidc-refused');
    expect(refusal?.detail).toMatchObject({ reason: 'no-role', claim: ['inwoner'] });
    await page.goto(`${server.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const { server, provider } = await start();
    provider.user = { sub: 'k', email: 'k@gemeente.nl', claims: { spreekuur_role: 'kcc' } };
    provider.tamperState = true;
    const page = await newPage();
    await page.goto(`${server.url}/dashboard/sign-in`);
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL(/\/dashboard\/oidc\/callback/);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('niet afgerond');
    expect(provider.tokenRequests).toEqual([]);
    expect(await server.t.app.commands.accounts.list()).toEqual([]);
    expect((await auditLines(server)).map((l) => l.action)).toContain('auth.oidc-failed');

    // A callback without the flow cookie at all (a link from elsewhere) is refused as well.
    provider.tamperState = false;
    const other = await newPage();
    const response = await other.goto(`${server.url}/dashboard/oidc/callback?code=abc&state=xyz`);
    expect(response?.status()).toBe(400);
    await other.goto(`${server.url}/dashboard`);
    expect(new URL(other.url()).pathname).toBe('/dashboard/sign-in');
  });

  it('shows no button when OpenID Connect is not configured', async () => {
    const { server } = await start(false);
    const page = await newPage();
    await page.goto(`${server.url}/dashboard/sign-in`);
    await expect(page.getByRole('button', { name: /Inloggen met/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Inloggen$/ }).count()).resolves.toBe(1);
    const response = await page.request.post(`${server.url}/dashboard/oidc/start`);
    expect(response.status()).not.toBe(303);
  });
});

describe('OpenID Connect configuration', () => {
  const base = {
    OIDC_ISSUER: 'https://login.gemeente.nl',
    OIDC_CLIENT_ID: 'spreekuur',
    OIDC_CLIENT_SECRET: 's',
  };
  it('needs issuer, client id and secret together, https, and a JSON role map', () => {
    expect(() => parseConfig({ OIDC_ISSUER: base.OIDC_ISSUER })).toThrow(/OIDC_CLIENT_ID: required/);
    expect(() => parseConfig({ ...base, OIDC_ISSUER: 'http://login.gemeente.nl' })).toThrow(
      /OIDC_ISSUER: expected an https/,
    );
    expect(() => parseConfig({ ...base, OIDC_ROLE_MAP: '["operator"]' })).toThrow(
      /OIDC_ROLE_MAP: expected a JSON object/,
    );
    expect(() => parseConfig({ OIDC_ROLE_MAP: '{}' })).toThrow(/OIDC_ROLE_MAP: set OIDC_ISSUER/);
    expect(parseConfig({ ...base, OIDC_ISSUER: 'http://127.0.0.1:9999' }).OIDC_ROLE_CLAIM).toBe(
      'spreekuur_role',
    );
  });

  it('checks the mapped roles at start-up and maps the first value that is a role', () => {
    const refs = { departmentIds: ['afval'], aldermanIds: [] };
    const bad = parseConfig({ ...base, OIDC_ROLE_MAP: '{"x":"department:bestaat-niet"}' });
    expect(() => oidcSettings(bad, refs)).toThrow(/"x" maps to "department:bestaat-niet"/);
    const mapped = oidcSettings(
      parseConfig({ ...base, OIDC_ROLE_MAP: '{"afval":"department:afval"}' }),
      refs,
    );
    expect(mapped.roleFor(['iedereen', 'afval'])).toBe('department:afval');
    expect(mapped.roleFor(['operator'])).toBeNull();
    const plain = oidcSettings(parseConfig(base), refs);
    expect(plain.roleFor(['groep', 'operator'])).toBe('operator');
    expect(plain.roleFor(['department:onbekend'])).toBeNull();
  });
});
