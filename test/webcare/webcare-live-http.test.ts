import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import {
  dashboardHttp,
  lastEventId,
  lineOf,
  listen,
  named,
  type StreamedEvent,
} from '../support/dashboard-http.js';
import { freshDashboardServerPerTest } from '../support/dashboard-server.js';
import { writeLateMessage } from '../support/late-outbox.js';
import { databaseKinds, postgresAvailable } from '../support/services.js';
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

/** Anna asks for a person and Olga, an operator, takes her conversation over in the dashboard. */
async function takenOver(s: Awaited<ReturnType<typeof startServer>>) {
  await s.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
  const { driver, app } = s.t;
  await driver.send('anna', 'hoi');
  await driver.send('anna', 'medewerker');
  const olga = dashboardHttp(s.url);
  await olga.signIn('olga@rijswijk.nl');
  await olga.get(PAGE);
  expect((await olga.post(`${PAGE}/take`, {})).status).toBe(303);
  await app.settle();
  return { olga, driver, app, anna: { channel: 'console', userId: 'anna' } };
}

describe.each(databaseKinds)('a webcare takeover stream that drops, on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'coming back with Last-Event-ID it gets only the lines after it: the resident wrote and the operator answered meanwhile',
    { timeout: 240_000 },
    async () => {
      // Regression: the stream's URL says what the page had when it was built (in=, out=) and lines
      // carried no id, so a browser reconnecting after a drop showed every line since then twice.
      const { olga, driver, app } = await takenOver(await startServer(kind));
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

describe.each(databaseKinds)(
  'a webcare takeover stream whose outbox ids come out of order, on $kind',
  ({ kind, available }) => {
    it.skipIf(!available)(
      'sends every new line of a tick in transcript order, and each line id resumes without losing one',
      { timeout: 240_000 },
      async () => {
        // Regression: the stream moved its resume point on as it went through the transcript, so in one
        // tick an outbox message listed after one with a higher id (written later, sorted earlier: a
        // held message let go, a reply a later turn wrote) was skipped for good.
        const s = await startServer(kind);
        const { olga, driver, app, anna } = await takenOver(s);
        const url = streamOf((await olga.get(PAGE)).text);

        // While the page is open the resident writes, the operator answers, and then a message to the
        // resident is written that belongs before both: its outbox id is the highest, its place earlier.
        await driver.send('anna', 'Mijn container is niet geleegd.');
        await olga.get(PAGE);
        expect((await olga.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
        await app.settle();
        const lateId = await writeLateMessage(s.t, anna, 'hoi', 'Later geschreven, eerder geplaatst.');
        const written = await app.uow.run((r) => r.conversations.transcript(anna, 200));
        const texts = written.map((e) => e.text);
        const reply = written.find((e) => e.text === 'Ik zoek het voor u uit.')!;
        // The case this guards: the late message is listed before the reply, with a higher id.
        expect(texts.indexOf('Later geschreven, eerder geplaatst.')).toBeLessThan(texts.indexOf(reply.text));
        expect(lateId).toBeGreaterThan(reply.id);

        const stream = await listen(olga, url);
        const tick = await stream.until((e) => e.event === 'count');
        stream.close();
        const lines = tick.filter((e) => e.event === 'line');
        expect(lines.map(named)).toEqual([
          'line: Later geschreven, eerder geplaatst.',
          'line: Mijn container is niet geleegd.',
          'line: Ik zoek het voor u uit.',
        ]);
        // The last line's id is where the page is after the tick: the newest id of each side.
        const newest = (side: 'in' | 'out') =>
          Math.max(...written.filter((e) => e.side === side).map((e) => e.id));
        expect(lastEventId(tick)).toBe(`${newest('in')}.${newest('out')}`);

        // A browser that got only the lines up to one of them comes back with its id: it gets every
        // line after it (and may get one it had again, under the same key, which its page shows once).
        const keyOf = (e: StreamedEvent) => (e.data as { key: string }).key;
        for (const [i, had] of lines.slice(0, -1).entries()) {
          const again = await listen(olga, url, had.id);
          const resent = (await again.until((e) => e.event === 'count')).filter((e) => e.event === 'line');
          again.close();
          const rest = lines.slice(i + 1);
          expect(resent.slice(-rest.length).map(named)).toEqual(rest.map(named));
          for (const e of resent.slice(0, -rest.length))
            expect(lines.slice(0, i + 1).map(keyOf)).toContain(keyOf(e));
          expect(lastEventId(resent)).toBe(lastEventId(tick));
        }

        // Back with the tick's last id, the stream goes on with what comes next, once.
        const back = await listen(olga, url, lastEventId(tick));
        await driver.send('anna', 'Dank u.');
        const next = await back.until(lineOf('Dank u.'));
        expect(next.map(named).filter((e) => e !== 'count')).toEqual(['line: Dank u.']);
      },
    );
  },
);

describe('a webcare takeover stream when a lower outbox id commits after a higher one was sent, on postgres', () => {
  it.skipIf(!postgresAvailable)(
    'sends the late entry in a later tick, once',
    { timeout: 240_000 },
    async () => {
      // Regression: the stream kept what it had sent as the highest id of each side. On PostgreSQL
      // a transaction that took a lower outbox id can commit after one with a higher id was sent (a
      // bot turn's reply and an operator's answer at the same moment); the later tick skipped that
      // entry for good, and the operator never saw what the resident was told.
      const s = await startServer('postgres');
      const { olga, driver, app, anna } = await takenOver(s);
      await driver.send('anna', 'Mijn container is niet geleegd.');
      const url = streamOf((await olga.get(PAGE)).text);
      const stream = await listen(olga, url);
      await stream.until((e) => e.event === 'count');

      // A transaction takes an outbox id and holds it, uncommitted, while the operator answers.
      const cause = (await app.uow.run((r) => r.conversations.transcript(anna, 200))).findLast(
        (e) => e.side === 'in',
      )!;
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let heldId = 0;
      let taken!: () => void;
      const idTaken = new Promise<void>((resolve) => (taken = resolve));
      const late = app.uow.transaction(async (r) => {
        const now = s.t.clock.now();
        const [row] = await r.conversations.addToOutbox(
          [{ kind: 'message', to: anna, text: 'Eerder genummerd, later bewaard.', causeId: cause.id }],
          now,
          now,
        );
        heldId = row!.id;
        taken();
        await held;
      });
      await idTaken;
      expect((await olga.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
      const answered = await stream.until(lineOf('Ik zoek het voor u uit.'));
      const replyId = Number(lastEventId(answered)?.split('.')[1]);
      // The case this guards: the answer, with the higher id, was sent before the lower one committed.
      expect(replyId).toBeGreaterThan(heldId);
      expect(answered.map(named)).not.toContain('line: Eerder genummerd, later bewaard.');

      commit();
      await late;
      // The resident writes on: the late entry comes on the stream, and nothing comes twice.
      await driver.send('anna', 'Dank u.');
      const after = await stream.until(lineOf('Dank u.'));
      expect(after.filter((e) => e.event === 'line').map(named)).toEqual([
        'line: Eerder genummerd, later bewaard.',
        'line: Dank u.',
      ]);
    },
  );
});
