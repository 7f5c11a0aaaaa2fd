import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { dashboardHttp, listen, type StreamedEvent } from '../support/dashboard-http.js';
import { signIn } from '../support/dashboard-server.js';
import { writeLateMessage } from '../support/late-outbox.js';
import { sqliteUrl } from '../support/services.js';

const dash = useDashboardBrowser();
const PAGE = `/dashboard/webcare/${encodeURIComponent('console:anna')}`;

/** One event framed as the stream sends it. */
const framed = (e: StreamedEvent) =>
  `${e.id === undefined ? '' : `id: ${e.id}\n`}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;

describe.skipIf(!browserAvailable)(
  'a takeover page whose stream drops mid-tick (Chromium)',
  { timeout: 300_000 },
  () => {
    it('shows every line once and in order after the browser reconnects, also when outbox ids came out of order', async () => {
      // A line's id never goes past a line still to come in its tick, so after a drop the server may
      // send a line the page had again: the page's script must show it once (its key), and miss none.
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      const { driver, app } = server.t;
      const anna = { channel: 'console', userId: 'anna' };
      await driver.send('anna', 'hoi');
      await driver.send('anna', 'medewerker');
      const http = dashboardHttp(server.url);
      await http.signIn('olga@rijswijk.nl');
      await http.get(PAGE);
      expect((await http.post(`${PAGE}/take`, {})).status).toBe(303);
      await app.settle();

      // The page is built; its stream's first connection waits (the route holds it) while the
      // resident writes, the operator answers and a message placed before both gets the newest id.
      const olga = await dash.page('10.0.0.1');
      await signIn(olga.page, server.url, 'olga@rijswijk.nl');
      let held: (route: Route) => void = () => undefined;
      const firstConnection = new Promise<Route>((resolve) => (held = resolve));
      let connections = 0;
      await olga.page.route(/\/events\?/, (route) => {
        connections += 1;
        return connections === 1 ? held(route) : route.continue();
      });
      await olga.page.goto(`${server.url}${PAGE}`, { waitUntil: 'domcontentloaded' });
      const first = await firstConnection;
      await driver.send('anna', 'Mijn container is niet geleegd.');
      await http.get(PAGE);
      expect((await http.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
      await app.settle();
      await writeLateMessage(server.t, anna, 'hoi', 'Later geschreven, eerder geplaatst.');

      // What that connection would have carried had it dropped after the tick's first line.
      const probe = await listen(http, first.request().url().replace(server.url, ''));
      const line = (await probe.until((e) => e.event === 'line'))[0]!;
      probe.close();
      expect(line.data).toMatchObject({ text: 'Later geschreven, eerder geplaatst.' });
      await first.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8' },
        body: `retry: 100\n\n${framed(line)}`,
      });

      // The browser reconnects with that line's id and gets the rest (and that line again, not shown twice).
      const items = olga.page.locator('.dash-transcript__text');
      await expect
        .poll(() => items.allTextContents(), { timeout: 20_000 })
        .toContain('Ik zoek het voor u uit.');
      expect(connections).toBeGreaterThan(1);
      const texts = await items.allTextContents();
      expect(texts.slice(texts.indexOf('Later geschreven, eerder geplaatst.'))).toEqual([
        'Later geschreven, eerder geplaatst.',
        'Mijn container is niet geleegd.',
        'Ik zoek het voor u uit.',
      ]);
      expect(olga.errors).toEqual([]);
    });
  },
);
