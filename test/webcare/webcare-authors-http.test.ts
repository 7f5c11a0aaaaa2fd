import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { sql } from '../../src/storage/sql.js';
import { dashboardHttp, lineOf, listen, type StreamedEvent } from '../support/dashboard-http.js';
import { freshDashboardServerPerTest } from '../support/dashboard-server.js';
import { databaseKinds } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';
import { streamOf, TAKEOVER_PAGE as PAGE, takenOver } from '../support/webcare-takeover.js';

/**
 * Who wrote each outgoing line, through the whole service (engine, flows, outbox, a real database)
 * and the dashboard over real HTTP: the takeover page, its live stream, the chat log and its export
 * name the chatbot as the chatbot and an operator's reply by that operator's name.
 */
const startServer = freshDashboardServerPerTest();
const t = translator(shippedTexts, 'nl');
const LOG = `/dashboard/conversations/${encodeURIComponent('console:anna')}`;

/** The takeover page's transcript as [who, text], in order. */
const takeoverLines = (html: string): string[][] =>
  [
    ...html.matchAll(
      /<li class="dash-transcript__item[^>]*>\s*<p class="utrecht-paragraph"><strong>([^<]*)<\/strong>[^<]*<\/p>\s*<p class="utrecht-paragraph dash-transcript__text">([^<]*)<\/p>/g,
    ),
  ].map((m) => [m[1]!, m[2]!]);

/** The chat log's transcript table as [who, text], in order. */
const logLines = (html: string): string[][] =>
  [
    ...html.matchAll(
      /<tr class="utrecht-table__row dash-line--(?:in|out)">\s*<td[^>]*>.*?<\/td>\s*<td class="utrecht-table__cell">([^<]*)<\/td>\s*<td class="utrecht-table__cell dash-detail">([^<]*)/gs,
    ),
  ].map((m) => [m[1]!, m[2]!]);

const labelled = (e: StreamedEvent) => {
  const data = e.data as { label: string; text: string };
  return [data.label, data.text];
};

describe.each(databaseKinds)(
  'who wrote a line of a taken-over conversation, on $kind',
  ({ kind, available }) => {
    it.skipIf(!available)(
      "the chatbot's lines say Chatbot and an operator's reply says the operator's name, on the takeover page, its stream, the chat log and its export",
      { timeout: 120_000 },
      async () => {
        // Regression: every outgoing line was "Chatbot of medewerker" on the takeover page (and
        // "Spreekuur (bot)" in the chat log, also for an operator's reply): a colleague reading along
        // could not tell what the bot said from what Olga wrote.
        const s = await startServer(kind);
        const { olga, app } = await takenOver(s);
        await s.addAccount({ email: 'piet@rijswijk.nl', name: 'Piet Pieters', role: 'operator' });
        const piet = dashboardHttp(s.url);
        await piet.signIn('piet@rijswijk.nl');
        const stream = await listen(piet, streamOf((await piet.get(PAGE)).text));
        await stream.until((e) => e.event === 'count');

        expect((await olga.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
        await app.settle();
        const streamed = await stream.until(lineOf('Ik zoek het voor u uit.'));
        expect(streamed.filter((e) => e.event === 'line').map(labelled)).toEqual([
          ['Olga Operator', 'Ik zoek het voor u uit.'],
        ]);

        const page = takeoverLines((await piet.get(PAGE)).text);
        const bot = t('dashboard.webcare.side.bot');
        expect(page.at(-1)).toEqual(['Olga Operator', 'Ik zoek het voor u uit.']);
        // What the bot said before the takeover (its welcome, the promise, "a person reads along").
        const others = page.slice(0, -1).filter(([who]) => who !== t('dashboard.webcare.side.in'));
        expect(others.length).toBeGreaterThan(1);
        expect(others.every(([who]) => who === bot)).toBe(true);
        expect(JSON.stringify(page)).not.toContain(t('dashboard.webcare.side.out'));

        const log = logLines((await olga.get(LOG)).text);
        expect(log.at(-1)).toEqual(['Olga Operator', 'Ik zoek het voor u uit.']);
        expect(log.filter(([who]) => who === t('dashboard.conversation.from.bot')).length).toBe(
          others.length,
        );
        const text = (await olga.get(`${LOG}/export.txt`)).text;
        expect(text).toMatch(/\] Olga Operator \([^)]*\):\nIk zoek het voor u uit\./);
      },
    );

    it.skipIf(!available)(
      'a line stored before authors were kept says "Chatbot of medewerker"; a reply of an account that is gone says "Medewerker"',
      { timeout: 120_000 },
      async () => {
        const s = await startServer(kind);
        const { olga, app } = await takenOver(s);
        expect((await olga.post(`${PAGE}/reply`, { text: 'Een antwoord van toen.' })).status).toBe(303);
        expect((await olga.post(`${PAGE}/reply`, { text: 'Van een oud account.' })).status).toBe(303);
        await app.settle();
        // As rows written before this change (text only), and by an account id no one has.
        await app.db.run(async (m) => {
          await sql(m, kind, `UPDATE outbox SET body = ? WHERE body LIKE ?`, [
            JSON.stringify({ text: 'Een antwoord van toen.' }),
            '%Een antwoord van toen.%',
          ]);
          await sql(m, kind, `UPDATE outbox SET body = ? WHERE body LIKE ?`, [
            JSON.stringify({ text: 'Van een oud account.', author: { role: 'operator', id: 'gone' } }),
            '%Van een oud account.%',
          ]);
        });
        expect(takeoverLines((await olga.get(PAGE)).text).slice(-2)).toEqual([
          [t('dashboard.webcare.side.out'), 'Een antwoord van toen.'],
          [t('dashboard.webcare.side.staff'), 'Van een oud account.'],
        ]);
        expect(logLines((await olga.get(LOG)).text).slice(-2)).toEqual([
          [t('dashboard.conversation.from.before'), 'Een antwoord van toen.'],
          [t('dashboard.conversation.from.staff'), 'Van een oud account.'],
        ]);
      },
    );

    it.skipIf(!available)(
      "the resident's own data export says a staff member wrote the reply, and never names the operator",
      { timeout: 120_000 },
      async () => {
        // A resident's access request (AVG art. 15) gets their data. Who at the municipality answered
        // is not: the reply is marked as an operator's (their account id, as the webcare request row
        // holds it), and the name is looked up only where staff read the transcript.
        const s = await startServer(kind);
        const { olga, app, anna } = await takenOver(s);
        expect((await olga.post(`${PAGE}/reply`, { text: 'Ik zoek het voor u uit.' })).status).toBe(303);
        await app.settle();
        const document = await app.commands.privacy.export(anna, 'test');
        // The export shows a stored JSON column as JSON.
        const bodies = (document.data.outbox ?? []).map((row) => row.body);
        expect(bodies).toContainEqual({
          text: 'Ik zoek het voor u uit.',
          author: { role: 'operator', id: expect.any(String) as string },
        });
        expect(JSON.stringify(document)).not.toContain('Olga');
      },
    );
  },
);
