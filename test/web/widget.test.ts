import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, browserAvailable, launchBrowser } from '../support/browser.js';
import { say, serviceTexts } from '../support/chat-page.js';
import { sqliteUrl } from '../support/services.js';
import { startWebChatServer, type WebChatServer } from '../support/web-chat-server.js';

/** A page of the municipality's own site (another origin) with the widget's one script tag. */
function sitePage(chatUrl: string): string {
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Afval — Gemeente Rijswijk</title></head>
<body><main><h1>Afval</h1><p>Wanneer wordt mijn afval opgehaald?</p></main>
<script src="${chatUrl}/chat/widget.js" defer></script></body></html>`;
}

async function startSite(page: () => string, host: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `http://${host}:${typeof address === 'object' && address ? address.port : 0}` };
}

let browser: Browser;
let web: WebChatServer;
let allowed: { server: Server; url: string };
let foreign: { server: Server; url: string };

beforeAll(async () => {
  if (!browserAvailable) return;
  browser = await launchBrowser();
  // Same host, another port: another origin of the same site (as www.gemeente.nl and chat.gemeente.nl).
  allowed = await startSite(() => sitePage(web.url), '127.0.0.1');
  foreign = await startSite(() => sitePage(web.url), 'localhost');
  web = await startWebChatServer({ databaseUrl: sqliteUrl(), allowedOrigins: [allowed.url] });
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  allowed?.server.close();
  foreign?.server.close();
});

describe.skipIf(!browserAvailable)('the widget on the municipality site', () => {
  it('opens the chat in a panel on an allowed site: focus goes to the message box, axe finds nothing, Escape closes it', async () => {
    const context = await browser.newContext({ locale: 'nl-NL' });
    try {
      const page = await context.newPage();
      await page.goto(allowed.url);
      const launcher = page.getByRole('button', { name: 'Chat met de gemeente' });
      expect(await launcher.getAttribute('aria-expanded')).toBe('false');
      await launcher.click();
      const chat = page.frameLocator('iframe.spreekuur-widget__frame');
      await chat.locator('#spreekuur-input').waitFor();
      await say(chat, web, 'hallo');
      expect((await serviceTexts(chat))[0]).toMatch(/^Welkom bij het chatspreekuur/);
      const frame = page.frames().find((f) => f.url().includes('/chat?embed=1'));
      expect(await frame?.evaluate<boolean>(`document.activeElement.id === 'spreekuur-input'`)).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.locator('#spreekuur-widget-panel').waitFor({ state: 'hidden' });
      expect(
        await page.evaluate<boolean>(
          `document.activeElement.classList.contains('spreekuur-widget__launcher')`,
        ),
      ).toBe(true);
      // Opened again: the same conversation (the frame's cookie keeps it).
      await launcher.click();
      expect(await chat.locator('#spreekuur-log li').count()).toBeGreaterThan(1);
    } finally {
      await context.close();
    }
  });

  it('is refused on a site that is not in WEBCHAT_ALLOWED_ORIGINS: the browser does not show the chat in the frame', async () => {
    const context = await browser.newContext({ locale: 'nl-NL' });
    try {
      const page = await context.newPage();
      const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
      await page.goto(foreign.url);
      await page.getByRole('button', { name: 'Chat met de gemeente' }).click();
      await refused;
      const frame = await page
        .locator('iframe.spreekuur-widget__frame')
        .elementHandle()
        .then((h) => h?.contentFrame());
      expect(await frame?.locator('#spreekuur-input').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
