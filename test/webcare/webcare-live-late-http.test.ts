import { describe, expect, it } from 'vitest';
import { lastEventId, lineOf, listen, named, type StreamedEvent } from '../support/dashboard-http.js';
import { freshDashboardServerPerTest } from '../support/dashboard-server.js';
import { holdOutboxMessage } from '../support/late-outbox.js';
import { postgresAvailable } from '../support/services.js';
import { keyOf, keysOf, streamOf, TAKEOVER_PAGE as PAGE, takenOver } from '../support/webcare-takeover.js';

/**
 * The takeover page's live stream when an outbox entry commits late, over real HTTP with the whole
 * service on PostgreSQL: a real transaction takes a lower outbox id and holds it, uncommitted, while
 * the operator's answer (a higher id) commits and is sent or rendered; then it commits.
 */
const startServer = freshDashboardServerPerTest();

const LATE = 'Eerder genummerd, later bewaard.';
const lines = (events: readonly StreamedEvent[]) => events.filter((e) => e.event === 'line');

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
      const { olga, driver, anna } = await takenOver(s);
      await driver.send('anna', 'Mijn container is niet geleegd.');
      const url = streamOf((await olga.get(PAGE)).text);
      const stream = await listen(olga, url);
      await stream.until((e) => e.event === 'count');

      const late = await holdOutboxMessage(s.t, anna, LATE);
      expect((await olga.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
      const answered = await stream.until(lineOf('Ik zoek het voor u uit.'));
      // The case this guards: the answer, with the higher id, was sent before the lower one committed.
      expect(keyOf(answered.at(-1)!)).toMatch(/^out\d+$/);
      expect(Number(keyOf(answered.at(-1)!).slice(3))).toBeGreaterThan(late.id);
      expect(answered.map(named)).not.toContain(`line: ${LATE}`);

      await late.commit();
      // The resident writes on: the late entry comes on the stream, and nothing comes twice.
      await driver.send('anna', 'Dank u.');
      const after = await stream.until(lineOf('Dank u.'));
      expect(lines(after).map(named)).toEqual([`line: ${LATE}`, 'line: Dank u.']);
      expect(lines(after)[0]!.data).toMatchObject({ key: `out${late.id}` });
    },
  );

  it.skipIf(!postgresAvailable)(
    'a browser that is away while it commits gets it when it reconnects, whatever Last-Event-ID it sends',
    { timeout: 240_000 },
    async () => {
      // Regression: a reconnecting browser resumed after the point its Last-Event-ID said (the newest
      // id of each side it got); an entry below that point that committed while it was away was
      // never sent, and the page never showed what the resident was told.
      const s = await startServer('postgres');
      const { olga, driver, app, anna } = await takenOver(s);
      await driver.send('anna', 'Mijn container is niet geleegd.');
      const url = streamOf((await olga.get(PAGE)).text);
      const first = await listen(olga, url);
      await first.until((e) => e.event === 'count');

      const late = await holdOutboxMessage(s.t, anna, LATE);
      expect((await olga.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
      const answered = await first.until(lineOf('Ik zoek het voor u uit.'));
      expect(Number(keyOf(answered.at(-1)!).slice(3))).toBeGreaterThan(late.id);
      // The stream drops; while the browser is away the lower id commits.
      first.close();
      await late.commit();

      const again = await listen(olga, url, lastEventId(answered));
      const tick = lines(await again.until((e) => e.event === 'count'));
      // It comes with the transcript the page shows, in its place and under its own key; no key twice.
      const transcript = await app.uow.run((r) => r.conversations.transcript(anna, 200));
      expect(tick.map(named)).toContain(`line: ${LATE}`);
      expect(tick.map(keyOf)).toEqual(transcript.map((e) => `${e.side}${e.id}`));
      const at = tick.findIndex(lineOf(LATE));
      expect(tick[at]!.data).toMatchObject({ key: `out${late.id}`, after: keyOf(tick[at - 1]!) });

      // The resident writes on: only that comes next.
      await driver.send('anna', 'Dank u.');
      expect(lines(await again.until(lineOf('Dank u.'))).map(named)).toEqual(['line: Dank u.']);
    },
  );

  it.skipIf(!postgresAvailable)(
    'a page built before it commits gets it when its stream connects',
    { timeout: 240_000 },
    async () => {
      // Regression: a new stream started after the ids the page was built with (its URL's in=, out=);
      // an entry below them that committed between the page's build and the stream's connect was
      // never sent.
      const s = await startServer('postgres');
      const { olga, driver, app, anna } = await takenOver(s);
      await driver.send('anna', 'Mijn container is niet geleegd.');
      const late = await holdOutboxMessage(s.t, anna, LATE);
      expect((await olga.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
      const page = (await olga.get(PAGE)).text;
      // The case this guards: the page shows the answer, with the higher id, and not the late entry.
      const answer = (await app.uow.run((r) => r.conversations.transcript(anna, 200))).find(
        (e) => e.text === 'Ik zoek het voor u uit.',
      )!;
      expect(answer.id).toBeGreaterThan(late.id);
      expect(page).toContain(answer.text);
      expect(page).not.toContain(LATE);
      await late.commit();

      const stream = await listen(olga, streamOf(page));
      const tick = lines(await stream.until((e) => e.event === 'count'));
      expect(tick.map(named)).toContain(`line: ${LATE}`);
      const transcript = await app.uow.run((r) => r.conversations.transcript(anna, 200));
      expect(tick.map(keyOf)).toEqual(transcript.map((e) => `${e.side}${e.id}`));
      // What the page lacked is exactly the late entry; the rest it has, under the same keys.
      const built = keysOf(page);
      expect(tick.map(keyOf).filter((k) => !built.includes(k))).toEqual([`out${late.id}`]);
      expect(built).toEqual(tick.map(keyOf).filter((k) => k !== `out${late.id}`));
    },
  );
});
