import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { aldermanOf } from '../../features/accounts/roles.js';
import { pageMasker } from '../../features/cases/sensitive.js';
import {
  residentLeft,
  type LiveSessionCommands,
  type LiveSessionState,
  type LiveViewer,
} from '../../features/scheduling/live-session.js';
import type { Booking, TranscriptLine } from '../../ports/booking-repository.js';
import {
  translator,
  type Language,
  type Texts,
  type TextKey,
  type Translate,
} from '../../i18n/translator.js';
import { bookingSubject } from '../../shared/audit-subjects.js';
import { DomainError } from '../../shared/errors.js';
import { liveLineText } from './conversation-export.js';
import { roleMatches, staffOf } from './guards.js';
import { revealGrant, revealGranted } from './reveal-grant.js';
import { resumedFrom, streamEvents, type LiveEvent } from './live-events.js';
import { dashboardDateTime } from './plugin.js';
import type { DashboardSection } from './types.js';

/** What the live-session pages are built from (wired in src/app/dashboard.ts). */
export interface LiveSectionDeps {
  live: Pick<LiveSessionCommands, 'sessions' | 'session' | 'write' | 'end'>;
  texts: Texts;
  aldermen: readonly { id: string; name: string }[];
}

const BASE = '/dashboard/live';
const REFUSED = new Set(['live.empty', 'live.too_long', 'live.upcoming', 'live.ended']);

/** Aldermen run their own sessions; operators and admins may look on. Departments: no such page. */
const liveRoles: preHandlerAsyncHookHandler = async (request, reply) => {
  if (roleMatches(staffOf(request).role, ['alderman', 'operator', 'admin'])) return;
  await reply.notFoundPage();
};

function viewerOf(request: FastifyRequest): LiveViewer {
  const me = staffOf(request);
  return { actor: `staff:${me.id}`, aldermanId: aldermanOf(me.role) };
}

/** Who wrote a line: the resident, or the alderman from their chat or from the dashboard. */
function author(line: TranscriptLine, t: Translate): string {
  if (line.from === 'resident') return t('dashboard.live.side.resident');
  if (line.from === 'alderman')
    return t(line.via === 'dashboard' ? 'dashboard.live.side.dashboard' : 'dashboard.live.side.chat');
  return t('dashboard.live.side.system');
}

/** How a line shows: the resident's on one side, the alderman's on the other, a mark (the resident left) apart. */
function sideOf(line: TranscriptLine): 'in' | 'out' | 'note' {
  if (line.from === 'resident') return 'in';
  return line.from === 'alderman' ? 'out' : 'note';
}

/** The resident as the page names them: their first name, or "the resident". */
function residentName(b: Booking, t: Translate): string {
  return b.residentFirstName?.split(/\s+/)[0] ?? t('dashboard.live.side.resident');
}

/** A transcript line for the page's stream; the resident's words masked unless `masker` reveals them. */
function lineEvent(
  line: TranscriptLine,
  t: Translate,
  masker: Pick<ReturnType<typeof pageMasker>, 'words'>,
  lang: Language,
): LiveEvent {
  return {
    event: 'line',
    data: {
      side: sideOf(line),
      label: author(line, t),
      when: dashboardDateTime(new Date(line.at), lang),
      text: line.from === 'resident' ? masker.words(line.text) : liveLineText(line, t),
    },
  };
}

/** The resident left: the page's status says so, and the reply box's hint where a reply now goes. */
function leftEvent(b: Booking, t: Translate): LiveEvent {
  const resident = residentName(b, t);
  return {
    event: 'left',
    data: {
      text: t('dashboard.live.left_status', { resident }),
      hint: t('dashboard.live.left_hint', { resident }),
    },
  };
}

/** That the session is over, for the one who ran it or for someone looking on. */
function endedText(mayRun: boolean, t: Translate): string {
  return t(mayRun ? 'dashboard.live.live.ended' : 'dashboard.live.live.ended_watch');
}

/** What the page's status says on load: that the session is over, or that the resident left; else nothing. */
function noticeOf(
  state: LiveSessionState,
  mayRun: boolean,
  left: boolean,
  resident: string,
  t: Translate,
): string {
  if (state === 'ended') return endedText(mayRun, t);
  return left ? t('dashboard.live.left_status', { resident }) : '';
}

/** The session is over: the page's state and status say so (the status is the one that is announced). */
function endedEvent(mayRun: boolean, t: Translate): LiveEvent {
  return {
    event: 'ended',
    data: {
      state: t('dashboard.live.state.ended'),
      text: endedText(mayRun, t),
      unsent: t('dashboard.live.unsent'),
    },
  };
}

