import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { announced, axeViolations, browserAvailable, recordAnnouncements } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { dashboardHttp, listen } from '../support/dashboard-http.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';
import { translator } from '../../src/i18n/translator.js';
import { shippedTexts } from '../support/texts.js';

const dash = useDashboardBrowser();
const t = translator(shippedTexts, 'nl');
const QUEUE = '/dashboard/webcare';

/** The queue's rows as the page shows them: each row's cells' text. */
async function rowsOf(page: Page): Promise<string[][]> {
  const rows: string[][] = [];
  for (const row of await page.locator('tbody tr').all())
    rows.push(await row.locator('td').allTextContents());
  return rows;
}

/** The live page shows the rows, the summary and the header's count a reload shows. */
async function expectAsReload(page: Page, server: DashboardServer) {
  const reloaded = await page.context().newPage();
  await reloaded.goto(`${server.url}${QUEUE}`);
  expect(await rowsOf(page)).toEqual(await rowsOf(reloaded));
  for (const part of ['[data-queue-summary]', 'nav', '[data-queue-empty]'])
    expect(await page.locator(part).textContent()).toBe(await reloaded.locator(part).textContent());
  expect(await page.locator('[data-queue]').isVisible()).toBe(
    await reloaded.locator('[data-queue]').isVisible(),
  );
  await reloaded.close();
}

/** Another operator takes a conversation over, in their own session (over HTTP). */
async function takeAs(server: DashboardServer, email: string, key: string) {
  const http = dashboardHttp(server.url);
  await http.signIn(email);
  const page = `${QUEUE}/${encodeURIComponent(key)}`;
  await http.get(page);
  expect((await http.post(`${page}/take`, {})).status).toBe(303);
}

/**
 * Drops the page's first live stream at once (it says only "retry in 100 ms") and holds the
 * browser's next one until `release`: what changes meanwhile reaches the page only through the
 * reconnected stream. `connections` counts the streams the page opened.
 */
async function dropFirstStream(page: Page): Promise<{ connections: () => number; release: () => void }> {
  let connections = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/dashboard\/webcare\/events$/, async (route) => {
    connections += 1;
    if (connections === 1)
      return route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8' },
        body: 'retry: 100\n\n',
      });
    await held;
    return route.continue();
  });
  return { connections: () => connections, release: () => release() };
}

