import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { aldermanOf, type StaffAccount } from '../../features/accounts/roles.js';
import type { AgendaDay } from '../../features/scheduling/agenda.js';
import type { CancellationResult } from '../../features/scheduling/cancellations.js';
import type { HoursCancellation } from '../../ports/hours-cancellation-repository.js';
import { languages, translator, type Language, type Texts, type TextKey } from '../../i18n/translator.js';
import { DomainError } from '../../shared/errors.js';
import { roleMatches, staffOf } from './guards.js';
import type { DashboardSection } from './types.js';
import { formatDate, formatTime } from '../../i18n/format.js';

/** What the agenda pages are built from (wired in src/app/dashboard.ts). */
export interface AgendaSectionDeps {
  scheduling: {
    agenda(aldermanId?: string): Promise<AgendaDay[]>;
    pendingCancellations(aldermanId?: string): Promise<HoursCancellation[]>;
    cancelDay(request: {
      aldermanId: string;
      localDate: string;
      reason?: string;
      actor: string;
    }): Promise<CancellationResult>;
    cancelBooking(request: {
      bookingId: string;
      aldermanId?: string;
      reason?: string;
      actor: string;
    }): Promise<CancellationResult>;
    undoCancellation(request: {
      cancellationId: string;
      aldermanId?: string;
      actor: string;
    }): Promise<HoursCancellation>;
  };
  texts: Texts;
  aldermen: readonly { id: string; name: string }[];
  /** The municipality's zone: every time on the page is local there. */
  timeZone: string;
}

const BASE = '/dashboard/agenda';
const ERRORS = new Set([
  'hours.date-past',
  'hours.no-session',
  'hours.cancellation-not-found',
  'hours.already-told',
  'hours.already-undone',
  'booking.not-found',
  'booking.not-active',
  'booking.started',
  'booking.slot-taken',
  'booking.no-slot',
  'reason-missing',
]);
const REASON_MAX = 500;

/** Aldermen see their own agenda; operators and admins every alderman's. Departments: no such page. */
const agendaRoles: preHandlerAsyncHookHandler = async (request, reply) => {
  if (roleMatches(staffOf(request).role, ['alderman', 'operator', 'admin'])) return;
  await reply.notFoundPage();
};

/** The alderman an account acts for: its own (an alderman), or the one asked for (staff who see all). */
function scopeOf(account: StaffAccount, asked: unknown): { own: string | null; shown: string | undefined } {
  const own = aldermanOf(account.role);
  if (own !== null) return { own, shown: own };
  return { own: null, shown: typeof asked === 'string' && asked !== '' ? asked : undefined };
}

/** The agenda's dates ("donderdag 3 december 2026": no `now`, so always with the year) and times. */
function formats(lang: Language, timeZone: string) {
  return {
    // Noon UTC lies on the same calendar day in every European zone.
    date: (localDate: string) => formatDate(new Date(`${localDate}T12:00:00Z`), lang, timeZone),
    time: (at: Date) => formatTime(at, lang, timeZone),
  };
}

/**
 * What a session's line says beside its kind: the place, unless it adds nothing. A chat session
 * happens in the chat each resident booked from (WhatsApp, Telegram, the web chat), as `placeText`
 * tells the resident, so its place in the hours data is not shown; and a place that only names the
 * kind again ("Telefoon" for a phone session, in any language) made the line read "Telefoon, Telefoon".
 */
export function placeBesideKind(texts: Texts, kind: string, place: string): string | null {
  if (kind === 'chat') return null;
  const fold = (text: string) => text.trim().toLocaleLowerCase('nl');
  const names = languages.map((lang) =>
    fold(translator(texts, lang)(`dashboard.agenda.kind.${kind}` as TextKey)),
  );
  return names.includes(fold(place)) || fold(place) === kind ? null : place;
}

function formOf(body: unknown): Record<string, string> {
  const form = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(form).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
  );
}

