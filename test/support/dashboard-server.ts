import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { assetsRoute } from '../../src/http/assets-route.js';
import { buildHttpServer } from '../../src/http/server.js';
import { loadTheme } from '../../src/municipality/theme.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { startTestApp, type TestApp } from './app-driver.js';
import { freshTarget } from './services.js';

/** A password every test account gets unless told otherwise. */
export const TEST_PASSWORD = 'een lang wachtwoord voor tests';

/** The whole service with the dashboard over real HTTP on loopback. */
export interface DashboardServer {
  t: TestApp;
  server: FastifyInstance;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Adds an account (with TEST_PASSWORD unless `password: null`); returns its id and, without a password, its link. */
  addAccount(input: {
    email: string;
    name: string;
    role: string;
    password?: string | null;
  }): Promise<{ id: string; link?: string }>;
  close(): Promise<void>;
}

/** Starts the service (console channel, no web chat) and its HTTP server on a free loopback port. */
export async function startDashboardServer(options: {
  databaseUrl: string;
  clock?: ManualClock;
  env?: Record<string, string>;
  /** Passed to the app as they are (fault injection). */
  app?: Parameters<typeof startTestApp>[0]['app'];
}): Promise<DashboardServer> {
  const t = await startTestApp({
    databaseUrl: options.databaseUrl,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.app ? { app: options.app } : {}),
  });
  const theme = loadTheme(resolve(options.env?.DATA_DIR ?? 'data'));
  const server = buildHttpServer({
    // As behind a proxy on this machine (TRUST_PROXY=loopback): each test browser may give its address.
    trustProxy: 'loopback',
    health: () => t.app.health(),
    routes: [assetsRoute(theme), ...t.app.routes],
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    t,
    server,
    url,
    async addAccount(input) {
      const password = input.password === undefined ? TEST_PASSWORD : input.password;
      const { account, link } = await t.app.commands.accounts.add(
        {
          email: input.email,
          name: input.name,
          role: input.role,
          ...(password === null ? {} : { password }),
        },
        'test',
      );
      return { id: account.id, ...(link ? { link: link.url.replace(/^https?:\/\/[^/]+/, url) } : {}) };
    },
    close: async () => {
      const closing = server.close();
      // A live page's stream (a browser's, or one a failed test left open) would hold the close forever.
      server.server.closeAllConnections();
      await closing;
      await t.driver.close();
    },
  };
}

/**
 * For suites that start the dashboard on a fresh database of its own in each test: returns
 * `start(kind, env?)`; the server is closed and its database dropped after each test.
 */
export function freshDashboardServerPerTest(): (
  kind: 'sqlite' | 'postgres',
  env?: Record<string, string>,
) => Promise<DashboardServer> {
  const open: { server?: DashboardServer; cleanup?: () => Promise<void> } = {};
  afterEach(async () => {
    await open.server?.close();
    await open.cleanup?.();
    open.server = undefined;
    open.cleanup = undefined;
  });
  return async (kind, env) => {
    const fresh = await freshTarget(kind);
    open.cleanup = fresh.cleanup;
    open.server = await startDashboardServer({ databaseUrl: fresh.url, ...(env ? { env } : {}) });
    return open.server;
  };
}

/** Signs in through the sign-in form, as a person would. */
export async function signIn(
  page: Page,
  url: string,
  email: string,
  password = TEST_PASSWORD,
): Promise<void> {
  await page.goto(`${url}/dashboard/sign-in`);
  await page.getByLabel(/E-mailadres|E-mail address/).fill(email);
  await page.getByLabel(/^(Wachtwoord|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(Inloggen|Sign in)$/ }).click();
  await page.waitForLoadState('load');
}