describe.skipIf(!browserAvailable)('the webcare queue, live (Chromium)', { timeout: 60_000 }, () => {
  // Regression: the queue page only renewed the header's count; a resident who asked for a person
  // showed only after a reload, and a conversation another operator took, or a resident withdrew,
  // stayed listed as waiting.
  it('shows a new resident in their place, another operator’s takeover and withdrawals as a reload does, each said once', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    const { driver, app } = server.t;
    await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
    await server.addAccount({ email: 'omar@rijswijk.nl', name: 'Omar Operator', role: 'operator' });
    // Asked at the same moment: the queue orders them by conversation, so Bea comes between them.
    await driver.send('anna', 'medewerker');
    await driver.send('carla', 'medewerker');

    const olga = await dash.page('10.0.3.1');
    await signIn(olga.page, server.url, 'olga@rijswijk.nl');
    await olga.page.goto(`${server.url}${QUEUE}`);
    expect(await olga.page.locator('tbody tr').count()).toBe(2);
    await recordAnnouncements(olga.page);
    const row = (name: string) => olga.page.locator('tbody tr', { hasText: `console ${name}` });

    await driver.send('bea', 'medewerker');
    await row('bea').waitFor({ timeout: 5_000 });
    expect((await rowsOf(olga.page)).map((cells) => cells[0])).toEqual([
      'console anna',
      'console bea',
      'console carla',
    ]);
    await expect.poll(() => olga.page.locator('nav').textContent()).toContain('Webcare (3 wachtend)');
    expect(await olga.page.locator('[data-queue-summary]').textContent()).toBe(
      t('dashboard.webcare.count', { count: '3', taken: '0' }),
    );
    expect(await announced(olga.page)).toEqual([t('dashboard.webcare.live.queue_waiting', { count: 1 })]);
    await expectAsReload(olga.page, server);

    // A minute later each row's wait is renewed, silently; focus on a row's link stays where it is.
    const annasLink = row('anna').getByRole('link');
    await annasLink.focus();
    await driver.advance!(60_000);
    await row('anna').getByText('(1 min)').waitFor({ timeout: 5_000 });
    expect(await olga.page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe(
      'console anna',
    );

    // Omar takes Carla: her row says who has her, as on a reload.
    await takeAs(server, 'omar@rijswijk.nl', 'console:carla');
    await app.settle();
    const withOmar = t('dashboard.webcare.status.other', { name: 'Omar Operator' });
    await row('carla').getByText(withOmar).waitFor({ timeout: 5_000 });
    await expectAsReload(olga.page, server);

    // Anna, waiting, withdraws: she leaves the list. Carla, taken, withdraws: her row says so.
    await driver.send('anna', 'Laat maar, hoeft niet meer.');
    await expect.poll(() => row('anna').count(), { timeout: 5_000 }).toBe(0);
    await expectAsReload(olga.page, server);
    await driver.send('carla', 'Laat maar, hoeft niet meer.');
    await row('carla')
      .getByText(t('dashboard.webcare.status.withdrawn', { status: withOmar }))
      .waitFor({ timeout: 5_000 });
    await expectAsReload(olga.page, server);
    // Bea leaves the wait with "menu": her row is gone, and said so.
    await driver.send('bea', 'menu');
    await expect.poll(() => row('bea').count(), { timeout: 5_000 }).toBe(0);
    await expectAsReload(olga.page, server);
    // Each change said once, in one short line (the minutes ticking on are not news). Regression:
    // Anna's withdrawal was said as "staat niet meer in de lijst", as if taken or gone; it says she
    // no longer needs help.
    expect(await announced(olga.page)).toEqual([
      t('dashboard.webcare.live.queue_waiting', { count: 1 }),
      t('dashboard.webcare.live.queue_taken', { count: 1 }),
      t('dashboard.webcare.live.queue_withdrawn_left', { count: 1 }),
      t('dashboard.webcare.live.queue_withdrawn', { count: 1 }),
      t('dashboard.webcare.live.queue_gone', { count: 1 }),
    ]);
    expect(await axeViolations(olga.page)).toEqual([]);
    expect(olga.errors).toEqual([]);
  });

  it('after a dropped stream shows what changed meanwhile in one line; chat ids that are payloads stay text', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    const { driver } = server.t;
    await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
    const olga = await dash.page('10.0.3.2');
    await signIn(olga.page, server.url, 'olga@rijswijk.nl');

    // The page starts empty; its first stream drops at once, the browser's next one is held.
    const stream = await dropFirstStream(olga.page);
    await olga.page.goto(`${server.url}${QUEUE}`);
    expect(await olga.page.locator('[data-queue-empty]').isVisible()).toBe(true);
    await recordAnnouncements(olga.page);
    await expect.poll(stream.connections, { timeout: 5_000 }).toBe(2);

    // Three residents ask while the page has no stream; their chat ids are script payloads.
    const payloads = XSS_PAYLOADS.slice(0, 3);
    for (const payload of payloads) await driver.send(payload, 'medewerker');
    stream.release();
    await expect.poll(() => olga.page.locator('tbody tr').count(), { timeout: 5_000 }).toBe(3);
    const shown = (await rowsOf(olga.page)).map((cells) => cells[0]);
    expect([...shown].sort()).toEqual(payloads.map((p) => `console ${p}`).sort());
    expect(await olga.page.locator('[data-queue-empty]').isVisible()).toBe(false);
    expect(await announced(olga.page)).toEqual([t('dashboard.webcare.live.queue_waiting', { count: 3 })]);
    await expectAsReload(olga.page, server);
    expect(await axeViolations(olga.page)).toEqual([]);
    expect(await olga.fired()).toEqual([]);
    expect(olga.errors).toEqual([]);

    // Without the script the page is the same list, from the server.
    const plain = await dash.page('10.0.3.3', { script: false });
    await signIn(plain.page, server.url, 'olga@rijswijk.nl');
    await plain.page.goto(`${server.url}${QUEUE}`);
    expect(await rowsOf(plain.page)).toEqual(await rowsOf(olga.page));
    expect(await plain.page.locator('[data-queue-empty]').isVisible()).toBe(false);
  });

  it('after a dropped stream says of a resident who withdrew meanwhile that they no longer need help', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    const { driver } = server.t;
    await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
    await driver.send('anna', 'medewerker');
    const olga = await dash.page('10.0.3.4');
    await signIn(olga.page, server.url, 'olga@rijswijk.nl');

    // The page's first stream drops at once; the browser's next one is held while Anna withdraws.
    const stream = await dropFirstStream(olga.page);
    await olga.page.goto(`${server.url}${QUEUE}`);
    expect(await olga.page.locator('tbody tr').count()).toBe(1);
    await recordAnnouncements(olga.page);
    await expect.poll(stream.connections, { timeout: 5_000 }).toBe(2);
    await driver.send('anna', 'Laat maar, hoeft niet meer.');
    stream.release();
    await expect.poll(() => olga.page.locator('tbody tr').count(), { timeout: 5_000 }).toBe(0);
    expect(await announced(olga.page)).toEqual([
      t('dashboard.webcare.live.queue_withdrawn_left', { count: 1 }),
    ]);
    await expectAsReload(olga.page, server);
    expect(olga.errors).toEqual([]);
  });
});

describe('the webcare queue stream, who gets it', { timeout: 60_000 }, () => {
  it('answers aldermen and departments 404, sends a signed-out browser to sign in, and an operator the rows', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
    await server.addAccount({
      email: 'fatma@rijswijk.nl',
      name: 'Fatma Yilmaz',
      role: 'alderman:fatma-yilmaz',
    });
    await server.addAccount({ email: 'ahmed@rijswijk.nl', name: 'Ahmed Afval', role: 'department:afval' });
    await server.t.driver.send('<b>anna</b>', 'medewerker');
    for (const email of ['fatma@rijswijk.nl', 'ahmed@rijswijk.nl']) {
      const http = dashboardHttp(server.url);
      await http.signIn(email);
      const stream = await listen(http, `${QUEUE}/events`);
      expect(stream.status).toBe(404);
    }
    const anonymous = await listen(dashboardHttp(server.url), `${QUEUE}/events`);
    expect(anonymous.status).toBe(303);

    const olga = dashboardHttp(server.url);
    await olga.signIn('olga@rijswijk.nl');
    const stream = await listen(olga, `${QUEUE}/events`);
    expect(stream.status).toBe(200);
    const [queue] = (await stream.until((e) => e.event === 'queue')).filter((e) => e.event === 'queue');
    const rows = (queue?.data as { rows: { key: string; html: string }[] }).rows;
    expect(rows.map((r) => r.key)).toEqual(['console:<b>anna</b>']);
    expect(rows[0]?.html).toContain('console &lt;b&gt;anna&lt;/b&gt;');
    expect(rows[0]?.html).not.toContain('<b>');
  });
});
