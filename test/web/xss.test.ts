import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchBrowser } from '../support/browser.js';
import { choose, say, serviceTexts, settled } from '../support/chat-page.js';
import { sqliteUrl } from '../support/services.js';
import { startWebChatServer, type WebChatServer } from '../support/web-chat-server.js';
import { XSS_MARKER_SCRIPT, XSS_PAYLOADS } from '../support/xss-payloads.js';

let browser: Browser;
beforeAll(async () => {
  if (browserAvailable) browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A page with the payloads' marker defined and every dialog recorded. */
async function guardedPage(web: WebChatServer): Promise<{ page: Page; fired: () => Promise<unknown[]> }> {
  const context = await browser.newContext({ locale: 'nl-NL' });
  await context.addInitScript(XSS_MARKER_SCRIPT);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${web.url}/chat`);
  const fired = async () => [...(await page.evaluate<number[]>('window.__xssFired')), ...dialogs];
  return { page, fired };
}

/** A copy of data/ whose municipality, district and alderman names are script-injection payloads. */
function hostileData(): { dir: string; names: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-xss-data-'));
  cpSync('data', dir, { recursive: true });
  const names = { municipality: XSS_PAYLOADS[1]!, district: XSS_PAYLOADS[3]!, alderman: XSS_PAYLOADS[20]! };
  const edit = (file: string, change: (json: Record<string, unknown>) => void) => {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    change(json);
    writeFileSync(join(dir, file), JSON.stringify(json));
  };
  edit('municipality.json', (m) => (m.name = names.municipality));
  edit('districts.json', (d) => {
    for (const district of d.districts as { id: string; name: string }[])
      if (district.id === 'rijswijk-buiten') district.name = names.district;
  });
  edit('aldermen.json', (a) => {
    for (const alderman of a.aldermen as { id: string; name: string }[])
      if (alderman.id === 'fatma-yilmaz') alderman.name = names.alderman;
  });
  return { dir, names };
}

describe.skipIf(!browserAvailable)('script injection in the chat page', () => {
  it(`never runs any of the ${XSS_PAYLOADS.length} payloads sent as resident text, live or after a reload`, async () => {
    const web = await startWebChatServer({
      databaseUrl: sqliteUrl(),
      limits: { perResidentPerMinute: 1000 },
      env: { RATE_LIMIT_PER_MINUTE: '1000' },
    });
    try {
      const { page, fired } = await guardedPage(web);
      const input = page.locator('#spreekuur-input');
      for (const payload of XSS_PAYLOADS) {
        await input.fill(payload);
        await input.press('Enter');
      }
      await settled(page, web);
      const shown = () =>
        page.locator('#spreekuur-log li.spreekuur-message--resident .spreekuur-bubble').allTextContents();
      expect(await shown()).toEqual([...XSS_PAYLOADS]);
      expect(await fired()).toEqual([]);
      await page.reload();
      await settled(page, web);
      expect(await shown()).toEqual([...XSS_PAYLOADS]);
      expect(await fired()).toEqual([]);
      await page.context().close();
    } finally {
      await web.close();
    }
  });

  it('never runs payloads in the municipality data (names) or in a booking topic, and shows them as text', async () => {
    const { dir, names } = hostileData();
    const topic = XSS_PAYLOADS[8]!;
    const web = await startWebChatServer({ databaseUrl: sqliteUrl(), env: { DATA_DIR: dir } });
    try {
      const { page, fired } = await guardedPage(web);
      expect(await page.title()).toBe(`Chat met de gemeente ${names.municipality}`);
      await say(page, web, 'hallo');
      await choose(page, web, 'Wie is mijn wijkwethouder?');
      await say(page, web, '2288 GD');
      await choose(page, web, 'Nee, liever niet');
      // Known for the rest of the visit: the booking goes straight to the alderman.
      await say(page, web, 'afspraak');
      await choose(page, web, `Ja, met ${names.alderman}`);
      await page.locator('#spreekuur-choice-list button').first().click();
      await settled(page, web);
      await say(page, web, topic);
      const texts = (await serviceTexts(page)).join('\n');
      expect(texts).toContain(`gemeente ${names.municipality}`);
      expect(texts).toContain(`U woont in de wijk ${names.district}. Uw wijkwethouder is ${names.alderman}.`);
      expect(texts).toContain(`Onderwerp: ${topic}`);
      expect(await fired()).toEqual([]);
      await page.reload();
      await settled(page, web);
      expect(await fired()).toEqual([]);
      await page.context().close();
    } finally {
      await web.close();
    }
  });
});
