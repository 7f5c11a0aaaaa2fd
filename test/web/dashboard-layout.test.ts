/**
 * The dashboard's layout at a desktop's 1280 px and a phone's 375 px, measured in Chromium: target
 * sizes, lines that must not break, columns that must stay readable.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';

const dash = useDashboardBrowser();
const WIDTHS = [1280, 375];

/** A resident asks a question through the chat; it becomes a case. */
async function ask(server: DashboardServer, from: string, text: string): Promise<void> {
  for (const line of ['hallo', 'vraag', text, 'Klaar', '2288 GD', 'Ja', 'Afval', 'Ja, versturen'])
    await server.t.driver.send(from, line);
}

async function signedIn(server: DashboardServer, address: string): Promise<Page> {
  await server.addAccount({ email: 'beheer@rijswijk.nl', name: 'Anna Beheer', role: 'admin' });
  const { page } = await dash.page(address);
  await signIn(page, server.url, 'beheer@rijswijk.nl');
  return page;
}

/** The size of every checkbox on the page, and whether its label's middle is level with it. */
function checkboxes(page: Page) {
  return page.evaluate<{ id: string; width: number; height: number; level: boolean }[]>(
    `[...document.querySelectorAll('main input[type="checkbox"]')].map((box) => {
      const b = box.getBoundingClientRect();
      const l = document.querySelector('label[for="' + box.id + '"]').getBoundingClientRect();
      const middle = b.top + b.height / 2;
      return { id: box.id, width: b.width, height: b.height, level: middle > l.top && middle < l.bottom };
    })`,
  );
}

