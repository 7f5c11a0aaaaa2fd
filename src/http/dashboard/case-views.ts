import type { CaseDetail } from '../../features/cases/staff-commands.js';
import type { InboxResult } from '../../features/cases/inbox.js';
import type { CaseViewer } from '../../features/cases/policy.js';
import { pageMasker } from '../../features/cases/sensitive.js';
import type { FilledStandardAnswer } from '../../features/cases/staff-texts.js';
import type { Language, Translate } from '../../i18n/translator.js';
import type { Assignee, Case, CaseEvent, CaseKind } from '../../ports/case-repository.js';
import { CASE_KINDS } from '../../ports/case-repository.js';
import { SETTABLE_STAGES } from '../../features/cases/proposals.js';
import { PRIVACY_TOPICS } from '../../features/cases/services.js';
import { addressOfKey } from '../../shared/address.js';
import { isOverdue, owesReaction } from '../../features/cases/case-status.js';
import { MAX_CASE_TEXT_LENGTH } from '../../features/cases/case-change.js';

/** Names the case pages show, in one language (built from the municipality's data in src/app). */
export interface CaseLabels {
  timeZone: string;
  topics: { id: string; label: string }[];
  districts: { id: string; label: string }[];
  /** Departments and aldermen; `key` is `department:<id>` or `alderman:<id>`. */
  teams: { key: string; label: string }[];
  channels: { id: string; label: string }[];
}

/** The inbox's parameters as read from the query string (already checked). */
export interface InboxParams {
  status?: string;
  assignee?: string;
  district?: string;
  topic?: string;
  kind?: CaseKind;
  channel?: string;
  due?: 'overdue' | 'soon';
  q?: string;
  page: number;
}

const OPEN = new Set(['new', 'routed', 'in_progress', 'reopened']);

function labelOf(list: { id: string; label: string }[], id: string | null, fallback: string): string {
  return (id !== null && list.find((x) => x.id === id)?.label) || (id ?? fallback);
}

/**
 * A case's topic as staff read it; a proposal has no topic of its own, so it shows its kind; a
 * privacy request shows what is asked (access or erasure).
 */
function topicOf(labels: CaseLabels, c: Pick<Case, 'topic' | 'kind'>, t: Translate): string {
  if (c.kind === 'proposal') return t('dashboard.cases.kind.proposal');
  if (c.kind === 'privacy')
    return t(
      c.topic === PRIVACY_TOPICS.erasure ? 'dashboard.case.privacy.erasure' : 'dashboard.case.privacy.access',
    );
  return labelOf(labels.topics, c.topic, c.topic);
}

/**
 * A privacy request's resident as the privacy page takes them (the chat identity that asked), and
 * for an administrator the link there with channel and id filled in.
 */
function privacyRequestOf(c: Pick<Case, 'kind' | 'residentKey'>, viewer: CaseViewer) {
  if (c.kind !== 'privacy' || !c.residentKey) return null;
  const { channel, userId } = addressOfKey(c.residentKey);
  const query = new URLSearchParams({ channel, user: userId });
  return {
    who: c.residentKey,
    href: viewer.role === 'admin' ? `/dashboard/privacy?${query.toString()}` : null,
  };
}

function teamLabel(labels: CaseLabels, a: Assignee | null, t: Translate): string {
  if (!a) return t('dashboard.cases.nobody');
  return (
    labels.teams.find((x) => x.key === `${a.type}:${a.id}`)?.label ??
    (a.type === 'department' ? a.name : a.id)
  );
}

function formatter(lang: Language, timeZone: string, withTime: boolean) {
  const f = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  });
  return (d: Date) => f.format(d);
}

/** The deadline flag of a case: overdue, due within a working day, or none. */
function dueFlag(c: Case, now: Date, soon: Date): 'overdue' | 'soon' | null {
  // A proposal that had its first reaction owes none by that date any more.
  if (!owesReaction(c)) return null;
  if (isOverdue(c, now)) return 'overdue';
  return c.answerBy <= soon ? 'soon' : null;
}

/** A query string for the inbox with some parameters changed (page back to 1 unless given). */
function href(p: InboxParams, change: Partial<InboxParams>): string {
  const all = { ...p, page: 1, ...change };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) {
    if (v === undefined || v === '' || (k === 'page' && v === 1) || (k === 'status' && v === 'open'))
      continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `/dashboard/cases?${s}` : '/dashboard/cases';
}

