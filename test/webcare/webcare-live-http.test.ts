import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { lineOf, listen, named, type StreamedEvent } from '../support/dashboard-http.js';
import { freshDashboardServerPerTest } from '../support/dashboard-server.js';
import { writeLateMessage } from '../support/late-outbox.js';
import { databaseKinds } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';
import { keyOf, keysOf, streamOf, TAKEOVER_PAGE as PAGE, takenOver } from '../support/webcare-takeover.js';

/**
 * The takeover page's live stream when its connection drops (a proxy's timeout, a laptop waking up,
 * a restart), over real HTTP with the whole service on SQLite and on PostgreSQL: each time the
 * browser connects it gets the transcript the page shows again, every line under its own key and
 * after the key of the line before it, so its page (which shows a key once) misses nothing, also
 * what was written while it was away; then only what comes next. A late commit on PostgreSQL:
 * webcare-live-late-http.test.ts.
 */
const startServer = freshDashboardServerPerTest();

const t = translator(shippedTexts, 'nl');

const lines = (events: readonly StreamedEvent[]) => events.filter((e) => e.event === 'line');

/** The transcript as its lines come on a new stream: key and text, each after the one before it. */
async function expectTranscript(
  app: Awaited<ReturnType<typeof takenOver>>['app'],
  anna: { channel: string; userId: string },
  streamed: readonly StreamedEvent[],
) {
  const transcript = await app.uow.run((r) => r.conversations.transcript(anna, 200));
  const keys = transcript.map((e) => `${e.side}${e.id}`);
  expect(streamed.map(keyOf)).toEqual(keys);
  expect(streamed.map((e) => (e.data as { after: string }).after)).toEqual(['', ...keys.slice(0, -1)]);
  // Masked as the page masks them; none of these carries a number.
  expect(streamed.map(named)).toEqual(transcript.map((e) => `line: ${e.text}`));
}

describe.each(databaseKinds)('a webcare takeover stream that drops, on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'coming back it gets the transcript again, with what the resident and the operator wrote meanwhile, each line under its key',
    { timeout: 240_000 },
    async () => {
      // Regression: the stream's URL says what the page had when it was built (in=, out=) and lines
      // carried no key, so a browser reconnecting after a drop showed every line since then twice.
      // Now each connection sends the transcript under stable keys, which the page shows once.
      const { olga, driver, app, anna } = await takenOver(await startServer(kind));
      const page = (await olga.get(PAGE)).text;
      const url = streamOf(page);
      expect(url).toContain('state=mine');

      const first = await listen(olga, url);
      const opened = lines(await first.until((e) => e.event === 'count'));
      await expectTranscript(app, anna, opened);
      // The page was built with the same lines under the same keys.
      expect(keysOf(page)).toEqual(opened.map(keyOf));
      await driver.send('anna', 'Mijn container is niet geleegd.');
      const before = lines(await first.until(lineOf('Mijn container is niet geleegd.')));
      expect(before.map(named)).toEqual(['line: Mijn container is niet geleegd.']);
      first.close();

      // While the page is away the resident writes and the operator answers (from another tab).
      await driver.send('anna', 'Het is al de tweede week.');
      await olga.get(PAGE);
      expect((await olga.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
      await app.settle();
      const again = await listen(olga, url);
      const after = lines(await again.until((e) => e.event === 'count'));
      await expectTranscript(app, anna, after);
      // What the page had comes under the same keys (shown once); what it lacked under new ones.
      const had = [...opened, ...before].map(keyOf);
      expect(after.filter((e) => !had.includes(keyOf(e))).map(named)).toEqual([
        'line: Het is al de tweede week.',
        'line: Ik zoek het voor u uit.',
      ]);
      expect(had.every((key) => after.map(keyOf).includes(key))).toBe(true);
      // The resident writes on: it comes on the same stream, once.
      await driver.send('anna', 'Dank u.');
      const last = await again.until(lineOf('Dank u.'));
      expect(last.map(named).filter((e) => e !== 'count')).toEqual(['line: Dank u.']);
      again.close();

      // A line carries no id to resume from: a Last-Event-ID (a page of an older version, or one not
      // its own) changes nothing, the stream sends the transcript.
      for (const id of ['3.7', 'bogus']) {
        const fresh = await listen(olga, url, id);
        const all = lines(await fresh.until((e) => e.event === 'count'));
        fresh.close();
        await expectTranscript(app, anna, all);
        expect(all.every((e) => e.id === undefined)).toBe(true);
      }

      // Handed back while the page was away: coming back it hears that, and no line.
      await olga.get(PAGE);
      expect((await olga.post(`${PAGE}/hand-back`, {})).status).toBe(303);
      await app.settle();
      const back = await listen(olga, url);
      const ended = await back.until((e) => e.event === 'notice');
      expect(lines(ended)).toEqual([]);
      expect(ended.at(-1)?.data).toEqual({ text: t('dashboard.webcare.live.gone') });
    },
  );
});

describe.each(databaseKinds)(
  'a webcare takeover stream whose outbox ids come out of order, on $kind',
  ({ kind, available }) => {
    it.skipIf(!available)(
      'sends the lines in transcript order, each after the line before it, and again whole after a drop',
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
        const tick = lines(await stream.until((e) => e.event === 'count'));
        stream.close();
        await expectTranscript(app, anna, tick);
        const at = (text: string) => tick.map(named).indexOf(`line: ${text}`);
        expect(at('Later geschreven, eerder geplaatst.')).toBeGreaterThan(at('hoi'));
        expect(at('Later geschreven, eerder geplaatst.')).toBeLessThan(at('Mijn container is niet geleegd.'));
        expect(at('Mijn container is niet geleegd.')).toBeLessThan(at('Ik zoek het voor u uit.'));

        // A browser that dropped after any of them comes back and gets them all again, under the same
        // keys: its page shows each once and misses none.
        const again = await listen(olga, url);
        const resent = lines(await again.until((e) => e.event === 'count'));
        expect(resent.map(keyOf)).toEqual(tick.map(keyOf));
        expect(resent.map((e) => e.data)).toEqual(tick.map((e) => e.data));

        // Then the stream goes on with what comes next, once.
        await driver.send('anna', 'Dank u.');
        const next = await again.until(lineOf('Dank u.'));
        expect(next.map(named).filter((e) => e !== 'count')).toEqual(['line: Dank u.']);
      },
    );
  },
);