describe.skipIf(!browserAvailable)(
  'the dashboard at 1280 and 375 px in Chromium',
  { timeout: 300_000 },
  () => {
    // Regression: the browser's own checkbox, 13 x 13 px, on the conversations' filter and the
    // district and topic choices of Wijkberichten, Peilingen and Standaardantwoorden.
    it('regression: checkboxes were 13 px targets; each is at least 24 x 24 px, level with its label', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      const page = await signedIn(server, '10.2.0.1');
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        for (const [path, count] of [
          ['/dashboard/conversations', 1],
          ['/dashboard/updates', 11],
          ['/dashboard/polls/new', 11],
          ['/dashboard/standard-answers/new', 2],
        ] as const) {
          await page.goto(`${server.url}${path}`);
          const boxes = await checkboxes(page);
          expect({ path, vw: width, enough: boxes.length >= count }).toEqual({
            path,
            vw: width,
            enough: true,
          });
          for (const box of boxes)
            expect({
              path,
              vw: width,
              id: box.id,
              big: box.width >= 24 && box.height >= 24,
              level: box.level,
            }).toEqual({ path, vw: width, id: box.id, big: true, level: true });
          expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
            width,
          );
          if (width === 1280) expect(await axeViolations(page)).toEqual([]);
        }
      }
    });

    // Regression: in the filters' last column "Filters wissen" broke over two lines beside the
    // button (1280 px); on the conversations page "Wissen" sat in a column of its own.
    it('regression: "Filters wissen" broke over two lines; the buttons have a row of their own, the link one line', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await ask(server, 'r1', 'Mijn groene container is niet geleegd.');
      const page = await signedIn(server, '10.2.0.2');
      for (const width of [1280, 1024, 375]) {
        await page.setViewportSize({ width, height: 900 });
        for (const [path, name] of [
          ['/dashboard/cases', 'Filters wissen'],
          ['/dashboard/conversations', 'Wissen'],
        ] as const) {
          await page.goto(`${server.url}${path}`);
          const link = page.locator('.dash-filters').getByRole('link', { name, exact: true });
          // The lines its words take (the link is a flex item: its own box is one block).
          const lines = await page.evaluate<number>(
            `(() => {
              const link = [...document.querySelectorAll('.dash-filters a')].find((a) => a.textContent.trim() === ${JSON.stringify(name)});
              const words = document.createRange();
              words.selectNodeContents(link);
              return new Set([...words.getClientRects()].map((r) => Math.round(r.top))).size;
            })()`,
          );
          const [l, b] = await Promise.all([
            link.boundingBox(),
            page.locator('.dash-filters button[type="submit"]').boundingBox(),
          ]);
          if (!l || !b) throw new Error(`no link or button on ${path}`);
          expect({ path, vw: width, lines }).toEqual({ path, vw: width, lines: 1 });
          expect(l.x + l.width).toBeLessThanOrEqual(width);
          // Beside the button, level with it, or (when they do not fit) under it.
          const beside = l.x >= b.x + b.width && Math.abs(l.y + l.height / 2 - (b.y + b.height / 2)) < 2;
          expect({ path, vw: width, placed: beside || l.y >= b.y + b.height }).toEqual({
            path,
            vw: width,
            placed: true,
          });
        }
      }
      expect(await axeViolations(page)).toEqual([]);
    });

    // Regression: each form of "Andere acties" was stretched to the tallest one in its row, and a
    // grid spreads the extra height over its rows: a short form's label stood far under its heading,
    // and its fields moved whenever a heading in the row wrapped.
    it('regression: the "Andere acties" forms stood lower than the first and spread their fields; each starts at the top of its row, label close under heading', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await ask(server, 'r1', 'Mijn groene container is niet geleegd.');
      const page = await signedIn(server, '10.2.0.3');
      // At 1100 px the forms stand three in a row and the first heading takes two lines.
      for (const width of [1280, 1100, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${server.url}/dashboard/cases/RSW-2026-000001`);
        // Where the words are, not the boxes (a stretched heading's box grows, its words stay put),
        // from the top of the form's place in the grid, its margin included.
        const forms = await page.evaluate<{ heading: string; top: number; gap: number }[]>(
          `[...document.querySelectorAll('.dash-actions > form')].map((form) => {
          const words = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
          const f = form.getBoundingClientRect();
          const h = words(form.querySelector('h3'));
          const label = words(form.querySelector('label'));
          const area = f.top - parseFloat(getComputedStyle(form).marginTop);
          return { heading: form.querySelector('h3').textContent, top: Math.round(h.top - area), gap: Math.round(label.top - h.bottom) };
        })`,
        );
        expect(forms.length).toBe(5);
        const first = forms[0]!;
        for (const form of forms)
          expect({ vw: width, ...form }).toEqual({ vw: width, ...form, top: first.top, gap: first.gap });
        expect(first.gap).toBeLessThanOrEqual(24);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
          width,
        );
      }
      expect(await axeViolations(page)).toEqual([]);
    });

    // Regression: a question or message column may break anywhere, and so the table, scrolled
    // sideways at 375 px, gave it the width of a letter or two: "M / gr / co / en". The caption was
    // centred over the whole table, and showed one letter at the screen's edge.
    it("regression: at 375 px a table's question column was a few letters wide, its caption out of sight", async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await ask(server, 'r1', 'Mijn groene container is al twee weken niet geleegd.');
      const page = await signedIn(server, '10.2.0.4');
      await page.setViewportSize({ width: 375, height: 900 });
      for (const path of ['/dashboard/cases', '/dashboard/conversations']) {
        await page.goto(`${server.url}${path}`);
        const widths = await page.evaluate<number[]>(
          `[...document.querySelectorAll('td.dash-detail')].map((c) => c.getBoundingClientRect().width)`,
        );
        expect(widths.length).toBeGreaterThan(0);
        for (const w of widths) expect({ path, wide: w >= 12 * 16 }).toEqual({ path, wide: true });
        // The caption starts where the table does, in sight (it was centred over the wide table).
        const start = await page.evaluate<number>(
          `(() => {
            const wrap = document.querySelector('.dash-table-wrap');
            const words = document.createRange();
            words.selectNodeContents(wrap.querySelector('caption'));
            return words.getBoundingClientRect().left - wrap.getBoundingClientRect().left;
          })()`,
        );
        expect({ path, start: Math.round(start) }).toEqual({ path, start: 0 });
        // The table scrolls inside its box; the page itself does not.
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      }
    });

    // Regression: the facts of a conversation and of a poll were loose <dt>s and <dd>s in a grid
    // of five columns, so a value could stand at the start of the next row, under another label.
    it("regression: a conversation's and a poll's facts put a value under another label; each stands under its own", async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await ask(server, 'r1', 'Mijn groene container is niet geleegd.');
      const poll = await server.t.app.commands.polls.create(
        { question: 'Een speeltuin aan de Cluis?', options: ['Ja', 'Nee'], districts: ['oud-rijswijk'] },
        'test',
      );
      const page = await signedIn(server, '10.2.0.5');
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        for (const path of ['/dashboard/conversations/console%3Ar1', `/dashboard/polls/${poll.id}`]) {
          await page.goto(`${server.url}${path}`);
          const facts = await page.evaluate<{ label: string; under: boolean }[]>(
            `[...document.querySelectorAll('.dash-facts dt')].map((dt) => {
              const dd = dt.nextElementSibling.getBoundingClientRect();
              const t = dt.getBoundingClientRect();
              return { label: dt.textContent, under: Math.abs(dd.left - t.left) < 1 && dd.top >= t.bottom - 1 };
            })`,
          );
          expect(facts.length).toBeGreaterThanOrEqual(4);
          for (const fact of facts)
            expect({ path, vw: width, ...fact }).toEqual({ path, vw: width, ...fact, under: true });
        }
      }
      expect(await axeViolations(page)).toEqual([]);
    });

    // Regression: at 375 px the audit log and a conversation's transcript scroll sideways in their
    // box, and nothing in them takes the focus: a keyboard could not scroll them (axe:
    // scrollable-region-focusable).
    it('regression: at 375 px the audit log and a transcript could not be scrolled by keyboard', async () => {
      const server = await dash.serve({ databaseUrl: sqliteUrl() });
      await ask(server, 'r1', 'Mijn groene container is niet geleegd.');
      const page = await signedIn(server, '10.2.0.6');
      await page.setViewportSize({ width: 375, height: 900 });
      for (const [path, caption] of [
        ['/dashboard/audit', 'Regels in de auditlog, nieuwste eerst'],
        ['/dashboard/conversations/console%3Ar1', 'Alle berichten van dit gesprek, oudste eerst'],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        const scrolls = await page.evaluate<boolean>(
          `(() => { const w = document.querySelector('.dash-table-wrap'); return w.scrollWidth > w.clientWidth; })()`,
        );
        expect({ path, scrolls }).toEqual({ path, scrolls: true });
        const region = page.getByRole('region', { name: caption });
        expect(await region.getAttribute('tabindex')).toBe('0');
        await region.focus();
        await page.keyboard.press('ArrowRight');
        // The browser scrolls it (smoothly: a moment later). Polled with page.evaluate: a string
        // given to waitForFunction is run through eval, which the page's CSP rightly refuses.
        await expect
          .poll(() => page.evaluate<number>(`document.querySelector('.dash-table-wrap').scrollLeft`), {
            timeout: 5000,
          })
          .toBeGreaterThan(0);
        expect({ path, axe: await axeViolations(page) }).toEqual({ path, axe: [] });
      }
    });
  },
);
