import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BOOK_FIRST_SLOT } from '../support/app-driver.js';
import { axeViolations, browserAvailable, launchBrowser } from '../support/browser.js';
import { choose, say, serviceTexts, settled } from '../support/chat-page.js';
import { sqliteUrl } from '../support/services.js';
import { startWebChatServer, type WebChatServer } from '../support/web-chat-server.js';

let browser: Browser;
const open: { web?: WebChatServer; context?: BrowserContext } = {};

beforeAll(async () => {
  if (browserAvailable) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await open.context?.close();
  await open.web?.close();
  open.context = undefined;
  open.web = undefined;
});

async function chatPage(
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ page: Page; web: WebChatServer }> {
  const web = await startWebChatServer({ databaseUrl: sqliteUrl() });
  const context = await browser.newContext({ locale: 'nl-NL', ...options });
  Object.assign(open, { web, context });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('favicon')) errors.push(m.text());
  });
  await page.goto(`${web.url}/chat`);
  Object.assign(page, { errors });
  return { page, web };
}

describe.skipIf(!browserAvailable)('the /chat page in Chromium', () => {
  it('greets, finds the district from a postcode, books a slot, and after a reload the conversation continues', async () => {
    const { page, web } = await chatPage();
    await say(page, web, 'hallo');
    expect((await serviceTexts(page))[0]).toMatch(/^Welkom bij het chatspreekuur/);
    await choose(page, web, 'Wie is mijn wijkwethouder?');
    await say(page, web, '2288 GD');
    expect((await serviceTexts(page)).join('\n')).toMatch(/Uw wijkwethouder is Fatma Yilmaz/);
    await choose(page, web, 'Nee, liever niet');
    // Not remembered, but known for the rest of the visit: the booking does not ask the postcode again.
    await say(page, web, 'afspraak');
    expect((await serviceTexts(page)).at(-1)).toMatch(/Wilt u een afspraak met Fatma Yilmaz\?/);
    const [, , , , ...rest] = BOOK_FIRST_SLOT;
    for (const text of rest) await say(page, web, text);
    expect((await serviceTexts(page)).join('\n')).toMatch(/Uw afspraak staat\. Uw afspraaknummer is/);
    const before = await page.locator('#spreekuur-log li').count();
    await page.reload();
    // The server renders the conversation, and the live page adds nothing twice.
    await settled(page, web);
    expect(await page.locator('#spreekuur-log li').count()).toBe(before);
    await say(page, web, 'mijn afspraken');
    expect((await serviceTexts(page)).join('\n')).toMatch(/Fatma Yilmaz/);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
  });

  it('keeps a conversation in a new tab, and "clear this chat" forgets it on this device', async () => {
    const { page, web } = await chatPage();
    await say(page, web, 'hallo');
    const second = await page.context().newPage();
    await second.goto(`${web.url}/chat`);
    await settled(second, web);
    expect(await second.locator('#spreekuur-log li').count()).toBe(
      await page.locator('#spreekuur-log li').count(),
    );
    await page.getByRole('button', { name: 'Wis dit gesprek op dit apparaat' }).click();
    await page.getByRole('button', { name: 'Ja, wissen' }).click();
    await page.locator('.utrecht-alert--ok').waitFor();
    // The page empties its log as the server confirms; a reply still on its way is dropped too.
    await expect.poll(() => page.locator('#spreekuur-log li').count(), { timeout: 30_000 }).toBe(0);
    await second.locator('#spreekuur-log li').first().waitFor({ state: 'detached' });
    await second.reload();
    await expect.poll(() => second.locator('#spreekuur-log li').count(), { timeout: 30_000 }).toBe(0);
  });

  it('works over Server-Sent Events when WebSockets are not available', async () => {
    const { page, web } = await chatPage();
    await page.goto(`${web.url}/chat?transport=sse`);
    await say(page, web, 'hallo');
    await choose(page, web, /wijkwethouder/);
    expect((await serviceTexts(page)).at(-1)).toMatch(/postcode/i);
  });

  it('without JavaScript, the plain form completes the district flow', async () => {
    const { web } = await chatPage();
    const context = await browser.newContext({ locale: 'nl-NL', javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${web.url}/chat`);
      await page.locator('#spreekuur-input').fill('hallo');
      await page.getByRole('button', { name: 'Versturen' }).click();
      await page.getByRole('button', { name: 'Wie is mijn wijkwethouder?' }).click();
      expect((await serviceTexts(page)).at(-1)).toMatch(/Wat is uw postcode/);
      await page.locator('#spreekuur-input').fill('2288 GD');
      await page.getByRole('button', { name: 'Versturen' }).click();
      expect((await serviceTexts(page)).join('\n')).toMatch(/Fatma Yilmaz/);
      expect(await page.locator('#spreekuur-refresh a').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('has no WCAG 2.1 AA violations (axe), with choices, links and a notice on the page', async () => {
    const { page, web } = await chatPage();
    await say(page, web, 'hallo');
    await page.getByRole('button', { name: 'Wis dit gesprek op dit apparaat' }).click();
    await page.getByRole('button', { name: 'Ja, wissen' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('can be used by keyboard alone (Tab, Shift+Tab and Enter) to book a slot', async () => {
    const { page, web } = await chatPage();
    const focused = () =>
      page.evaluate<string>(
        `(() => { const el = document.activeElement; return el && el.id === 'spreekuur-input' ? '#input' : ((el && el.textContent) || '').trim(); })()`,
      );
    const tabTo = async (target: string | RegExp, key: 'Tab' | 'Shift+Tab') => {
      for (let i = 0; i < 40; i++) {
        const now = await focused();
        if (typeof target === 'string' ? now === target : target.test(now)) return;
        await page.keyboard.press(key);
      }
      throw new Error(`could not reach ${String(target)} with ${key}; at ${await focused()}`);
    };
    const type = async (text: string) => {
      await tabTo('#input', 'Tab');
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      await settled(page, web);
    };
    const pick = async (label: string | RegExp) => {
      await tabTo(label, 'Shift+Tab');
      await page.keyboard.press('Enter');
      await settled(page, web);
    };
    await type('hallo');
    await pick('Afspraak maken met de wethouder');
    await type('2288 GD');
    await pick('Nee, liever niet');
    await pick('Ja, met Fatma Yilmaz');
    await pick(/^vr 4 dec, 09:00/);
    await type('De speeltuin');
    await pick('Ja, afspraak maken');
    expect((await serviceTexts(page)).join('\n')).toMatch(/Uw afspraak staat/);
  });

  it('reflows at 400% zoom and on a small phone without sideways scrolling, and respects reduced motion', async () => {
    for (const viewport of [
      { width: 320, height: 256 },
      { width: 360, height: 640 },
    ]) {
      const { page, web } = await chatPage({
        viewport,
        reducedMotion: 'reduce',
        isMobile: viewport.width === 360,
      });
      await say(page, web, 'hallo');
      await say(
        page,
        web,
        'https://www.rijswijk.nl/een-heel-lang-adres-zonder-spaties-dat-niet-mag-uitsteken/'.repeat(2),
      );
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      for (const selector of ['#spreekuur-input', '#spreekuur-send', '#spreekuur-choice-list button'])
        expect(
          await page
            .locator(selector)
            .first()
            .boundingBox()
            .then((b) => (b?.x ?? -1) >= 0 && (b?.x ?? 0) + (b?.width ?? 0) <= viewport.width),
        ).toBe(true);
      const animation = await page.evaluate<string>(
        `getComputedStyle([...document.querySelectorAll('.spreekuur-message--new')].pop()).animationName`,
      );
      expect(animation).toBe('none');
      await open.context?.close();
      await open.web?.close();
      open.context = undefined;
      open.web = undefined;
    }
  });
});
