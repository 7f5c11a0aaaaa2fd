import { describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { checkPdf } from '../support/pdf-check.js';
import { databaseKinds, freshTarget, sqliteUrl } from '../support/services.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';
import { bookFirstSlot } from '../support/app-driver.js';
import type { SentMessage } from '../support/scenario.js';

const dash = useDashboardBrowser();

async function auditActions(server: DashboardServer): Promise<string[]> {
  const lines = await server.t.app.commands.audit.page({ limit: 200 });
  return lines.map((l) => `${l.action} ${l.subject}`).reverse();
}

describe.skipIf(!browserAvailable)('the chat logs in Chromium', { timeout: 240_000 }, () => {
  it.each(databaseKinds)(
    'on $kind: an operator finds a conversation by a word, reads and exports it; an alderman gets 404 on it; axe finds nothing',
    async ({ kind, available }) => {
      if (!available) return;
      const fresh = await freshTarget(kind);
      dash.closeAfter(() => fresh.cleanup());
      const server = await dash.serve({ databaseUrl: fresh.url });
      await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
      await server.addAccount({
        email: 'fatma@rijswijk.nl',
        name: 'Fatma Yilmaz',
        role: 'alderman:fatma-yilmaz',
      });
      await server.t.driver.send('r1', 'Hallo');
      await server.t.driver.send('r1', 'De lantaarnpalen in onze straat zijn kapot');
      await server.t.driver.send('r2', 'Wanneer wordt het afval opgehaald?');

      const { page } = await dash.page('10.1.0.1');
      await signIn(page, server.url, 'otto@rijswijk.nl');
      await page.getByRole('navigation').getByRole('link', { name: 'Gesprekken' }).click();
      expect(await page.locator('h1').textContent()).toBe('Gesprekken');
      expect(await axeViolations(page), 'search page').toEqual([]);
      await page.getByLabel('Woorden').fill('Lantaarnpaal');
      await page.getByRole('button', { name: 'Zoeken' }).click();
      const rows = page.locator('tbody tr');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().locator('mark').textContent()).toBe('lantaarnpalen');
      expect(await axeViolations(page), 'search page with results').toEqual([]);
      // A district nobody in this test lives in: nothing found.
      await page.getByLabel('Wijk').selectOption('te-werve');
      await page.getByRole('button', { name: 'Zoeken' }).click();
      expect(await rows.count()).toBe(0);
      await page.getByLabel('Wijk').selectOption('');
      await page.getByRole('button', { name: 'Zoeken' }).click();
      await rows.first().getByRole('link', { name: 'console:r1' }).click();
      expect(await page.locator('h1').textContent()).toBe('Gesprek console:r1');
      const transcript = await page.locator('table').textContent();
      expect(transcript).toContain('De lantaarnpalen in onze straat zijn kapot');
      expect(transcript).toContain('Spreekuur (bot)');
      expect(transcript).toContain('Inwoner');
      // The resident's message comes before the reply it caused.
      const texts = await page.locator('tbody tr td:nth-child(3)').allTextContents();
      expect(texts.indexOf('Hallo')).toBeLessThan(
        texts.indexOf('De lantaarnpalen in onze straat zijn kapot'),
      );
      expect(texts.length).toBeGreaterThan(2);
      expect(await page.locator('.dash-facts').textContent()).toContain('Stand van het gesprek');
      expect(await axeViolations(page), 'conversation page').toEqual([]);

      // The transcript for a case file, as text and as a PDF whose structure a reader accepts.
      const text = await page.request.get(`${server.url}/dashboard/conversations/console%3Ar1/export.txt`);
      expect(text.headers()['content-disposition']).toBe('attachment; filename="gesprek-console-r1.txt"');
      const body = await text.text();
      expect(body.startsWith('Gesprek console:r1\n')).toBe(true);
      expect(body).toContain('Inwoner:\nDe lantaarnpalen in onze straat zijn kapot');
      expect(body).toContain('Spreekuur (bot) (');
      const pdf = await page.request.get(`${server.url}/dashboard/conversations/console%3Ar1/export.pdf`);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      const read = checkPdf(await pdf.body());
      expect(read.title).toBe('Gesprek console:r1');
      expect(read.text).toContain('De lantaarnpalen in onze straat zijn kapot');

      // An alderman with no booking or case from r1: the search lists nothing, the page is a 404.
      const alderman = await dash.page('10.1.0.2');
      await signIn(alderman.page, server.url, 'fatma@rijswijk.nl');
      await alderman.page.goto(`${server.url}/dashboard/conversations?q=lantaarnpaal`);
      expect(await alderman.page.locator('tbody tr').count()).toBe(0);
      const response = await alderman.page.goto(`${server.url}/dashboard/conversations/console%3Ar1`);
      expect(response?.status()).toBe(404);
      expect(await alderman.page.locator('body').textContent()).not.toContain('lantaarnpalen');
      // Nor does a made-up key tell that it does not exist.
      expect(
        (await alderman.page.goto(`${server.url}/dashboard/conversations/console%3Anobody`))?.status(),
      ).toBe(404);
      for (const format of ['txt', 'pdf'])
        expect(
          (
            await alderman.page.request.get(
              `${server.url}/dashboard/conversations/console%3Ar1/export.${format}`,
            )
          ).status(),
        ).toBe(404);

      const actions = await auditActions(server);
      // The resident by the key's pseudonym: a WhatsApp key holds a phone number, and the log is kept.
      const r1 = server.t.app.commands.audit.conversationSubject('console:r1');
      expect(r1).not.toContain('console:r1');
      expect(actions.filter((a) => a.startsWith('conversation.view'))).toEqual([`conversation.view ${r1}`]);
      expect(actions.filter((a) => a.startsWith('conversation.export'))).toEqual([
        `conversation.export ${r1}`,
        `conversation.export ${r1}`,
      ]);
      expect(actions.filter((a) => a.startsWith('conversation.search')).length).toBeGreaterThanOrEqual(3);
    },
  );

  it('regression: the chat logs showed stored values (console, afval (answered), chat (active)) instead of words', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    const lines = ['hallo', 'vraag', 'Wanneer wordt het gras gemaaid?', 'Klaar', '2288 GD', 'Nee', 'Groen'];
    const said: SentMessage[] = [];
    for (const line of [...lines, 'Ja, versturen']) said.push(...(await server.t.driver.send('r1', line)));
    const reference = said.map((m) => /RSW-\d{4}-\d{6}/.exec(m.text)?.[0]).find(Boolean) ?? '';
    await bookFirstSlot(server.t.driver, 'r1');

    const { page } = await dash.page('10.1.0.9');
    await signIn(page, server.url, 'otto@rijswijk.nl');
    await page.goto(`${server.url}/dashboard/conversations`);
    const channel = page.getByLabel('Kanaal');
    expect(await channel.locator('option').allTextContents()).toEqual(['Alle kanalen', 'Console']);
    expect(await page.locator('tbody tr td:nth-child(3)').first().textContent()).toBe('Console');
    await page.goto(`${server.url}/dashboard/conversations/console%3Ar1`);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain(`${reference}: Groen en openbare ruimte (Toegewezen)`);
    expect(main).toMatch(/AFS-\w+: Chat op .* \(staat\)/);
    for (const raw of ['groen-en-openbare-ruimte', '(routed)', '(active)']) expect(main).not.toContain(raw);
    expect(await page.locator('.dash-facts').textContent()).toContain('Console');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('regression: the "Alleen waar de inwoner om een medewerker vroeg" checkbox sits left of its label; the fields stay in line', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    const { page } = await dash.page('10.1.0.10');
    await signIn(page, server.url, 'otto@rijswijk.nl');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${server.url}/dashboard/conversations`);
      const box = page.locator('#needs_human').boundingBox();
      const label = page.locator('label[for="needs_human"]').boundingBox();
      const [b, l] = await Promise.all([box, label]);
      if (!b || !l) throw new Error('no checkbox or label box');
      // Was: the checkbox centred above its label.
      expect(b.x + b.width).toBeLessThanOrEqual(l.x);
      expect(b.y + b.height / 2).toBeGreaterThan(l.y);
      expect(b.y + b.height / 2).toBeLessThan(l.y + l.height);
      // The other fields' boxes end on one line per row: none is pushed down by the label.
      const bottoms = await page.evaluate<number[]>(
        `[...document.querySelectorAll('.dash-filters .dash-field:not(.dash-field--checkbox):not(.dash-field--buttons)')]
          .map((f) => f.querySelector('input, select').getBoundingClientRect())
          .filter((r, i, all) => all.some((o, j) => j !== i && Math.abs(o.top - r.top) < 40))
          .map((r) => Math.round(r.bottom))`,
      );
      if (width === 1280) expect(bottoms.length).toBeGreaterThan(1);
      expect(new Set(bottoms).size).toBeLessThanOrEqual(1);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    }
    expect(await axeViolations(page)).toEqual([]);
  });

  // Regression: the list said "Pagina 1" and no more: not how many conversations were found, nor
  // how many pages there were.
  it('regression: paging said "Pagina 1" without the total; it says how many were found and "Pagina 1 van 2"', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    // 30 conversations (a page holds 25); 3 of them asked for a person.
    for (let i = 0; i < 30; i++) await server.t.driver.send(`p${i}`, i < 3 ? 'medewerker' : 'hallo');
    await server.t.driver.send('p29', 'de bomen in onze straat');
    const { page } = await dash.page('10.1.0.11');
    await signIn(page, server.url, 'otto@rijswijk.nl');
    const status = () => page.getByRole('status').textContent();
    const pager = page.getByRole('navigation', { name: "Pagina's" });

    await page.goto(`${server.url}/dashboard/conversations`);
    expect(await status()).toBe(
      'Nog niet gezocht. U ziet 25 van de 30 gesprekken, de nieuwste eerst. Pagina 1 van 2',
    );
    expect(await pager.locator('span').textContent()).toBe('Pagina 1 van 2');
    expect(await page.locator('tbody tr').count()).toBe(25);
    await pager.getByRole('link', { name: 'Volgende pagina' }).click();
    await page.waitForURL('**/dashboard/conversations?*page=2*');
    expect(await status()).toBe(
      'Nog niet gezocht. U ziet 5 van de 30 gesprekken, de nieuwste eerst. Pagina 2 van 2',
    );
    expect(await page.locator('tbody tr').count()).toBe(5);
    expect(await pager.getByRole('link', { name: 'Volgende pagina' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // A filter counts only what it finds; one conversation is "1 gesprek".
    await page.goto(`${server.url}/dashboard/conversations?needs_human=1`);
    expect(await status()).toBe('3 gesprekken gevonden. Pagina 1 van 1');
    await page.goto(
      `${server.url}/dashboard/conversations?q=medewerker&channel=console&reference=&from=&until=`,
    );
    expect(await status()).toBe('3 gesprekken gevonden met ‘medewerker’. Pagina 1 van 1');
    await page.goto(`${server.url}/dashboard/conversations?q=bomen`);
    expect(await status()).toBe('1 gesprek gevonden met ‘bomen’. Pagina 1 van 1');
    await page.goto(`${server.url}/dashboard/conversations?q=hallo&needs_human=1`);
    expect(await status()).toBe('Geen gesprekken gevonden.');
    await page.goto(`${server.url}/dashboard/language/en?next=/dashboard/conversations`);
    expect(await status()).toBe(
      'No search yet. You see 25 of the 30 conversations, newest first. Page 1 of 2',
    );
  });

  // Regression: without any search the list said "30 gesprekken gevonden" and its last column
  // "Berichten gevonden", with every message of each conversation counted, as if a search had found them.
  it('regression: without a search the list said "gevonden"; it says it shows the latest, and a search counts its matches on every page', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    // 27 conversations; each says 'hallo', two of them twice; one of those also writes of the trees.
    for (let i = 0; i < 27; i++) await server.t.driver.send(`h${i}`, 'hallo');
    await server.t.driver.send('h25', 'hallo nog eens');
    await server.t.driver.send('h26', 'hallo, de bomen in onze straat');
    const { page } = await dash.page('10.1.0.12');
    await signIn(page, server.url, 'otto@rijswijk.nl');
    const status = () => page.getByRole('status').textContent();
    const header = () => page.locator('thead th').last().textContent();
    const countOf = (key: string) =>
      page
        .locator('tbody tr', { has: page.getByRole('link', { name: key, exact: true }) })
        .locator('td')
        .last()
        .textContent();

    await page.goto(`${server.url}/dashboard/conversations`);
    expect(await status()).toBe(
      'Nog niet gezocht. U ziet 25 van de 27 gesprekken, de nieuwste eerst. Pagina 1 van 2',
    );
    expect(await page.locator('caption').textContent()).toBe('Alle gesprekken, nieuwste eerst');
    expect(await header()).toBe('Aantal berichten');
    expect(await countOf('console:h26')).toBe('2');
    expect(await page.locator('main').textContent()).not.toContain('gevonden');
    expect(await axeViolations(page), 'latest conversations').toEqual([]);

    // 'hallo' is in all 27: the count is every match, the page holds 25 of them, the rest on page 2.
    await page.getByLabel('Woorden').fill('hallo');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    expect(await status()).toBe('27 gesprekken gevonden met ‘hallo’. Pagina 1 van 2');
    expect(await page.locator('caption').textContent()).toBe('Gevonden gesprekken, nieuwste eerst');
    expect(await header()).toBe('Berichten gevonden');
    expect(await page.locator('tbody tr').count()).toBe(25);
    await page.getByRole('link', { name: 'Volgende pagina' }).click();
    await page.waitForURL('**/dashboard/conversations?*page=2*');
    expect(await status()).toBe('27 gesprekken gevonden met ‘hallo’. Pagina 2 van 2');
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await axeViolations(page), 'search results, page 2').toEqual([]);
    // A page past the last (an old link) shows the last page, and says so.
    await page.goto(`${server.url}/dashboard/conversations?q=hallo&page=5`);
    expect(await status()).toBe('27 gesprekken gevonden met ‘hallo’. Pagina 2 van 2');
    expect(await page.locator('tbody tr').count()).toBe(2);

    // Only the message with the words counts: one of h26's two.
    await page.goto(`${server.url}/dashboard/conversations?q=bomen`);
    expect(await status()).toBe('1 gesprek gevonden met ‘bomen’. Pagina 1 van 1');
    expect(await countOf('console:h26')).toBe('1');
    // The audit log holds how many a search found on all its pages, not the rows of one page.
    const searches = await server.t.app.commands.audit.page({ limit: 200 });
    const found = searches.filter((l) => l.action === 'conversation.search').map((l) => l.detail.found);
    expect(found).toContain(27);
    expect(found).not.toContain(25);

    await page.goto(`${server.url}/dashboard/language/en?next=/dashboard/conversations`);
    expect(await status()).toBe(
      'No search yet. You see 25 of the 27 conversations, newest first. Page 1 of 2',
    );
    expect(await header()).toBe('Number of messages');
    await page.goto(`${server.url}/dashboard/conversations?q=bomen`);
    expect(await status()).toBe('1 conversation found with ‘bomen’. Page 1 of 1');
    expect(await header()).toBe('Messages found');
  });

  // Regression: since the audit log names a conversation by its pseudonym (00088a0), an admin could
  // no longer find the lines about a resident on the audit page. The conversation's page links to them,
  // filtered on the pseudonym the server computes: the key, with its phone number, stays out of the URL.
  it('an admin goes from a conversation (chat log and webcare page) to its audit lines only; an operator sees no link', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    await server.addAccount({ email: 'ada@rijswijk.nl', name: 'Ada', role: 'admin' });
    for (const text of ['Hallo', 'medewerker']) await server.t.driver.send('r1', text);
    await server.t.driver.send('r2', 'Hallo');
    const r1 = server.t.app.commands.audit.conversationSubject('console:r1');
    const link = { name: 'Auditregels van dit gesprek' };

    const otto = await dash.page('10.1.0.11');
    await signIn(otto.page, server.url, 'otto@rijswijk.nl');
    for (const key of ['console%3Ar1', 'console%3Ar2']) {
      await otto.page.goto(`${server.url}/dashboard/conversations/${key}`);
      expect(await otto.page.getByRole('link', link).count()).toBe(0);
    }

    const { page } = await dash.page('10.1.0.12');
    await signIn(page, server.url, 'ada@rijswijk.nl');
    await page.goto(`${server.url}/dashboard/webcare/console%3Ar1`);
    expect(await page.getByRole('link', link).getAttribute('href')).toBe(
      `/dashboard/audit?subject=${encodeURIComponent(r1)}`,
    );
    await page.goto(`${server.url}/dashboard/conversations/console%3Ar1`);
    await page.getByRole('link', link).click();
    expect(page.url()).not.toContain('console');
    expect(await page.locator('h1').textContent()).toBe('Auditlog');
    const rows = page.locator('tbody tr');
    const cells = async (n: number) => rows.locator(`td:nth-child(${n})`).allTextContents();
    const titles = async () =>
      Promise.all((await rows.locator('td:nth-child(5) code').all()).map((c) => c.getAttribute('title')));
    expect(await cells(4)).toEqual(['conversation.view', 'webcare.view', 'conversation.view']);
    // Said as "Gesprek" and the pseudonym's start, the whole of it in the title; no link to this same page.
    const pseudonym = r1.slice('conversation:'.length);
    expect(new Set(await cells(5))).toEqual(new Set([`Gesprek ${pseudonym.slice(0, 8)}`]));
    expect(new Set(await titles())).toEqual(new Set([pseudonym]));
    expect(await cells(3)).toEqual([
      'Ada (ada@rijswijk.nl)',
      'Ada (ada@rijswijk.nl)',
      'Otto (otto@rijswijk.nl)',
    ]);
    expect(await page.getByRole('status').textContent()).toBe(
      `U ziet alleen de regels hierover: Gesprek ${pseudonym}. Alle regels tonen`,
    );
    expect(await axeViolations(page), 'audit page of one conversation').toEqual([]);
    const filtered = page.url();
    // The way back to every line: the other resident's view is there too, with a link to its own lines.
    await page.getByRole('link', { name: 'Alle regels tonen' }).click();
    const r2 = server.t.app.commands.audit.conversationSubject('console:r2');
    const r2Pseudonym = r2.slice('conversation:'.length);
    const r2Row = rows.filter({ has: page.locator(`code[title="${r2Pseudonym}"]`) });
    const only = { name: `alleen deze regels over Gesprek ${r2Pseudonym.slice(0, 8)}`, exact: true };
    expect(await r2Row.getByRole('link', only).getAttribute('href')).toBe(
      `/dashboard/audit?subject=${encodeURIComponent(r2)}`,
    );
    // Older lines stay filtered: past a page of 50 newer ones about r1, r2's line is still left out.
    for (let i = 0; i < 50; i++)
      await server.t.app.commands.audit.append({ actor: 'system', action: 'test.line', subject: r1 });
    await page.goto(filtered);
    await page.getByRole('link', { name: 'Oudere regels' }).click();
    expect(await cells(4)).toEqual(['conversation.view', 'webcare.view', 'conversation.view']);
    expect(new Set(await titles())).toEqual(new Set([pseudonym]));
  });

  it(`never runs any of the ${XSS_PAYLOADS.length} payloads written by a resident, on the search and transcript pages`, async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount({ email: 'otto@rijswijk.nl', name: 'Otto', role: 'operator' });
    for (const payload of XSS_PAYLOADS) await server.t.driver.send('x1', `klik ${payload}`);
    const { page, fired } = await dash.page('10.1.0.3');
    await signIn(page, server.url, 'otto@rijswijk.nl');
    await page.goto(`${server.url}/dashboard/conversations/console%3Ax1`);
    const texts = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    for (const payload of XSS_PAYLOADS) expect(texts).toContain(`klik ${payload}`);
    expect(await fired(), 'transcript page').toEqual([]);
    await page.goto(`${server.url}/dashboard/conversations?q=klik`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await fired(), 'search page').toEqual([]);
    expect(await axeViolations(page), 'search page with payloads').toEqual([]);
  });
});
