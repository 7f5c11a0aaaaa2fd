import { describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../src/features/cases/working-days.js';
import { formatDate } from '../../src/i18n/format.js';
import { translator } from '../../src/i18n/translator.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import { dashboardHttp } from '../support/dashboard-http.js';
import { freshDashboardServerPerTest } from '../support/dashboard-server.js';
import { databaseKinds } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

/**
 * "Turn the conversation into a case" from a webcare takeover, over real HTTP with the whole service
 * on SQLite and on PostgreSQL: only the operator holding the takeover may; the case gets its
 * reference and answer-by date from the case service the chat's questions use and is routed through
 * the queue (to the department chosen, else by the routing rules); the resident is told the
 * reference in the chat; the case shows on the takeover and conversation pages; it is audited.
 */
const startServer = freshDashboardServerPerTest();

const t = translator(shippedTexts, 'nl');
const m = loadMunicipality('data');
const PAGE = `/dashboard/webcare/${encodeURIComponent('console:anna')}`;
const OLGA = { id: '', name: 'Olga Operator', role: 'operator' as const };

const field = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
const summaryOf = (html: string) => /name="summary"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1];

describe.each(databaseKinds)('a case from a webcare takeover over HTTP on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'the operator makes a case; it is routed, the resident hears its reference, it is linked and audited',
    { timeout: 240_000 },
    async () => {
      const s = await startServer(kind);
      await s.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      await s.addAccount({ email: 'omar@rijswijk.nl', name: 'Omar Operator', role: 'operator' });
      await s.addAccount({ email: 'ahmed@rijswijk.nl', name: 'Ahmed Afval', role: 'department:afval' });
      const { driver, app } = s.t;
      await driver.send('anna', 'hoi');
      await driver.send('anna', 'medewerker');
      await driver.send('anna', 'Mijn container is niet geleegd');
      await driver.send('anna', 'Het is al de tweede week & niemand <b>komt</b>');

      const olga = dashboardHttp(s.url);
      await olga.signIn('olga@rijswijk.nl');
      // Before the takeover there is no form to make a case.
      expect((await olga.get(PAGE)).text).not.toContain('name="summary"');
      expect((await olga.post(`${PAGE}/take`, {})).status).toBe(303);
      const taken = await olga.get(PAGE);
      expect(taken.text).toContain(t('dashboard.webcare.case.heading'));
      // The summary starts from the resident's latest messages, escaped. Regression: it began with
      // "hoi\nmedewerker", words that only asked for a person and became the case's question.
      expect(summaryOf(taken.text)).toBe(
        'Mijn container is niet geleegd\nHet is al de tweede week &amp; niemand &lt;b&gt;komt&lt;/b&gt;',
      );
      for (const topic of m.cases.topics) expect(taken.text).toContain(`<option value="${topic.id}">`);
      expect(taken.text).toContain('<option value="vergunningen">Team Vergunningen</option>');
      const token = field(taken.text, 'token');
      expect(token).toMatch(/^[0-9a-f-]{36}$/);

      // Another operator, a department and a form without the CSRF token cannot make one.
      const omar = dashboardHttp(s.url);
      await omar.signIn('omar@rijswijk.nl');
      await omar.get(PAGE);
      const form = { topic: 'afval', department: 'vergunningen', summary: 'Container niet geleegd', token };
      const refused = await omar.post(`${PAGE}/case`, form);
      expect(refused.status).toBe(409);
      expect(refused.text).toContain(t('dashboard.webcare.error.webcare.not_yours'));
      const ahmed = dashboardHttp(s.url);
      await ahmed.signIn('ahmed@rijswijk.nl');
      expect((await ahmed.post(`${PAGE}/case`, form)).status).toBe(404);
      expect((await olga.post(`${PAGE}/case`, { ...form, _csrf: 'forged' })).status).toBe(403);
      // What the operator filled in is checked.
      await olga.get(PAGE);
      expect((await olga.post(`${PAGE}/case`, { ...form, topic: 'nope' })).status).toBe(400);
      await olga.get(PAGE);
      expect((await olga.post(`${PAGE}/case`, { ...form, department: 'nope' })).status).toBe(400);
      await olga.get(PAGE);
      const empty = await olga.post(`${PAGE}/case`, { ...form, summary: '   ' });
      expect(empty.status).toBe(400);
      expect(empty.text).toContain(t('dashboard.webcare.error.case.text_empty'));
      const viewer = {
        ...OLGA,
        id: (await app.commands.accounts.list()).find((a) => a.name === OLGA.name)!.id,
      };
      expect(await app.uow.run((r) => r.cases.listForResident('console:anna'))).toEqual([]);

      // Made: to the chosen department, whatever the rules say for the topic.
      await olga.get(PAGE);
      const made = await olga.post(`${PAGE}/case`, form);
      expect(made.status).toBe(303);
      const reference = /made=([^#&]+)/.exec(made.location ?? '')?.[1] ?? '';
      expect(reference).toMatch(/^RSW-2026-\d{6}$/);
      // The same form sent twice (a double click) makes one case.
      expect((await olga.post(`${PAGE}/case`, form)).location).toBe(made.location);
      await app.settle();
      const first = (await app.commands.cases.detail(viewer, reference)).case;
      expect(first).toMatchObject({
        residentKey: 'console:anna',
        channel: 'console',
        topic: 'afval',
        text: 'Container niet geleegd',
        status: 'routed',
        assignee: { type: 'department', id: 'vergunningen', name: 'Team Vergunningen' },
      });
      // Its history says the operator made it (the audit log has the same).
      const history = (await app.commands.cases.detail(viewer, reference)).events;
      expect(history.find((e) => e.type === 'created')?.actor).toBe(`staff:${viewer.id}`);
      const rules = { timeZone: m.timeZone, holidays: m.cases.holidays };
      expect(first.answerBy).toEqual(
        addWorkingDays(first.createdAt, m.cases.routing.answerNormWorkingDays, rules),
      );
      const date = formatDate(first.answerBy, 'nl', m.timeZone, first.createdAt);
      expect(s.t.sent.at(-1)).toEqual({ to: 'anna', text: t('webcare.case_made', { reference, date }) });

      // Without a department the routing rules decide, as for a question asked in the chat: here the
      // alderman of the district the chat remembers (set as the district flow leaves it).
      await app.uow.transaction(async (r) => {
        const stored = await r.conversations.lockConversation('console:anna');
        const state = (typeof stored?.state === 'string' ? JSON.parse(stored.state) : stored?.state) as {
          profile?: object;
        };
        const profile = { ...state.profile, districtId: 'oud-rijswijk' };
        await r.conversations.saveState('console:anna', { ...state, profile }, new Date(), {});
      });
      const page = await olga.get(`${PAGE}?made=${reference}`);
      expect(page.text).toContain(t('dashboard.webcare.case.made', { reference }));
      expect(page.text).toContain(`href="/dashboard/cases/${reference}"`);
      const second = await olga.post(`${PAGE}/case`, {
        topic: 'overig',
        department: '',
        summary: 'Tweede vraag',
        token: field(page.text, 'token'),
      });
      const other = /made=([^#&]+)/.exec(second.location ?? '')?.[1] ?? '';
      expect(other).not.toBe(reference);
      await app.settle();
      expect((await app.commands.cases.detail(viewer, other)).case).toMatchObject({
        districtId: 'oud-rijswijk',
        assignee: { type: 'alderman', id: 'anna-de-vries' },
      });

      // Linked to the conversation: its page in the chat logs lists both cases.
      const log = await olga.get(`/dashboard/conversations/${encodeURIComponent('console:anna')}`);
      expect(log.status).toBe(200);
      expect(log.text).toContain(reference);
      expect(log.text).toContain(other);
      // The takeover goes on: the bot stays silent, the operator can still hand back.
      expect(await driver.send('anna', 'Dank u')).toEqual([]);
      expect((await olga.post(`${PAGE}/hand-back`, {})).status).toBe(303);

      const audit = await app.commands.audit.page({ limit: 200 });
      const lines = audit.filter((l) => l.action === 'webcare.case');
      expect(lines.map((l) => [l.subject, (l.detail as { reference?: string } | null)?.reference])).toEqual(
        expect.arrayContaining([
          [app.commands.audit.conversationSubject('console:anna'), reference],
          [app.commands.audit.conversationSubject('console:anna'), other],
        ]),
      );
      expect(lines).toHaveLength(2);
    },
  );
});