/**
 * Where a session page's stream starts: after the `seen` transcript lines the page has, in the
 * `state` it shows. A reconnecting browser says it in `Last-Event-ID` (`<lines>.<state>`, the id of
 * the last event it got); a new stream takes them from its URL (`n`, `state`), as the page was built.
 */
function resumePoint(request: FastifyRequest): { seen: number; state: LiveSessionState | 'unknown' } {
  const resumed = resumedFrom(request, /^(\d{1,9})\.(upcoming|open|ended)$/);
  const query = request.query as Record<string, unknown>;
  const [seen, state] = resumed ? [resumed[1], resumed[2]] : [query.n, query.state];
  return {
    seen: Number(seen) || 0,
    // A state the session cannot be in makes the stream send what it has once and end.
    state: state === 'upcoming' || state === 'open' || state === 'ended' ? state : 'unknown',
  };
}

/** The alderman's live chat sessions: the one of now or next, its transcript live, a reply box and the end. */
export function liveSection(deps: LiveSectionDeps): DashboardSection {
  const names = new Map(deps.aldermen.map((a) => [a.id, a.name]));
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const page = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

  /** A refusal says why and leads back to the session; `unsent`: the reply that was not sent, to copy. */
  const failed = async (request: FastifyRequest, reply: FastifyReply, error: unknown, unsent = '') => {
    if (!(error instanceof DomainError)) throw error;
    if (error.code === 'booking.not-found') return reply.notFoundPage();
    if (!REFUSED.has(error.code)) throw error;
    const t = translator(deps.texts, request.dashboardLang);
    return reply
      .code(error.code === 'live.empty' || error.code === 'live.too_long' ? 400 : 409)
      .page('live-refused', {
        title: t('dashboard.live.error_title'),
        message: t(`dashboard.live.error.${error.code}` as TextKey),
        unsent: unsent.trim(),
        back: page(idOf(request)),
      });
  };

  /** The session's page; `reveal`: the alderman whose session it is chose to see the masked numbers (audited by the caller). */
  const sessionPage = async (request: FastifyRequest, reply: FastifyReply, reveal: boolean) => {
    const t = translator(deps.texts, request.dashboardLang);
    let found;
    try {
      found = await deps.live.session(viewerOf(request), idOf(request));
    } catch (error) {
      return failed(request, reply, error);
    }
    const b = found.booking;
    await request.audit('live.view', bookingSubject(b.reference));
    const revealed = reveal && found.mayRun;
    const masker = pageMasker(revealed);
    const resident = residentName(b, t);
    const left = found.state === 'open' && residentLeft(b.transcript);
    return reply.page('live-session', {
      title: t('dashboard.live.session_title', { reference: b.reference }),
      action: page(b.id),
      // An ended session changes no more: its page listens to no stream.
      live:
        found.state === 'ended'
          ? ''
          : `${page(b.id)}/events?n=${b.transcript.length}&state=${found.state}${revealGrant(request, reply, b.id, revealed)}`,
      state: found.state,
      stateText: t(`dashboard.live.state.${found.state}`),
      // The owner's reply box is on the page before the start too, hidden: the stream shows it.
      mayRun: found.mayRun && found.state !== 'ended',
      upcoming: found.state === 'upcoming',
      start: b.slotStart,
      end: b.slotEnd,
      alderman: names.get(b.aldermanId) ?? b.aldermanId,
      resident,
      // Without script, a reload says it; with it, the stream does (the 'left' and 'ended' events).
      notice: noticeOf(found.state, found.mayRun, left, resident, t),
      replyHint: left ? t('dashboard.live.left_hint', { resident }) : t('dashboard.live.reply_hint'),
      // The resident's own words; what the alderman and the service wrote is shown as is.
      topic: masker.words(b.topic),
      lines: b.transcript.map((line) => ({
        side: sideOf(line),
        who: author(line, t),
        at: new Date(line.at),
        text: line.from === 'resident' ? masker.words(line.text) : liveLineText(line, t),
      })),
      // Read after the fields above were built: true when one of them masked a number.
      hidden: found.mayRun && masker.hidden,
      revealed,
    });
  };

  return {
    nav: [
      {
        href: BASE,
        label: 'dashboard.nav.live',
        visible: (account) => roleMatches(account.role, ['alderman', 'operator', 'admin']),
      },
    ],
    routes(scope) {
      scope.get('/live', { preHandler: liveRoles }, async (request, reply) => {
        const t = translator(deps.texts, request.dashboardLang);
        const sessions = await deps.live.sessions(viewerOf(request));
        return reply.page('live-sessions', {
          title: t('dashboard.live.title'),
          rows: sessions.map(({ booking: b, state }) => ({
            href: page(b.id),
            reference: b.reference,
            start: b.slotStart,
            alderman: names.get(b.aldermanId) ?? b.aldermanId,
            resident: residentName(b, t),
            topic: pageMasker(false).words(b.topic),
            state: t(`dashboard.live.state.${state}`),
          })),
        });
      });

      scope.get('/live/:id', { preHandler: liveRoles }, (request, reply) =>
        sessionPage(request, reply, false),
      );

      // Numbers the resident should not have sent (BSN, IBAN, phone) show masked, as on the case page;
      // the alderman whose session it is may show them for this page view and its live lines, audited.
      scope.post('/live/:id/reveal', { preHandler: liveRoles }, async (request, reply) => {
        let found;
        try {
          found = await deps.live.session(viewerOf(request), idOf(request));
        } catch (error) {
          return failed(request, reply, error);
        }
        if (!found.mayRun) return reply.notFoundPage();
        await request.audit('live.reveal', bookingSubject(found.booking.reference));
        return sessionPage(request, reply, true);
      });

      // The session, live: the resident's new lines (and the alderman's own from their chat), a
      // 'left' when the resident leaves, an 'opened' when it opens (the page shows its reply box
      // then), and an 'ended' that ends the stream when it is over (the page takes its reply box away).
      // Each of them carries where the page is (see `resumePoint`); the page's script stops listening
      // at 'ended', and a browser that still comes back after it gets 204, which stops it for good.
      scope.get('/live/:id/events', { preHandler: liveRoles }, async (request, reply) => {
        const viewer = viewerOf(request);
        const id = idOf(request);
        try {
          await deps.live.session(viewer, id);
        } catch (error) {
          return failed(request, reply, error);
        }
        let { seen, state } = resumePoint(request);
        if (state === 'ended') return reply.code(204).send();
        const t = translator(deps.texts, request.dashboardLang);
        const granted = revealGranted(request, reply, id);
        let ended = false;
        return streamEvents(request, reply, async () => {
          if (ended) return null;
          const found = await deps.live.session(viewer, id).catch(() => null);
          const masker = pageMasker(granted && found?.mayRun === true);
          const events: LiveEvent[] = [];
          // Opened first: what the resident wrote since came after it.
          if (found?.state === 'open' && state === 'upcoming') {
            state = 'open';
            const text = t(found.mayRun ? 'dashboard.live.live.opened' : 'dashboard.live.live.opened_watch');
            const data = { state: t('dashboard.live.state.open'), text };
            events.push({ event: 'opened', data, id: `${seen}.open` });
          }
          for (const line of found?.booking.transcript.slice(seen) ?? []) {
            seen += 1;
            const shown = lineEvent(line, t, masker, request.dashboardLang);
            // The mark and the 'left' it brings are one step: the id goes on the second.
            if (found?.state !== 'open' || line.event !== 'resident-left')
              events.push({ ...shown, id: `${seen}.${state}` });
            else events.push(shown, { ...leftEvent(found.booking, t), id: `${seen}.${state}` });
          }
          if (found?.state === state) return events;
          ended = true;
          if (found?.state === 'ended') {
            events.push({ ...endedEvent(found.mayRun, t), id: `${seen}.ended` });
            return events;
          }
          const key = found?.state === 'open' ? 'dashboard.live.live.opened' : 'dashboard.live.live.ended';
          events.push({ event: 'notice', data: { text: t(key) } });
          return events;
        });
      });

      scope.post('/live/:id/reply', { preHandler: liveRoles }, async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const text = typeof body.text === 'string' ? body.text : '';
        try {
          await deps.live.write(viewerOf(request), idOf(request), text);
        } catch (error) {
          return failed(request, reply, error, text);
        }
        return reply.redirect(`${page(idOf(request))}#reply-text`, 303);
      });

      scope.post('/live/:id/end', { preHandler: liveRoles }, async (request, reply) => {
        try {
          await deps.live.end(viewerOf(request), idOf(request));
        } catch (error) {
          return failed(request, reply, error);
        }
        return reply.redirect(page(idOf(request)), 303);
      });
    },
  };
}