/** What the inbox template shows. */
export function inboxModel(
  page: InboxResult,
  p: InboxParams,
  labels: CaseLabels,
  t: Translate,
  lang: Language,
) {
  const day = formatter(lang, labels.timeZone, false);
  const n = (counts: Record<string, number>, key: string) => counts[key] ?? 0;
  const option = (value: string, label: string, count?: number) => ({
    value,
    label: count === undefined ? label : `${label} (${count})`,
  });
  const c = page.counts;
  const openCount = ['new', 'routed', 'in_progress', 'waiting', 'reopened'].reduce(
    (s, k) => s + n(c.status, k),
    0,
  );
  const allCount = Object.values(c.status).reduce((s, v) => s + v, 0);
  const statuses = ['new', 'routed', 'in_progress', 'waiting', 'reopened', 'answered', 'closed'] as const;
  return {
    params: p,
    total: page.total,
    page: page.page,
    pages: page.pages,
    prev: page.page > 1 ? href(p, { page: page.page - 1 }) : null,
    next: page.page < page.pages ? href(p, { page: page.page + 1 }) : null,
    clear: '/dashboard/cases',
    badges: [
      {
        href: href({ page: 1 }, { due: 'overdue' }),
        label: t('dashboard.cases.due.overdue'),
        count: c.due.overdue,
        urgent: true,
      },
      {
        href: href({ page: 1 }, { due: 'soon' }),
        label: t('dashboard.cases.due.soon'),
        count: c.due.soon,
        urgent: false,
      },
      {
        href: href({ page: 1 }, { assignee: 'me' }),
        label: t('dashboard.cases.assignee.me'),
        count: n(c.assignee, 'me'),
        urgent: false,
      },
    ],
    filters: [
      {
        name: 'status',
        label: t('dashboard.cases.filter.status'),
        value: p.status ?? 'open',
        options: [
          option('open', t('dashboard.cases.status.open'), openCount),
          option('all', t('dashboard.cases.status.all'), allCount),
          ...statuses.map((s) => option(s, t(`dashboard.cases.status.${s}`), n(c.status, s))),
        ],
      },
      {
        name: 'assignee',
        label: t('dashboard.cases.filter.assignee'),
        value: p.assignee ?? '',
        options: [
          option('', t('dashboard.cases.any')),
          option('me', t('dashboard.cases.assignee.me'), n(c.assignee, 'me')),
          option('nobody', t('dashboard.cases.assignee.nobody'), n(c.assignee, 'nobody')),
          ...labels.teams
            .filter((x) => n(c.assignee, x.key) > 0 || p.assignee === x.key)
            .map((x) => option(x.key, x.label, n(c.assignee, x.key))),
        ],
      },
      {
        name: 'due',
        label: t('dashboard.cases.filter.due'),
        value: p.due ?? '',
        options: [
          option('', t('dashboard.cases.any')),
          option('overdue', t('dashboard.cases.due.overdue'), c.due.overdue),
          option('soon', t('dashboard.cases.due.soon'), c.due.soon),
        ],
      },
      {
        name: 'district',
        label: t('dashboard.cases.filter.district'),
        value: p.district ?? '',
        options: [
          option('', t('dashboard.cases.any')),
          ...labels.districts.map((d) => option(d.id, d.label, n(c.district, d.id))),
          option('none', t('dashboard.cases.no_district'), n(c.district, '')),
        ],
      },
      {
        name: 'topic',
        label: t('dashboard.cases.filter.topic'),
        value: p.topic ?? '',
        options: [
          option('', t('dashboard.cases.any')),
          ...labels.topics.map((x) => option(x.id, x.label, n(c.topic, x.id))),
        ],
      },
      {
        name: 'kind',
        label: t('dashboard.cases.filter.kind'),
        value: p.kind ?? '',
        options: [
          option('', t('dashboard.cases.any')),
          ...CASE_KINDS.map((k) => option(k, t(`dashboard.cases.kind.${k}`), n(c.kind, k))),
        ],
      },
      {
        name: 'channel',
        label: t('dashboard.cases.filter.channel'),
        value: p.channel ?? '',
        options: [
          option('', t('dashboard.cases.any')),
          ...labels.channels.map((x) => option(x.id, x.label, n(c.channel, x.id))),
        ],
      },
    ],
    rows: page.cases.map((x) => ({
      reference: x.reference,
      href: `/dashboard/cases/${encodeURIComponent(x.reference)}`,
      question: x.text.length > 120 ? `${x.text.slice(0, 117)}…` : x.text,
      kind: t(`dashboard.cases.kind.${x.kind}`),
      stage: x.stage ? t(`dashboard.case.stage.${x.stage}`) : null,
      topic: topicOf(labels, x, t),
      district: labelOf(labels.districts, x.districtId, t('dashboard.cases.no_district')),
      team: teamLabel(labels, x.assignee, t),
      handler: x.handler?.name ?? null,
      channel: labelOf(labels.channels, x.channel, x.channel),
      status: t(`dashboard.cases.status.${x.status}`),
      answerBy: day(x.answerBy),
      answerByIso: x.answerBy.toISOString(),
      due: dueFlag(x, page.now, page.dueSoonUntil),
    })),
  };
}

