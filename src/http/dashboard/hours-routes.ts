import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { aldermanOf } from '../../features/accounts/roles.js';
import type { HoursAdminCommands, HoursChange } from '../../features/scheduling/hours-admin.js';
import { firstNameOnly } from '../../features/scheduling/agenda.js';
import type { HoursEntry } from '../../ports/hours-repository.js';
import { formatDate, formatTime } from '../../i18n/format.js';
import { translator, type Language, type Texts, type TextKey } from '../../i18n/translator.js';
import { hoursPageSubject } from '../../shared/audit-subjects.js';
import { atLocalTime, isLocalDate, type LocalDate } from '../../shared/local-date.js';
import { roleMatches, staffOf } from './guards.js';
import { hoursProblem } from './hours-problem.js';
import type { DashboardSection } from './types.js';

/** What the hours pages are built from (wired in src/app/dashboard.ts). */
export interface HoursSectionDeps {
  hours: Pick<HoursAdminCommands, 'list' | 'change'>;
  texts: Texts;
  aldermen: readonly { id: string; name: string }[];
  timeZone: string;
}

const BASE = '/dashboard/hours';
type Form = Record<string, string>;

/** Admins and operators manage every alderman's hours; for others the page does not exist. */
const managers: preHandlerAsyncHookHandler = async (request, reply) => {
  if (roleMatches(staffOf(request).role, ['operator', 'admin'])) return;
  await reply.notFoundPage();
};

function formOf(body: unknown): Form {
  const form = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(form).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v.trim()]] : [])),
  );
}

const int = (v: string | undefined) => (v && /^-?\d+$/.test(v) ? Number(v) : Number.NaN);

/** The session fields every form has. */
function sessionBase(f: Form) {
  return {
    id: f.id ?? '',
    aldermanId: f.alderman ?? '',
    start: f.start ?? '',
    end: f.end ?? '',
    slotMinutes: int(f.slotMinutes),
    kind: f.kind as 'chat',
    place: f.place ?? '',
  };
}

/** The entry a form describes (checked later, as data/hours.json is). */
export function entryOf(f: Form): HoursEntry {
  if (f.type === 'extra') return { kind: 'extra', session: { ...sessionBase(f), date: f.date ?? '' } };
  if (f.type === 'cancelled')
    return {
      kind: 'cancelled',
      cancelled: {
        sessionId: f.sessionId ?? '',
        date: f.date ?? '',
        ...(f.reason ? { reason: f.reason } : {}),
      },
    };
  const validity = {
    ...(f.validFrom ? { validFrom: f.validFrom } : {}),
    ...(f.validUntil ? { validUntil: f.validUntil } : {}),
  };
  const weekday = f.weekday as 'mon';
  if (f.rule === 'monthly')
    return {
      kind: 'recurring',
      session: { ...sessionBase(f), ...validity, rule: 'monthly', weekday, nth: int(f.nth) as 1 },
    };
  const interval = int(f.intervalWeeks);
  return {
    kind: 'recurring',
    session: {
      ...sessionBase(f),
      ...validity,
      rule: 'weekly',
      weekday,
      ...(Number.isNaN(interval) || interval === 1 ? {} : { intervalWeeks: interval }),
    },
  };
}

/**
 * A date of the hours (`2026-12-08`) as the dashboard shows dates: "dinsdag 8 december 2026".
 * Noon is that day in any zone; text that is not a date stays as it is.
 */
export function dayOf(lang: Language, timeZone: string): (date: LocalDate) => string {
  return (date) =>
    isLocalDate(date) ? formatDate(atLocalTime(date, '12:00', timeZone), lang, timeZone) : date;
}

