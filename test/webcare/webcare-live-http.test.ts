import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { dashboardHttp, lastEventId, lineOf, listen, named } from '../support/dashboard-http.js';
import { freshDashboardServerPerTest } from '../support/dashboard-server.js';
import { databaseKinds } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

/**
 * The takeover page's live stream when its connection drops (a proxy's timeout, a laptop waking up,
 * a restart), over real HTTP with the whole service on SQLite and on PostgreSQL: the browser comes
 * back with the id of the last line it got (`Last-Event-ID`) and gets only what came after it, also
 * what was written while it was away.
 */
const startServer = freshDashboardServerPerTest();

const t = translator(shippedTexts, 'nl');
const PAGE = `/dashboard/webcare/${encodeURIComponent('console:anna')}`;

/** The page's live stream URL. */
const streamOf = (html: string) => (/data-live="([^"]+)"/.exec(html)?.[1] ?? '').replaceAll('&amp;', '&');

describe.each(databaseKinds)('a webcare takeover stream that drops, on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'coming back with Last-Event-ID it gets only the lines after it: the resident wrote and the operator answered meanwhile',
    { timeout: 240_000 },
    async () => {
      // Regression: the stream's URL says what the page had when it was built (in=, out=) and lines
      // carried no id, so a browser reconnecting after a drop showed every line since then twice.
      const s = await startServer(kind);
      await s.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      const { driver, app } = s.t;
      await driver.send('anna', 'hoi');
      await driver.send('anna', 'medewerker');
      const olga = dashboardHttp(s.url);
      await olga.signIn('olga@rijswijk.nl');
      await olga.get(PAGE);
      expect((await olga.post(`${PAGE}/take`, {})).status).toBe(303);
      const url = streamOf((await olga.get(PAGE)).text);
      expect(url).toContain('state=mine');

      await driver.send('anna', 'Mijn container is niet geleegd.');
      const first = await listen(olga, url);
      const before = await first.until(lineOf('Mijn container is niet geleegd.'));
      expect(lastEventId(before)).toMatch(/^\d+\.\d+$/);
      first.close();

      // While the page is away the resident writes and the operator answers (from another tab).
      await driver.send('anna', 'Het is al de tweede week.');
      await olga.get(PAGE);
      expect((await olga.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
      await app.settle();
      const again = await listen(olga, url, lastEventId(before));
      const after = await again.until(lineOf('Ik zoek het voor u uit.'));
      expect(after.map(named).filter((e) => e.startsWith('line:'))).toEqual([
        'line: Het is al de tweede week.',
        'line: Ik zoek het voor u uit.',
      ]);
      // The resident writes on: it comes on the same stream, once.
      await driver.send('anna', 'Dank u.');
      const last = await again.until(lineOf('Dank u.'));
      expect(last.map(named).filter((e) => e !== 'count')).toEqual(['line: Dank u.']);
      again.close();

      // Without an id it knows (a new page, or an id not its own) the stream starts where the URL says.
      for (const id of [undefined, 'bogus']) {
        const fresh = await listen(olga, url, id);
        const all = (await fresh.until(lineOf('Dank u.'))).map(named);
        expect(all).toContain('line: Mijn container is niet geleegd.');
        expect(all).toContain('line: Het is al de tweede week.');
        fresh.close();
      }

      // Handed back while the page was away: coming back it hears that, and no line it had again.
      await olga.get(PAGE);
      expect((await olga.post(`${PAGE}/hand-back`, {})).status).toBe(303);
      await app.settle();
      const back = await listen(olga, url, lastEventId(last));
      const ended = await back.until((e) => e.event === 'notice');
      for (const had of [
        'line: Mijn container is niet geleegd.',
        'line: Het is al de tweede week.',
        'line: Ik zoek het voor u uit.',
        'line: Dank u.',
      ])
        expect(ended.map(named)).not.toContain(had);
      expect(ended.at(-1)?.data).toEqual({ text: t('dashboard.webcare.live.gone') });
    },
  );
});
