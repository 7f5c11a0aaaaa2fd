import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Address } from '../../src/shared/address.js';
import type { TestApp } from '../support/app-driver.js';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { dashboardHttp, lineOf, listen, type StreamedEvent } from '../support/dashboard-http.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { holdOutboxMessage, writeLateMessage } from '../support/late-outbox.js';
import { freshTarget, postgresAvailable, sqliteUrl } from '../support/services.js';
import { TAKEOVER_PAGE as PAGE } from '../support/webcare-takeover.js';

const dash = useDashboardBrowser();

/** One event framed as the stream sends it. */
const framed = (e: StreamedEvent) =>
  `${e.id === undefined ? '' : `id: ${e.id}\n`}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;

/** A stream that sends these events and then drops; the browser connects again 100 ms later. */
const dropsAfter = (events: readonly StreamedEvent[]) => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream; charset=utf-8' },
  body: `retry: 100\n\n${events.map(framed).join('')}`,
});

/** Anna asks for a person and Olga takes her over (over HTTP; her browser signs in apart). */
async function takenOver(server: DashboardServer) {
  await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
  const { driver, app } = server.t;
  await driver.send('anna', 'hoi');
  await driver.send('anna', 'medewerker');
  const http = dashboardHttp(server.url);
  await http.signIn('olga@rijswijk.nl');
  await http.get(PAGE);
  expect((await http.post(`${PAGE}/take`, {})).status).toBe(303);
  await app.settle();
  const olga = await dash.page('10.0.0.1');
  await signIn(olga.page, server.url, 'olga@rijswijk.nl');
  return { http, olga, driver, app };
}

/**
 * Holds the page's stream connections as they come (the route keeps each until the test lets it
 * go): `next()` gives the next one.
 */
async function holdConnections(page: Page) {
  const waiting: ((route: Route) => void)[] = [];
  const arrived: Route[] = [];
  let count = 0;
  await page.route(/\/events\?/, (route) => {
    count += 1;
    const take = waiting.shift();
    if (take) take(route);
    else arrived.push(route);
  });
  return {
    next: () =>
      new Promise<Route>((resolve) => {
        const route = arrived.shift();
        if (route) resolve(route);
        else waiting.push(resolve);
      }),
    count: () => count,
  };
}

/** The page's transcript lines (key and text) equal the transcript a reload shows, each once. */
async function expectAsReload(page: Page, t: TestApp, anna: Address) {
  const transcript = await t.app.uow.run((r) => r.conversations.transcript(anna, 200));
  const items = await page.locator('.dash-transcript > li').all();
  const shown = [];
  for (const item of items)
    shown.push([
      await item.getAttribute('data-key'),
      await item.locator('.dash-transcript__text').textContent(),
    ]);
  expect(shown).toEqual(transcript.map((e) => [`${e.side}${e.id}`, e.text]));
}

const anna = { channel: 'console', userId: 'anna' };

describe.skipIf(!browserAvailable)(
  'a takeover page whose stream drops (Chromium)',
  { timeout: 300_000 },
  () => {
    it('shows every line once and where a reload has it after the browser reconnects, also when outbox ids came out of order', async () => {
      // Each connection sends the whole transcript again, so the page gets lines it was built with
      // and lines it got before the drop a second and third time: its script must show a key once
      // (the built lines carry theirs in data-key), put a line it lacked in its place, and miss none.
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const { http, olga, driver, app } = await takenOver(server);

      // The page is built; its stream's first connection waits while the resident writes, the
      // operator answers and a message placed right after 'hoi' gets the newest id.
      const connections = await holdConnections(olga.page);
      await olga.page.goto(`${server.url}${PAGE}`, { waitUntil: 'domcontentloaded' });
      const first = await connections.next();
      await driver.send('anna', 'Mijn container is niet geleegd.');
      await http.get(PAGE);
      expect((await http.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
      await app.settle();
      await writeLateMessage(server.t, anna, 'hoi', 'Later geschreven, eerder geplaatst.');

      // That connection drops after the late message's line (what it would have carried up to there).
      const probe = await listen(http, first.request().url().replace(server.url, ''));
      const sent = await probe.until(lineOf('Later geschreven, eerder geplaatst.'));
      probe.close();
      await first.fulfill(dropsAfter(sent));
      const items = olga.page.locator('.dash-transcript__text');
      await expect
        .poll(() => items.allTextContents(), { timeout: 20_000 })
        .toContain('Later geschreven, eerder geplaatst.');
      // In its place, not at the end: right after the bot's answers to 'hoi'.
      expect((await items.allTextContents()).at(-1)).not.toBe('Later geschreven, eerder geplaatst.');

      // The browser reconnects and gets the transcript again: the rest comes, nothing twice.
      const second = await connections.next();
      await second.continue();
      await expect
        .poll(() => items.allTextContents(), { timeout: 20_000 })
        .toContain('Ik zoek het voor u uit.');
      expect(connections.count()).toBe(2);
      await expectAsReload(olga.page, server.t, anna);

      // The resident writes on: it comes once, last.
      await driver.send('anna', 'Dank u.');
      await expect.poll(() => items.allTextContents(), { timeout: 20_000 }).toContain('Dank u.');
      await expectAsReload(olga.page, server.t, anna);
      expect(await axeViolations(olga.page)).toEqual([]);
      expect(olga.errors).toEqual([]);
    });

    it.skipIf(!postgresAvailable)(
      'on postgres: an entry that commits late, below what the page was built with, shows after a reconnect, once and in its place',
      async () => {
        // Regression: a stream started after the ids the page was built with (its URL), and a
        // reconnecting browser after its Last-Event-ID; an outbox entry with a lower id that committed
        // after the page was built never showed.
        const fresh = await freshTarget('postgres');
        dash.closeAfter(() => fresh.cleanup());
        const server = await dash.serve({ databaseUrl: fresh.url });
        const { http, olga, driver } = await takenOver(server);
        await driver.send('anna', 'Mijn container is niet geleegd.');

        // A transaction takes an outbox id and holds it while the operator answers (a higher id).
        const late = await holdOutboxMessage(server.t, anna, 'Eerder genummerd, later bewaard.');
        dash.closeAfter(() => late.commit());
        await http.get(PAGE);
        expect((await http.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);

        // The page is built with the answer; then the lower id commits, before its stream connects.
        const connections = await holdConnections(olga.page);
        await olga.page.goto(`${server.url}${PAGE}`, { waitUntil: 'domcontentloaded' });
        const items = olga.page.locator('.dash-transcript__text');
        expect(await items.allTextContents()).toContain('Ik zoek het voor u uit.');
        expect(await items.allTextContents()).not.toContain('Eerder genummerd, later bewaard.');
        const first = await connections.next();
        await late.commit();

        // The first connection drops before the late entry's line: the lines it carried the page had.
        const probe = await listen(http, first.request().url().replace(server.url, ''));
        const tick = (await probe.until((e) => e.event === 'count')).filter((e) => e.event === 'line');
        probe.close();
        await first.fulfill(
          dropsAfter(tick.slice(0, tick.findIndex(lineOf('Eerder genummerd, later bewaard.')))),
        );

        // The browser reconnects and gets the transcript again: the late entry shows, in its place.
        const second = await connections.next();
        await second.continue();
        await expect
          .poll(() => items.allTextContents(), { timeout: 20_000 })
          .toContain('Eerder genummerd, later bewaard.');
        expect(connections.count()).toBe(2);
        await expectAsReload(olga.page, server.t, anna);
        const texts = await items.allTextContents();
        expect(texts.indexOf('Eerder genummerd, later bewaard.')).toBe(
          texts.indexOf('Ik zoek het voor u uit.') - 1,
        );
        expect(await axeViolations(olga.page)).toEqual([]);
        expect(olga.errors).toEqual([]);
      },
    );
  },
);