/** The pages where admins and operators manage the consultation hours (and aldermen add an extra session). */
export function hoursSection(deps: HoursSectionDeps): DashboardSection {
  const names = new Map(deps.aldermen.map((a) => [a.id, a.name]));

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: string; form?: Form } = {},
  ) {
    const t = translator(deps.texts, request.dashboardLang);
    const day = dayOf(request.dashboardLang, deps.timeZone);
    const query = request.query as Record<string, unknown>;
    const asked =
      typeof query.alderman === 'string' && names.has(query.alderman) ? query.alderman : undefined;
    const list = await deps.hours.list(asked);
    const editId = typeof query.edit === 'string' ? query.edit : '';
    const editing = list.sessions.find((s) => s.item.id === editId)?.item;
    const rule = (s: (typeof list.sessions)[number]['item']) => {
      const weekday = t(`dashboard.hours.weekday.${s.weekday}` as TextKey);
      if (s.rule === 'monthly')
        return t(`dashboard.hours.rule.monthly_${s.nth === -1 ? 'last' : 'nth'}`, {
          weekday,
          nth: String(s.nth),
        });
      return (s.intervalWeeks ?? 1) > 1
        ? t('dashboard.hours.rule.weeks', { weekday, weeks: String(s.intervalWeeks) })
        : t('dashboard.hours.rule.weekly', { weekday });
    };
    const source = (s: string) => t(`dashboard.hours.source.${s}` as TextKey);
    const kind = (k: string) => t(`dashboard.agenda.kind.${k}` as TextKey);
    const alderman = (id: string) => names.get(id) ?? id;
    const done =
      typeof query.done === 'string' && ['saved', 'deleted'].includes(query.done) ? query.done : '';
    const cancelledCount = typeof query.cancelled === 'string' ? query.cancelled : '';
    // The cancelled dates a deleted session took with it; an upcoming one is lost if it is put back.
    const datesIn = (v: unknown) => (typeof v === 'string' ? v.split(',').filter(isLocalDate) : []);
    const removed = [...datesIn(query.dates), ...datesIn(query.upcoming)];
    const upcoming = datesIn(query.upcoming);
    const removedWords = [
      ...(removed.length
        ? [
            t('dashboard.hours.done.removed_dates', {
              count: removed.length,
              dates: removed.map(day).join(', '),
            }),
          ]
        : []),
      ...(upcoming.length
        ? [t('dashboard.hours.done.removed_upcoming', { dates: upcoming.map(day).join(', ') })]
        : []),
    ];
    // What was typed goes back into the form it was typed in (after a refusal), not into another.
    const typed = (type: string): Form => (extra.form?.type === type ? extra.form : {});
    const form = typed('recurring');
    const value = (name: string, fallback = '') => form[name] ?? fallback;
    const extraForm = typed('extra');
    const cancelledForm = typed('cancelled');
    return reply.page('hours', {
      title: t('dashboard.hours.title'),
      shown: asked ?? '',
      choices: deps.aldermen.map((a) => ({ ...a, selected: a.id === asked })),
      done: done
        ? [
            t(`dashboard.hours.done.${done}` as TextKey, { count: cancelledCount || '0' }),
            ...removedWords,
          ].join(' ')
        : '',
      error: extra.error ?? '',
      sessions: list.sessions.map(({ item: s, source: src }) => ({
        id: s.id,
        alderman: alderman(s.aldermanId),
        rule: rule(s),
        time: `${s.start}–${s.end}`,
        slots: String(s.slotMinutes),
        kind: kind(s.kind),
        place: s.place,
        valid: [s.validFrom, s.validUntil].some(Boolean)
          ? `${s.validFrom ? day(s.validFrom) : '…'} – ${s.validUntil ? day(s.validUntil) : '…'}`
          : '',
        source: source(src),
        edit: `${BASE}?${new URLSearchParams({ ...(asked ? { alderman: asked } : {}), edit: s.id }).toString()}#session-form`,
      })),
      extra: list.extra.map(({ item: s, source: src }) => ({
        id: s.id,
        alderman: alderman(s.aldermanId),
        date: day(s.date),
        time: `${s.start}–${s.end}`,
        kind: kind(s.kind),
        place: s.place,
        source: source(src),
      })),
      cancelled: list.cancelled.map(({ item: c, source: src }) => ({
        id: `${c.sessionId}@${c.date}`,
        sessionId: c.sessionId,
        date: day(c.date),
        // What the delete button says to a screen reader: the session and the date, not the id.
        label: `${c.sessionId}, ${day(c.date)}`,
        reason: c.reason ?? '',
        source: source(src),
      })),
      sessionIds: [...list.sessions, ...list.extra].map((x) => x.item.id),
      // The session form: a session being edited, what was typed (after a refusal), or empty.
      s: {
        id: value('id', editing?.id ?? ''),
        alderman: value('alderman', editing?.aldermanId ?? asked ?? ''),
        rule: value('rule', editing?.rule ?? 'weekly'),
        weekday: value('weekday', editing?.weekday ?? 'tue'),
        nth: value('nth', editing?.rule === 'monthly' ? String(editing.nth) : '1'),
        intervalWeeks: value(
          'intervalWeeks',
          editing?.rule === 'weekly' ? String(editing.intervalWeeks ?? 1) : '1',
        ),
        validFrom: value('validFrom', editing?.validFrom ?? ''),
        validUntil: value('validUntil', editing?.validUntil ?? ''),
        start: value('start', editing?.start ?? '19:00'),
        end: value('end', editing?.end ?? '20:00'),
        slotMinutes: value('slotMinutes', String(editing?.slotMinutes ?? 10)),
        kind: value('kind', editing?.kind ?? 'chat'),
        place: value('place', editing?.place ?? ''),
        editing: Boolean(editing),
      },
      // The extra-session and cancel-a-date forms: empty, or what was typed in them.
      x: {
        id: extraForm.id ?? '',
        alderman: extraForm.alderman ?? asked ?? '',
        date: extraForm.date ?? '',
        start: extraForm.start ?? '19:00',
        end: extraForm.end ?? '20:00',
        slotMinutes: extraForm.slotMinutes ?? '10',
        kind: extraForm.kind ?? 'chat',
        place: extraForm.place ?? '',
      },
      c: {
        sessionId: cancelledForm.sessionId ?? '',
        date: cancelledForm.date ?? '',
        reason: cancelledForm.reason ?? '',
      },
      weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => ({
        id: d,
        label: t(`dashboard.hours.weekday.${d}` as TextKey),
      })),
      kinds: ['chat', 'phone', 'town-hall'].map((k) => ({ id: k, label: kind(k) })),
    });
  }

  /** Makes a change; on held bookings outside the new hours, shows them and asks what to do. */
  async function apply(
    request: FastifyRequest,
    reply: FastifyReply,
    change: HoursChange,
    form: Form,
    back: string,
  ) {
    const account = staffOf(request);
    const decide = form.decide === 'keep' || form.decide === 'cancel' ? form.decide : undefined;
    const result = await deps.hours.change(`staff:${account.id}`, change, decide);
    if (result.ok) {
      const done = 'delete' in change ? 'deleted' : 'saved';
      const sep = back.includes('?') ? '&' : '?';
      const dates = (upcoming: boolean) =>
        result.removedDates
          .filter((d) => d.upcoming === upcoming)
          .map((d) => d.date)
          .join(',');
      const removed = [
        ...(dates(false) ? [`dates=${dates(false)}`] : []),
        ...(dates(true) ? [`upcoming=${dates(true)}`] : []),
      ].map((x) => `&${x}`);
      return reply.redirect(
        `${back}${sep}done=${done}&cancelled=${result.cancelled}${removed.join('')}`,
        303,
      );
    }
    const lang = request.dashboardLang;
    const t = translator(deps.texts, lang);
    if ('error' in result) {
      const kind = 'put' in change ? change.put.kind : change.delete.kind;
      const problem = hoursProblem(result.error, t, dayOf(lang, deps.timeZone), kind);
      reply.code(400);
      return back.startsWith('/dashboard/agenda')
        ? reply.page('message', {
            title: t('dashboard.hours.error_title'),
            message: t('dashboard.hours.error', { problem }),
          })
        : page(request, reply, {
            error: t('dashboard.hours.error', { problem }),
            form,
          });
    }
    const tz = deps.timeZone;
    reply.code(409);
    return reply.page('hours-confirm', {
      title: t('dashboard.hours.confirm_title'),
      action: request.url,
      fields: Object.entries(form)
        .filter(([k]) => k !== '_csrf' && k !== 'decide')
        .map(([name, value]) => ({ name, value })),
      bookings: result.outside.map((b) => ({
        when: `${formatDate(b.slotStart, lang, tz)} ${formatTime(b.slotStart, lang, tz)}`,
        name: firstNameOnly(b.residentFirstName) ?? t('dashboard.agenda.no_name'),
        topic: b.topic,
      })),
      back,
    });
  }

  return {
    nav: [
      {
        href: BASE,
        label: 'dashboard.nav.hours',
        visible: (a) => roleMatches(a.role, ['operator', 'admin']),
      },
    ],
    routes(scope) {
      scope.get('/hours', { preHandler: managers }, async (request, reply) => {
        const asked = (request.query as Record<string, unknown>).alderman;
        await request.audit(
          'hours.view',
          hoursPageSubject(typeof asked === 'string' && asked ? asked : null),
        );
        return page(request, reply);
      });

      scope.post('/hours/entries', { preHandler: managers }, async (request, reply) => {
        const form = formOf(request.body);
        const back = `${BASE}${form.shown ? `?alderman=${encodeURIComponent(form.shown)}` : ''}`;
        return apply(request, reply, { put: entryOf(form) }, form, back);
      });

      scope.post('/hours/entries/delete', { preHandler: managers }, async (request, reply) => {
        const form = formOf(request.body);
        const kind = form.kind === 'extra' || form.kind === 'cancelled' ? form.kind : 'recurring';
        const back = `${BASE}${form.shown ? `?alderman=${encodeURIComponent(form.shown)}` : ''}`;
        return apply(request, reply, { delete: { kind, id: form.id ?? '' } }, form, back);
      });

      // An alderman adds an extra session of their own from the agenda (staff for anyone).
      scope.post('/agenda/extra', async (request, reply) => {
        const account = staffOf(request);
        const own = aldermanOf(account.role);
        if (own === null && !roleMatches(account.role, ['operator', 'admin'])) return reply.notFoundPage();
        const form = formOf(request.body);
        const aldermanId = own ?? form.alderman ?? '';
        if (!names.has(aldermanId)) return reply.notFoundPage();
        const id = `extra-${aldermanId}-${form.date ?? ''}-${(form.start ?? '').replace(':', '')}`;
        const back = `/dashboard/agenda${own === null && form.shown ? `?alderman=${encodeURIComponent(form.shown)}` : ''}`;
        return apply(
          request,
          reply,
          { put: entryOf({ ...form, type: 'extra', id, alderman: aldermanId }) },
          form,
          back,
        );
      });
    },
  };
}
