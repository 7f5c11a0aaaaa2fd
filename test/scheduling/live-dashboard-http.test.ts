import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { bookFirstSlot } from '../support/app-driver.js';
import {
  dashboardHttp,
  lastEventId,
  lineOf,
  listen,
  named,
  type DashboardHttp,
} from '../support/dashboard-http.js';
import { freshDashboardServerPerTest, type DashboardServer } from '../support/dashboard-server.js';
import { databaseKinds } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

/**
 * An alderman runs a booked chat session from the dashboard instead of their phone, over real HTTP
 * with the whole service on SQLite and on PostgreSQL: the resident's lines reach the page, the
 * alderman's reach the resident's chat, and ending it is the same end as from the chat (stored,
 * the resident told and asked for a rating, once).
 */
const startServer = freshDashboardServerPerTest();

const t = translator(shippedTexts, 'nl');
/** Fatma Yilmaz's chat session on Friday 4 December 2026, 09:00 in Rijswijk. */
const SLOT_START = Date.parse('2026-12-04T08:00:00Z');

async function start(kind: 'sqlite' | 'postgres'): Promise<DashboardServer> {
  const s = await startServer(kind);
  await s.addAccount({ email: 'fatma@rijswijk.nl', name: 'Fatma Yilmaz', role: 'alderman:fatma-yilmaz' });
  await s.addAccount({ email: 'anna@rijswijk.nl', name: 'Anna de Vries', role: 'alderman:anna-de-vries' });
  await s.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
  await s.addAccount({ email: 'ahmed@rijswijk.nl', name: 'Ahmed Afval', role: 'department:afval' });
  return s;
}

const textsTo = (sent: { to: string; text: string }[], to: string) =>
  sent.filter((m) => m.to === to).map((m) => m.text);

/** Resident r1's booked chat session with Fatma Yilmaz, and Fatma signed in to the dashboard. */
interface LiveSession {
  s: DashboardServer;
  fatma: DashboardHttp;
  /** The session's page. */
  href: string;
  /** The booking's reference, as the resident was told it. */
  reference: string;
  /** Advances the clock to the slot's start (the resident's session opens) and signs Fatma in again; what was sent meanwhile. */
  open(): Promise<{ to: string; text: string }[]>;
}

/** Books r1's session with Fatma Yilmaz (`phone`: Fatma linked her chat first, as a1); not started yet. */
async function bookLiveSession(kind: 'sqlite' | 'postgres', options: { phone?: boolean } = {}) {
  const s = await start(kind);
  const { driver } = s.t;
  if (options.phone) await driver.send('a1', `koppel ${await driver.staffCode!('fatma-yilmaz')}`);
  const booked = await bookFirstSlot(driver, 'r1');
  const reference = /AFS-[A-Z0-9]+/.exec(booked.map((m) => m.text).join('\n'))?.[0] ?? '';
  expect(reference).not.toBe('');
  const fatma = dashboardHttp(s.url);
  await fatma.signIn('fatma@rijswijk.nl');
  const href = /href="(\/dashboard\/live\/[^"]+)"/.exec((await fatma.get('/dashboard/live')).text)?.[1] ?? '';
  expect(href).not.toBe('');
  const session: LiveSession = {
    s,
    fatma,
    href,
    reference,
    async open() {
      const sent = await driver.advance!(SLOT_START - s.t.clock.now().getTime());
      // (Three days passed on the clock: the dashboard session expired.)
      await fatma.signIn('fatma@rijswijk.nl');
      return sent;
    },
  };
  return session;
}

/** As `bookLiveSession`, and the session open; `atStart`: what was sent at its start. */
async function openLiveSession(kind: 'sqlite' | 'postgres', options: { phone?: boolean } = {}) {
  const session = await bookLiveSession(kind, options);
  return { ...session, atStart: await session.open() };
}

/** The page's live stream URL; another `state` makes the stream send what it has once and end. */
function streamOf(html: string, state?: string): string {
  const url = (/data-live="([^"]+)"/.exec(html)?.[1] ?? '').replaceAll('&amp;', '&');
  expect(url).not.toBe('');
  return state ? url.replace('state=open', `state=${state}`) : url;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The session is over: the stream of the page opened during it says so (and ends), the page without
 * script has the same words in its status and no reply box, and a reply is refused kindly: not sent,
 * why, its text back to copy, the way back to the session; the resident gets nothing.
 */