/** The text an event shows in the history (staff wrote it or the resident did; shown as text). */
function eventLine(
  e: CaseEvent,
  labels: CaseLabels,
  t: Translate,
  day: (d: Date) => string,
): { text: string; body: string | null } {
  const d = e.detail;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const assignee = (v: unknown) =>
    v && typeof v === 'object' ? teamLabel(labels, v as Assignee, t) : t('dashboard.cases.nobody');
  switch (e.type) {
    case 'routed':
    case 'reassigned':
      return { text: t(`dashboard.case.event.${e.type}`, { to: assignee(d.assignee) }), body: null };
    case 'assigned': {
      const handler = d.handler as { name?: string } | null;
      return {
        text: handler?.name
          ? t('dashboard.case.event.assigned', { to: handler.name })
          : t('dashboard.case.event.unassigned'),
        body: null,
      };
    }
    case 'answered':
    case 'reopened':
    case 'info_received':
      return { text: t(`dashboard.case.event.${e.type}`), body: str(d.text) };
    case 'note':
      return { text: t('dashboard.case.event.note'), body: str(d.text) };
    case 'info_requested':
      return { text: t('dashboard.case.event.info_requested'), body: str(d.question) };
    case 'date_moved':
      return {
        text: t('dashboard.case.event.date_moved', { date: day(new Date(str(d.to))) }),
        body: str(d.reason),
      };
    case 'delay_told':
      return {
        text: t('dashboard.case.event.delay_told', { date: day(new Date(str(d.promisedBy))) }),
        body: null,
      };
    case 'closed':
      return { text: t('dashboard.case.event.closed'), body: str(d.reason) || null };
    case 'stage_changed': {
      const stage = SETTABLE_STAGES.find((s) => s === d.stage) ?? 'received';
      const name = t(`dashboard.case.stage.${stage}`);
      return { text: t('dashboard.case.event.stage_changed', { stage: name }), body: str(d.reason) || null };
    }
    case 'rated':
      return {
        text: t('dashboard.case.event.rated', {
          rating: typeof d.rating === 'number' ? String(d.rating) : '',
        }),
        body: null,
      };
    default:
      return { text: t(`dashboard.case.event.${e.type}`), body: null };
  }
}

