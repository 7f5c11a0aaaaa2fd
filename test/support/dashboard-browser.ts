/**
 * The browser side of the dashboard's browser tests, set up once per file: `useDashboardBrowser()`
 * launches Debian's Chromium before the file's tests and closes it after; each test's browser
 * contexts and dashboard servers are closed after that test.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchBrowser } from './browser.js';
import { startDashboardServer, type DashboardServer } from './dashboard-server.js';
import { XSS_MARKER_SCRIPT } from './xss-payloads.js';

/** A page in a fresh context: `fired()` lists XSS markers that ran and dialogs that opened. */
export interface GuardedPage {
  page: Page;
  fired(): Promise<unknown[]>;
  /** Uncaught script errors on the page. */
  errors: string[];
}

export interface DashboardBrowser {
  /**
   * A fresh browser (own cookies) with the XSS marker defined and every dialog and script error kept.
   * The service trusts its proxy's X-Forwarded-For: each browser may come from its own `address`, so
   * that one test's sign-ins do not count against another's per-address limit. `script: false`
   * browses without JavaScript, as the pages must still work.
   */
  page(address?: string, options?: { script?: boolean }): Promise<GuardedPage>;
  /** A dashboard server for this test, closed after it. */
  serve(options: Parameters<typeof startDashboardServer>[0]): Promise<DashboardServer>;
  /** Something else to close after this test (a fake provider, a process). */
  closeAfter(close: () => Promise<unknown>): void;
}

export function useDashboardBrowser(): DashboardBrowser {
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  let closers: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    if (browserAvailable) browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const context of contexts) await context.close();
    for (const close of closers.reverse()) await close();
    contexts = [];
    closers = [];
  });
  return {
    async page(address = '127.0.0.1', options = {}) {
      if (!browser) throw new Error('no browser: skip the suite when browserAvailable is false');
      const context = await browser.newContext({
        locale: 'nl-NL',
        extraHTTPHeaders: { 'x-forwarded-for': address },
        javaScriptEnabled: options.script !== false,
      });
      contexts.push(context);
      await context.addInitScript(XSS_MARKER_SCRIPT);
      const page = await context.newPage();
      const dialogs: string[] = [];
      const errors: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const fired = async () => [...(await page.evaluate<number[]>('window.__xssFired ?? []')), ...dialogs];
      return { page, fired, errors };
    },
    async serve(options) {
      const server = await startDashboardServer(options);
      closers.push(() => server.close());
      return server;
    },
    closeAfter(close) {
      closers.push(close);
    },
  };
}