/** The aldermen's agenda: upcoming sessions and bookings, cancel one or a day, undo while nobody is told. */
export function agendaSection(deps: AgendaSectionDeps): DashboardSection {
  const names = new Map(deps.aldermen.map((a) => [a.id, a.name]));
  const known = (id: string | undefined) => id === undefined || names.has(id);

  const back = (alderman: string | null | undefined, query: Record<string, string>) => {
    const params = new URLSearchParams({ ...(alderman ? { alderman } : {}), ...query });
    return `${BASE}?${params.toString()}`;
  };

  async function fail(reply: FastifyReply, error: unknown, alderman?: string | null) {
    const code = error instanceof DomainError ? error.code : undefined;
    if (code === undefined || !ERRORS.has(code)) throw error;
    return reply.redirect(back(alderman, { error: code }), 303);
  }

  function pendingView(
    c: HoursCancellation,
    t: ReturnType<typeof translator>,
    f: ReturnType<typeof formats>,
  ) {
    const count = c.bookingIds.length;
    const what =
      c.date === null
        ? t('dashboard.agenda.pending_bookings', { count })
        : count === 0
          ? t('dashboard.agenda.pending_day_none', { date: f.date(c.date) })
          : t('dashboard.agenda.pending_day', { date: f.date(c.date), count });
    return {
      id: c.id,
      text: `${names.get(c.aldermanId) ?? c.aldermanId}: ${what}`,
      // A day called off without bookings tells nobody.
      tellAt: count === 0 ? '' : t('dashboard.agenda.pending_tell_at', { time: f.time(c.tellAt), count }),
      action: `${BASE}/cancellations/${encodeURIComponent(c.id)}/undo`,
    };
  }

  return {
    nav: [
      {
        href: BASE,
        label: 'dashboard.nav.agenda',
        visible: (account) => roleMatches(account.role, ['alderman', 'operator', 'admin']),
      },
    ],
    routes(scope) {
      scope.get(BASE.replace('/dashboard', ''), { preHandler: agendaRoles }, async (request, reply) => {
        const account = staffOf(request);
        const query = request.query as Record<string, unknown>;
        const { own, shown } = scopeOf(account, query.alderman);
        if (!known(shown)) return reply.notFoundPage();
        const lang = request.dashboardLang;
        const t = translator(deps.texts, lang);
        const f = formats(lang, deps.timeZone);
        const [days, pending] = await Promise.all([
          deps.scheduling.agenda(shown),
          deps.scheduling.pendingCancellations(shown),
        ]);
        await request.audit('agenda.view', `agenda:${shown ?? 'all'}`);
        const done = typeof query.done === 'string' ? query.done : '';
        const error = typeof query.error === 'string' && ERRORS.has(query.error) ? query.error : '';
        return reply.page('agenda', {
          title: shown
            ? t('dashboard.agenda.title_of', { name: names.get(shown) ?? shown })
            : t('dashboard.agenda.title'),
          own,
          shown: shown ?? '',
          choices: own === null ? deps.aldermen.map((a) => ({ ...a, selected: a.id === shown })) : [],
          done: ['day', 'day_empty', 'booking', 'undone', 'saved'].includes(done)
            ? t(`dashboard.agenda.done.${done}` as TextKey)
            : '',
          error: error ? t(`dashboard.agenda.error.${error}` as TextKey) : '',
          pending: pending.map((c) => pendingView(c, t, f)),
          days: days.map((d) => ({
            key: `${d.aldermanId}-${d.date}`,
            heading: shown ? f.date(d.date) : `${f.date(d.date)}, ${names.get(d.aldermanId) ?? d.aldermanId}`,
            aldermanId: d.aldermanId,
            date: d.date,
            cancelled: d.cancelled,
            sessions: d.sessions.map((s) => {
              const vars = {
                time: `${f.time(s.start)}–${f.time(s.end)}`,
                kind: t(`dashboard.agenda.kind.${s.kind}` as TextKey),
                count: String(s.slots),
              };
              const place = placeBesideKind(deps.texts, s.kind, s.place);
              return place === null
                ? t('dashboard.agenda.session_kind', vars)
                : t('dashboard.agenda.session', { ...vars, place });
            }),
            bookings: d.bookings.map((b) => ({
              id: b.id,
              reference: b.reference,
              time: `${f.time(b.start)}–${f.time(b.end)}`,
              kind: t(`dashboard.agenda.kind.${b.kind}` as TextKey),
              topic: b.topic,
              firstName: b.firstName ?? t('dashboard.agenda.no_name'),
              action: `${BASE}/bookings/${encodeURIComponent(b.id)}/cancel`,
            })),
          })),
          reasonMax: REASON_MAX,
          kinds: ['chat', 'phone', 'town-hall'].map((k) => ({
            id: k,
            label: t(`dashboard.agenda.kind.${k}` as TextKey),
          })),
        });
      });

      /**
       * One agenda action posted from the page: the actor, the alderman scope and the page to return
       * to; a not-found code answers 404, a known domain error returns to the page with its message.
       */
      const act = async (
        request: FastifyRequest,
        reply: FastifyReply,
        done: string,
        notFound: string | null,
        // May name another `done` message when it depends on what was done.
        run: (ctx: {
          form: Record<string, string>;
          own: string | null;
          actor: string;
        }) => Promise<string | undefined | void>,
      ) => {
        const account = staffOf(request);
        const form = formOf(request.body);
        const { own } = scopeOf(account, undefined);
        const shownBack = own === null ? form.shown || undefined : undefined;
        let said: string | undefined | void;
        try {
          said = await run({ form, own, actor: `staff:${account.id}` });
        } catch (error) {
          if (notFound !== null && error instanceof DomainError && error.code === notFound)
            return reply.notFoundPage();
          return fail(reply, error, shownBack);
        }
        return reply.redirect(back(shownBack, { done: said ?? done }), 303);
      };
      const reasonOf = (form: Record<string, string>) => (form.reason ?? '').trim().slice(0, REASON_MAX);

      scope.post('/agenda/cancel-day', { preHandler: agendaRoles }, (request, reply) => {
        const { own } = scopeOf(staffOf(request), undefined);
        const form = formOf(request.body);
        const aldermanId = own ?? form.alderman ?? '';
        if (!names.has(aldermanId) || (own !== null && form.alderman !== own)) return reply.notFoundPage();
        return act(request, reply, 'day', null, async ({ actor }) => {
          const reason = reasonOf(form);
          const { bookings } = await deps.scheduling.cancelDay({
            aldermanId,
            localDate: form.date ?? '',
            actor,
            ...(reason ? { reason } : {}),
          });
          return bookings.length === 0 ? 'day_empty' : undefined;
        });
      });

      scope.post<{ Params: { id: string } }>(
        '/agenda/bookings/:id/cancel',
        { preHandler: agendaRoles },
        (request, reply) =>
          act(request, reply, 'booking', 'booking.not-found', async ({ form, own, actor }) => {
            const reason = reasonOf(form);
            if (!reason) throw new DomainError('reason-missing');
            await deps.scheduling.cancelBooking({
              bookingId: request.params.id,
              reason,
              actor,
              ...(own !== null ? { aldermanId: own } : {}),
            });
          }),
      );

      scope.post<{ Params: { id: string } }>(
        '/agenda/cancellations/:id/undo',
        { preHandler: agendaRoles },
        (request, reply) =>
          act(request, reply, 'undone', 'hours.cancellation-not-found', async ({ own, actor }) => {
            await deps.scheduling.undoCancellation({
              cancellationId: request.params.id,
              actor,
              ...(own !== null ? { aldermanId: own } : {}),
            });
          }),
      );
    },
  };
}