/** What the case template shows. */
export function caseModel(o: {
  detail: CaseDetail;
  standard: FilledStandardAnswer[];
  people: { id: string; name: string; role: string }[];
  viewer: CaseViewer;
  labels: CaseLabels;
  t: Translate;
  lang: Language;
  standardId?: string;
  done?: string;
  error?: string;
  form?: Record<string, string | undefined>;
  /** The action whose form was sent (with `error` and `form`). */
  action?: string;
  /** Show BSN, IBAN and phone numbers in the resident's words (the viewer chose to; audited). */
  reveal?: boolean;
}) {
  const { detail, labels, t } = o;
  // The resident's own words: numbers they should not have sent are masked unless revealed.
  const masker = pageMasker(o.reveal === true);
  const words = (text: string): string => masker.words(text);
  const residentEvent = (type: string) =>
    type === 'info_received' || type === 'reopened' || type === 'created';
  const c = { ...detail.case, text: words(detail.case.text) };
  const day = formatter(o.lang, labels.timeZone, false);
  const moment = formatter(o.lang, labels.timeZone, true);
  const names = new Map(o.people.map((p) => [`staff:${p.id}`, p.name]));
  const actor = (a: string) =>
    names.get(a) ??
    (a === 'resident'
      ? t('dashboard.case.actor.resident')
      : a === 'system'
        ? t('dashboard.case.actor.system')
        : a.startsWith('alderman:')
          ? (labels.teams.find((x) => x.key === a)?.label ?? a)
          : a);
  const chosen = o.standard.find((s) => s.id === o.standardId);
  // After a refusal, what was typed goes back into the form it came from.
  const typed = (action: string, field: string) =>
    o.error && o.action === action ? (o.form?.[field] ?? '') : '';
  const teamKey = c.assignee ? `${c.assignee.type}:${c.assignee.id}` : '';
  const left = detail.workingDaysLeft;
  const open = OPEN.has(c.status);
  return {
    c,
    reference: c.reference,
    base: `/dashboard/cases/${encodeURIComponent(c.reference)}`,
    status: t(`dashboard.cases.status.${c.status}`),
    kind: t(`dashboard.cases.kind.${c.kind}`),
    privacy: privacyRequestOf(c, o.viewer),
    proposal:
      c.kind === 'proposal' ? { what: c.text, ...(c.proposal ?? { where: '', who: '', help: '' }) } : null,
    stage: c.stage ? t(`dashboard.case.stage.${c.stage}`) : null,
    stages: SETTABLE_STAGES.map((s) => ({
      value: s,
      label: t(`dashboard.case.stage.${s}`),
      selected: o.form?.stage === s,
    })),
    topic: topicOf(labels, c, t),
    district: labelOf(labels.districts, c.districtId, t('dashboard.cases.no_district')),
    channel: labelOf(labels.channels, c.channel, c.channel),
    team: teamLabel(labels, c.assignee, t),
    handler: c.handler?.name ?? t('dashboard.cases.nobody'),
    residentName: c.residentName ?? t('dashboard.case.unknown_name'),
    created: moment(c.createdAt),
    answerBy: day(c.answerBy),
    answerByIso: c.answerBy.toISOString(),
    daysLeft:
      c.status === 'waiting'
        ? t('dashboard.case.clock_stopped')
        : !open
          ? ''
          : left < 0
            ? t('dashboard.case.days_late', { count: String(-left) })
            : t('dashboard.case.days_left', { count: String(left) }),
    late: open && left < 0,
    // What the delay notice told the resident while the case is still open: staff see the date the
    // resident now expects beside the one the case is late by.
    promised: c.promisedBy && open ? day(c.promisedBy) : null,
    promisedIso: c.promisedBy?.toISOString() ?? '',
    language:
      c.language === 'en' || c.language === 'nl'
        ? t(`dashboard.conversation.lang.${c.language}`)
        : c.language,
    gathered: detail.events
      .filter((e) => e.type === 'info_received' || e.type === 'reopened')
      .map((e) => ({
        at: moment(e.at),
        text: words(typeof e.detail.text === 'string' ? e.detail.text : ''),
      })),
    history: detail.events.map((e) => {
      const line = eventLine(e, labels, t, day);
      return {
        at: moment(e.at),
        iso: e.at.toISOString(),
        actor: actor(e.actor),
        internal: e.type === 'note',
        ...line,
        body: line.body !== null && residentEvent(e.type) ? words(line.body) : line.body,
      };
    }),
    earlier: detail.earlier.map((x) => ({
      reference: x.reference,
      href: `/dashboard/cases/${encodeURIComponent(x.reference)}`,
      status: t(`dashboard.cases.status.${x.status}`),
      topic: topicOf(labels, x, t),
      created: day(x.createdAt),
    })),
    may: detail.may,
    standard: o.standard.map((s) => ({ id: s.id, title: s.title, selected: s.id === o.standardId })),
    answerText: typed('answer', 'text') || (chosen?.text ?? ''),
    // The form stops where answerCase refuses, so staff see the limit before they send.
    answerMax: MAX_CASE_TEXT_LENGTH,
    questionText: typed('request-info', 'question'),
    noteText: typed('note', 'text'),
    unsent: unsentText(o, detail.may),
    standardId: chosen?.id ?? '',
    teams: labels.teams.filter((x) => x.key !== teamKey),
    people: o.people.filter((p) => p.id !== c.handler?.id),
    // Nothing is chosen until staff choose; after a refusal, their choice stays.
    assignTo: typed('assign', 'to'),
    minDate: new Date().toISOString().slice(0, 10),
    done: o.done ? t(`dashboard.case.done.${o.done}` as 'dashboard.case.done.note') : null,
    error: o.error ? errorText(o.error, t) : null,
    form: o.form ?? {},
    // Read after the fields above were built: true when one of them masked a number.
    hidden: masker.hidden,
    revealed: o.reveal === true,
  };
}

/**
 * Words a refused action would lose because its form is gone from the page (a colleague answered
 * or closed the question meanwhile): shown as a quote to copy.
 */
function unsentText(
  o: { error?: string; action?: string; form?: Record<string, string | undefined> },
  may: CaseDetail['may'],
): string | null {
  if (!o.error || !o.form) return null;
  const text =
    o.action === 'answer' && !may.answer
      ? o.form.text
      : o.action === 'request-info' && !may['request-info']
        ? o.form.question
        : o.action === 'note' && !may.note
          ? o.form.text
          : undefined;
  return text && text.trim() !== '' ? text : null;
}

function errorText(code: string, t: Translate): string {
  const known = [
    'case.forbidden',
    'case.text_empty',
    'case.text_too_long',
    'case.date_invalid',
    'case.not_open',
    'case.unknown_target',
    'case.target_missing',
    'case.illegal_transition',
    'case.concurrent_change',
    'case.reason_required',
    'case.stage_invalid',
    'case.not_proposal',
  ];
  return known.includes(code)
    ? t(`dashboard.case.error.${code.slice(5)}` as 'dashboard.case.error.forbidden')
    : t('dashboard.case.error.failed');
}