async function expectEnded({ s, fatma, href }: LiveSession, stream: string): Promise<void> {
  const live = await fatma.get(stream);
  expect(live.text).toContain('event: ended');
  expect(live.text).toContain(JSON.stringify(t('dashboard.live.live.ended')));
  const page = await fatma.get(href);
  expect(page.text).toContain(t('dashboard.live.state.ended'));
  expect(page.text).toMatch(
    new RegExp(`role="status" data-live-status>${escaped(t('dashboard.live.live.ended'))}<`),
  );
  expect(page.text).not.toContain('name="text"');
  expect(page.text).not.toContain('data-live=');
  const count = s.t.sent.length;
  const refused = await fatma.post(`${href}/reply`, { text: 'Bent u er nog?' });
  expect(refused.status).toBe(409);
  expect(refused.text).toContain(t('dashboard.live.error.live.ended'));
  expect(refused.text).toContain(t('dashboard.live.unsent'));
  expect(refused.text).toContain('Bent u er nog?');
  expect(refused.text).toContain(`href="${href}"`);
  await s.t.app.settle();
  expect(textsTo(s.t.sent.slice(count), 'r1')).toEqual([]);
}

describe.each(databaseKinds)('the live session from the dashboard on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'the alderman (no phone linked) opens the session at its start, writes to the resident and ends it; others get 404',
    { timeout: 240_000 },
    async () => {
      const session = await bookLiveSession(kind);
      const { s, fatma, href, reference } = session;
      const { driver, app } = s.t;
      const list = await fatma.get('/dashboard/live');
      expect(list.status).toBe(200);
      expect(list.text).toContain(reference);
      expect(list.text).toContain('De speeltuin');

      // Before the start: the page says when it opens; its reply box is there but hidden (the
      // page's script shows it at the start), and writing is refused.
      const before = await fatma.get(href);
      expect(before.status).toBe(200);
      expect(before.text).toContain(t('dashboard.live.state.upcoming'));
      expect(before.text).toMatch(/<div data-live-run hidden>\s*<form method="post" action="[^"]+\/reply">/);
      expect(before.text.match(/name="text"/g)).toHaveLength(1);
      const early = await fatma.post(`${href}/reply`, { text: 'Bent u er al?' });
      expect(early.status).toBe(409);
      expect(early.text).toContain(t('dashboard.live.error.live.upcoming'));

      // Another alderman, a department: not found. An operator may look on, not write or end.
      const anna = dashboardHttp(s.url);
      await anna.signIn('anna@rijswijk.nl');
      expect((await anna.get('/dashboard/live')).text).not.toContain(reference);
      expect((await anna.get(href)).status).toBe(404);
      expect((await anna.get(`${href}/events?n=0&state=upcoming`)).status).toBe(404);
      const ahmed = dashboardHttp(s.url);
      await ahmed.signIn('ahmed@rijswijk.nl');
      expect((await ahmed.get('/dashboard/live')).status).toBe(404);
      expect((await ahmed.get(href)).status).toBe(404);
      const olga = dashboardHttp(s.url);
      await olga.signIn('olga@rijswijk.nl');
      expect((await olga.get('/dashboard/live')).text).toContain(reference);
      const looking = await olga.get(href);
      expect(looking.status).toBe(200);
      expect(looking.text).not.toContain('data-live-run');
      expect(looking.text).not.toContain('name="text"');

      // The slot starts: the resident is connected to the alderman on the dashboard, not told nobody is there.
      const atStart = await session.open();
      const toResident = textsTo(atStart, 'r1').join('\n');
      expect(toResident).toContain('begint nu');
      expect(toResident).not.toContain(t('live.no_alderman'));
      // What the resident writes goes nowhere but the session's transcript (no chat to relay it to).
      expect(await driver.send('r1', 'Goedemorgen, het gaat over de speeltuin.')).toEqual([]);

      // (Three days passed on the clock: the dashboard sessions expired.)
      for (const [who, email] of [
        [anna, 'anna@rijswijk.nl'],
        [olga, 'olga@rijswijk.nl'],
      ] as const)
        await who.signIn(email);
      const during = await fatma.get(href);
      expect(during.text).toContain(t('dashboard.live.state.open'));
      expect(during.text).toContain('Goedemorgen, het gaat over de speeltuin.');
      expect(during.text).toContain('<div data-live-run>');
      expect(during.text).toContain('name="text"');
      expect((await anna.post(`${href}/reply`, { text: 'Ik ben Anna' })).status).toBe(404);
      await olga.get(href);
      expect((await olga.post(`${href}/reply`, { text: 'Ik ben Olga' })).status).toBe(404);
      expect((await olga.post(`${href}/end`, {})).status).toBe(404);
      await fatma.get(href);
      expect((await fatma.post(`${href}/reply`, { text: '   ' })).status).toBe(400);

      await fatma.get(href);
      const sent = await fatma.post(`${href}/reply`, { text: 'Goedemorgen! Vertelt u maar.' });
      expect(sent.status).toBe(303);
      await app.settle();
      expect(s.t.sent.at(-1)).toEqual({ to: 'r1', text: 'Goedemorgen! Vertelt u maar.' });
      const page = await fatma.get(href);
      expect(page.text).toContain(`<strong>${t('dashboard.live.side.dashboard')}</strong>`);
      expect(page.text).toContain(`<strong>${t('dashboard.live.side.resident')}</strong>`);

      // Ending it: the resident is told and asked for a rating, as when the alderman types 'einde'.
      const stream = streamOf(page.text);
      const count = s.t.sent.length;
      expect((await fatma.post(`${href}/end`, {})).status).toBe(303);
      await app.settle();
      const told = textsTo(s.t.sent.slice(count), 'r1');
      expect(told.join('\n')).toContain('afgelopen');
      expect(s.t.sent.at(-1)?.choices?.length).toBeGreaterThanOrEqual(5);
      expect((await driver.send('r1', '4')).map((m) => m.text).join('\n')).toContain(t('live.rated'));
      await expectEnded(session, stream);
      await fatma.get(href);
      expect((await fatma.post(`${href}/end`, {})).status).toBe(409);
      // The end timer later tells no one again.
      const later = await driver.advance!(30 * 60_000);
      expect(textsTo(later, 'r1').join('\n')).not.toContain('afgelopen');

      // The chat log shows who wrote what, and that the alderman wrote from the dashboard.
      const log = await olga.get(`/dashboard/conversations/${encodeURIComponent('console:r1')}`);
      expect(log.status).toBe(200);
      expect(log.text).toContain(
        `${t('dashboard.conversation.from.alderman')} ${t('dashboard.conversation.via_dashboard')}: Goedemorgen! Vertelt u maar.`,
      );
      expect(log.text).toContain(
        `${t('dashboard.conversation.from.resident')}: Goedemorgen, het gaat over de speeltuin.`,
      );
      // Regression: in the resident's messages above it, the alderman's line was "Spreekuur (bot)".
      expect(log.text).toMatch(
        new RegExp(
          `<td class="utrecht-table__cell">${t('dashboard.conversation.from.alderman_named', { name: 'Fatma Yilmaz' })}</td>\\s*<td class="utrecht-table__cell dash-detail">Goedemorgen! Vertelt u maar.<`,
        ),
      );
      const audit = (await app.commands.audit.page({ limit: 200 })).map((l) => l.action);
      for (const action of ['live.view', 'live.write', 'live.end']) expect(audit).toContain(action);
    },
  );

  it.skipIf(!available)(
    'a resident who leaves with menu is shown as gone (page, live stream, log); a reply then reaches their chat saying who wrote it',
    { timeout: 240_000 },
    async () => {
      const { s, fatma, href, reference } = await openLiveSession(kind);
      const { driver, app } = s.t;
      await driver.send('r1', 'Goedemorgen.');
      const resident = t('dashboard.live.side.resident');
      const during = await fatma.get(href);
      expect(during.text).toContain(t('dashboard.live.reply_hint'));
      expect(during.text).not.toContain(t('dashboard.live.left_status', { resident }));
      const stream = streamOf(during.text, 'gone');

      // The resident goes to the menu: the bot answers them, the session's transcript marks it.
      const left = await driver.send('r1', 'menu');
      expect(left.map((m) => m.text).join('\n')).toContain(t('core.menu.prompt'));
      // The page, as a reload (or a browser without script) shows it: the mark, the status, the hint.
      const after = await fatma.get(href);
      expect(after.text).toContain(t('dashboard.live.line.left'));
      expect(after.text).toMatch(
        new RegExp(`role="status" data-live-status>${t('dashboard.live.left_status', { resident })}<`),
      );
      expect(after.text).toContain(t('dashboard.live.left_hint', { resident }));
      expect(after.text).not.toContain(t('dashboard.live.reply_hint'));
      // The open page's stream sends the mark as a line and a 'left' event with the same words.
      const live = await fatma.get(stream);
      expect(live.text).toContain('event: left');
      expect(live.text).toContain(JSON.stringify(t('dashboard.live.left_hint', { resident })));
      expect(live.text).toContain(`"side":"note"`);

      // A reply still reaches the resident's chat, with who wrote it, as the page says.
      const count = s.t.sent.length;
      expect((await fatma.post(`${href}/reply`, { text: 'Jammer, tot ziens.' })).status).toBe(303);
      await app.settle();
      expect(textsTo(s.t.sent.slice(count), 'r1')).toEqual([
        t('live.say_after_left', { alderman: 'Fatma Yilmaz', reference, text: 'Jammer, tot ziens.' }),
      ]);

      // The conversation log shows the mark in the session's transcript.
      const olga = dashboardHttp(s.url);
      await olga.signIn('olga@rijswijk.nl');
      const log = await olga.get(`/dashboard/conversations/${encodeURIComponent('console:r1')}`);
      expect(log.text).toContain(t('dashboard.live.line.left'));
    },
  );

  it.skipIf(!available)(
    'a resident who stops during the session ends it on the page: no reply box, a reply refused',
    { timeout: 240_000 },
    async () => {
      const session = await openLiveSession(kind);
      const { s, fatma, href } = session;
      const { driver } = s.t;
      await driver.send('r1', 'Goedemorgen.');
      const stream = streamOf((await fatma.get(href)).text);
      await driver.send('r1', 'stop');
      // Asked whether to stop: left the session, not stopped yet.
      const asked = await fatma.get(href);
      expect(asked.text).toContain(t('dashboard.live.line.left'));
      expect(asked.text).toContain('name="text"');
      // Stopping cancels their appointments, this one too: the session is over, writing refused.
      expect((await driver.send('r1', 'ja')).map((m) => m.text).join('\n')).toContain(t('stop.done'));
      await expectEnded(session, stream);
    },
  );

  it.skipIf(!available)(
    "the slot's time runs out: the session ends on the page too (its stream, a reload), a reply refused",
    { timeout: 240_000 },
    async () => {
      const session = await openLiveSession(kind);
      const { s, fatma, href } = session;
      await s.t.driver.send('r1', 'Goedemorgen.');
      const page = await fatma.get(href);
      expect(page.text).toContain('name="text"');
      const stream = streamOf(page.text);
      // The end timer runs a minute after the slot's end (a slot of 10 minutes): the resident is told.
      const later = await s.t.driver.advance!(12 * 60_000);
      expect(textsTo(later, 'r1').join('\n')).toContain('afgelopen');
      await expectEnded(session, stream);
    },
  );

  it.skipIf(!available)(
    "a page whose stream dropped (Last-Event-ID) gets only what came after: lines written meanwhile, the start and the resident's leaving once; after the end, 204",
    { timeout: 240_000 },
    async () => {
      // Regression: the stream's URL says what the page had when it was built (n=, state=), and
      // events carried no id, so a browser reconnecting after a drop got every line, the start and
      // the 'left' again, and showed and announced them twice.
      const session = await bookLiveSession(kind);
      const { s, fatma, href } = session;
      const url = streamOf((await fatma.get(href)).text);
      expect(url).toContain('state=upcoming');
      await session.open();
      await s.t.driver.send('r1', 'Eerste regel.');
      const first = await listen(fatma, url);
      const before = await first.until(lineOf('Eerste regel.'));
      expect(before.map(named).filter((e) => e === 'opened')).toHaveLength(1);
      expect(before.at(-1)?.id).toMatch(/^\d+\.open$/);
      first.close();

      // Written while the page was away; the browser comes back with the id of the last event it got.
      await s.t.driver.send('r1', 'Tweede regel.');
      const again = await listen(fatma, url, lastEventId(before));
      expect(again.status).toBe(200);
      expect((await again.until(lineOf('Tweede regel.'))).map(named)).toEqual(['line: Tweede regel.']);
      // The resident leaves: the mark and the 'left' are one step, with one id on the second.
      await s.t.driver.send('r1', 'menu');
      const left = await again.until((e) => e.event === 'left');
      expect(left.map(named)).toEqual([`line: ${t('dashboard.live.line.left')}`, 'left']);
      expect(left[0]?.id).toBeUndefined();
      expect(left[1]?.id).toMatch(/^\d+\.open$/);
      again.close();

      // Without an id it knows (a new page, or an id not its own) the stream starts where the URL says.
      for (const id of [undefined, 'bogus', '2.closed']) {
        const fresh = await listen(fatma, url, id);
        const all = (await fresh.until((e) => e.event === 'left')).map(named);
        expect(all).toContain('opened');
        expect(all).toContain('line: Eerste regel.');
        expect(all).toContain('line: Tweede regel.');
        fresh.close();
      }

      // Ended while the page was away: coming back it hears that, and nothing it had again.
      await fatma.get(href);
      expect((await fatma.post(`${href}/end`, {})).status).toBe(303);
      const back = await listen(fatma, url, lastEventId(left));
      const after = await back.until((e) => e.event === 'ended');
      for (const had of ['line: Eerste regel.', 'line: Tweede regel.', 'opened', 'left'])
        expect(after.map(named)).not.toContain(had);
      expect(after.at(-1)?.id).toMatch(/^\d+\.ended$/);
      back.close();
      // A browser that still comes back after the end is told there is no more (204 stops an EventSource).
      const over = await listen(fatma, url, lastEventId(after));
      expect(over.status).toBe(204);
      over.close();
    },
  );

  it.skipIf(!available)(
    "a stopping server (SIGTERM, a restart) ends an open page's stream instead of waiting for the browser to leave",
    { timeout: 240_000 },
    async () => {
      // Regression: a stream polls until the browser leaves, and closing the HTTP server waits for
      // every open request, so one alderman's open page held a stopping process for as long as it stayed.
      const { s, fatma, href } = await openLiveSession(kind);
      await s.t.driver.send('r1', 'Goedemorgen.');
      const open = await listen(fatma, streamOf((await fatma.get(href)).text));
      expect(open.status).toBe(200);
      await s.server.close();
      // Ended: the browser connects again (to another process, or this one when it is back) and resumes.
      await expect(open.until(() => false)).rejects.toThrow(/the stream ended/);
    },
  );

  it.skipIf(!available)(
    "shows the resident's BSN, IBAN and phone number masked on the page and in live lines until the alderman whose session it is reveals them (audited)",
    { timeout: 240_000 },
    async () => {
      const { s, fatma, href } = await openLiveSession(kind);
      const { driver, app } = s.t;
      const QUESTION =
        'Mijn BSN is 111222333 en bel mij op 06-12345678. Terugbetalen op NL91 ABNA 0417 1643 00.';
      const MASKED =
        'Mijn BSN is •••••••33 en bel mij op ••-••••••78. Terugbetalen op •••• •••• •••• •••• 00.';
      const SECRETS = ['111222333', '12345678', 'ABNA'];
      await driver.send('r1', QUESTION);

      const page = await fatma.get(href);
      expect(page.text).toContain(MASKED);
      for (const secret of SECRETS) expect(page.text).not.toContain(secret);
      expect(page.text).toContain(t('dashboard.case.reveal'));
      // A live line, as the page's stream sends it: a state the session is not in makes the stream
      // send what it has once, with a notice, and end.
      const liveUrl = (html: string) => streamOf(html, 'gone');
      const masked = await fatma.get(liveUrl(page.text).replace(/n=\d+/, 'n=0'));
      expect(masked.text).toContain('event: line');
      expect(masked.text).toContain(MASKED);
      for (const secret of SECRETS) expect(masked.text).not.toContain(secret);

      // An operator looking on sees them masked and is offered no reveal.
      const olga = dashboardHttp(s.url);
      await olga.signIn('olga@rijswijk.nl');
      const looking = await olga.get(href);
      expect(looking.text).toContain(MASKED);
      expect(looking.text).not.toContain(t('dashboard.case.reveal'));

      // Another alderman: 404; a forged CSRF token: 403; neither is logged nor shows the numbers.
      const anna = dashboardHttp(s.url);
      await anna.signIn('anna@rijswijk.nl');
      await anna.get('/dashboard/live');
      const refused = await anna.post(`${href}/reveal`, {});
      expect(refused.status).toBe(404);
      expect(refused.text).not.toContain('111222333');
      const forged = await fatma.post(`${href}/reveal`, { _csrf: 'forged' });
      expect(forged.status).toBe(403);
      expect(forged.text).not.toContain('111222333');
      const reveals = async () =>
        (await app.commands.audit.page({ limit: 200 })).filter((l) => l.action === 'live.reveal');
      expect(await reveals()).toEqual([]);

      // The owner reveals: the page and its live lines (with the page's signed grant) show them in full.
      await fatma.get(href);
      const revealed = await fatma.post(`${href}/reveal`, {});
      expect(revealed.status).toBe(200);
      expect(revealed.text).toContain(QUESTION);
      expect(revealed.text).toContain(t('dashboard.case.revealed'));
      const grant = liveUrl(revealed.text);
      expect(grant).toContain('reveal=');
      await driver.send('r1', 'Of bel 070 123 45 67');
      const shown = await fatma.get(grant);
      expect(shown.text).toContain('Of bel 070 123 45 67');
      expect(shown.text).not.toContain('•');
      const audited = await reveals();
      expect(audited).toHaveLength(1);
      expect(audited[0]?.subject).toMatch(/^booking:AFS-/);

      // The grant is the owner's, for this page view: the operator's stream with it stays masked,
      // as does a forged grant, and the owner's page on its next view.
      expect((await olga.get(grant)).text).toContain('Of bel ••• ••• •• 67');
      const tampered = await fatma.get(grant.replace(/reveal=[^&]+/, 'reveal=forged'));
      expect(tampered.text).toContain('Of bel ••• ••• •• 67');
      const again = await fatma.get(href);
      expect(again.text).toContain(MASKED);
      expect(again.text).not.toContain('070 123 45 67');
    },
  );

  it.skipIf(!available)(
    'with a phone linked, the dashboard shows the session too, and ending it there ends it on the phone',
    { timeout: 240_000 },
    async () => {
      const { s, fatma, href, atStart } = await openLiveSession(kind, { phone: true });
      const { driver } = s.t;
      expect(textsTo(atStart, 'a1').join('\n')).toMatch(/Spreekuur AFS-[A-Z0-9]+ begint nu/);
      // The resident's line reaches the phone, and the dashboard's transcript.
      const relayed = await driver.send('r1', 'Hallo wethouder');
      expect(textsTo(relayed, 'a1').join('\n')).toContain('Hallo wethouder');
      // The alderman answers from the phone, then carries on from the dashboard.
      expect(textsTo(await driver.send('a1', 'Hallo, vanaf mijn telefoon.'), 'r1')).toEqual([
        'Hallo, vanaf mijn telefoon.',
      ]);
      const page = await fatma.get(href);
      expect(page.text).toContain('Hallo wethouder');
      expect(page.text).toContain(`<strong>${t('dashboard.live.side.chat')}</strong>`);
      const count = s.t.sent.length;
      expect((await fatma.post(`${href}/end`, {})).status).toBe(303);
      await s.t.app.settle();
      const after = s.t.sent.slice(count);
      expect(textsTo(after, 'r1').join('\n')).toContain('afgelopen');
      // The phone leaves the session: what the alderman types there no longer reaches the resident.
      expect(textsTo(after, 'a1').length).toBeGreaterThan(0);
      expect(textsTo(await driver.send('a1', 'Nog iets'), 'r1')).toEqual([]);
    },
  );
});
