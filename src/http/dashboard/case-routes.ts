import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CaseStaffCommands } from '../../features/cases/staff-commands.js';
import type { AssignTarget, CaseViewer, StaffRole } from '../../features/cases/policy.js';
import { translator, type Language, type Translate } from '../../i18n/translator.js';
import {
  CASE_KINDS,
  type Case,
  type CaseFilters,
  type CaseKind,
  type CaseStatus,
} from '../../ports/case-repository.js';
import { normalizeReference } from '../../features/cases/reference.js';
import { isSettableStage } from '../../features/cases/proposals.js';
import { caseSubject } from '../../shared/audit-subjects.js';
import { DomainError } from '../../shared/errors.js';
import { isLocalDate } from '../../shared/local-date.js';
import { auditHref, mayReadAudit } from './audit-routes.js';
import { staffOf } from './guards.js';
import { inboxModel, caseModel, type CaseLabels, type InboxParams } from './case-views.js';
import type { DashboardSection } from './types.js';

/** A staff account that cases can be given to. */
export interface CasePerson {
  id: string;
  name: string;
  role: StaffRole;
}

/** What the case pages are built from (wired in src/app/dashboard.ts). */
export interface CaseSectionDeps {
  cases: CaseStaffCommands;
  texts: Parameters<typeof translator>[0];
  /** Names of topics, districts, aldermen, departments and channels. */
  labels: (lang: Language) => CaseLabels;
  /** Active accounts (for "give to a person" and the names in the history). */
  people(): Promise<CasePerson[]>;
}

const STATUSES: readonly CaseStatus[] = [
  'new',
  'routed',
  'in_progress',
  'waiting',
  'answered',
  'closed',
  'reopened',
];
const ACTIONS = ['assign', 'note', 'answer', 'request-info', 'move-date', 'stage', 'close'] as const;
type FormAction = (typeof ACTIONS)[number];

/** What went wrong with an action, as a status and a text key for the page. */
function failure(error: unknown): { status: number; code: string } | null {
  if (!(error instanceof DomainError)) return null;
  if (error.code === 'case.not_found') return { status: 404, code: error.code };
  if (error.code === 'case.forbidden') return { status: 403, code: error.code };
  if (error.code === 'case.illegal_transition' || error.code === 'case.concurrent_change')
    return { status: 409, code: error.code };
  return { status: 400, code: error.code };
}

/** Reads the inbox's query string; anything unknown is dropped, never echoed as is. */
export function inboxParams(query: Record<string, unknown>, labels: CaseLabels): InboxParams {
  const one = (name: string): string | undefined => {
    const value = query[name];
    return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
  };
  const status = one('status');
  const assignee = one('assignee');
  const district = one('district');
  const topic = one('topic');
  const kind = one('kind');
  const channel = one('channel');
  const due = one('due');
  const page = Number(one('page') ?? '1');
  return {
    status:
      status === 'open' || STATUSES.includes(status as CaseStatus)
        ? status
        : status === 'all'
          ? 'all'
          : 'open',
    assignee:
      assignee && (assignee === 'me' || assignee === 'nobody' || labels.teams.some((t) => t.key === assignee))
        ? assignee
        : undefined,
    district:
      district && (district === 'none' || labels.districts.some((d) => d.id === district))
        ? district
        : undefined,
    topic: topic && labels.topics.some((t) => t.id === topic) ? topic : undefined,
    kind: kind && (CASE_KINDS as readonly string[]).includes(kind) ? (kind as CaseKind) : undefined,
    channel: channel && labels.channels.some((c) => c.id === channel) ? channel : undefined,
    due: due === 'overdue' || due === 'soon' ? due : undefined,
    q: one('q')?.slice(0, 200),
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

/** The repository filters of the page's parameters. */
export function filtersOf(p: InboxParams, openStatuses: readonly CaseStatus[]): CaseFilters {
  const f: CaseFilters = {};
  if (p.status === 'open') f.statuses = openStatuses;
  else if (p.status && p.status !== 'all') f.statuses = [p.status as CaseStatus];
  if (p.assignee === 'me' || p.assignee === 'nobody') f.assignee = { type: p.assignee };
  else if (p.assignee) {
    const [type, ...rest] = p.assignee.split(':');
    f.assignee = { type: type === 'alderman' ? 'alderman' : 'department', id: rest.join(':') };
  }
  if (p.district) f.districtId = p.district === 'none' ? null : p.district;
  if (p.topic) f.topic = p.topic;
  if (p.kind) f.kind = p.kind;
  if (p.channel) f.channel = p.channel;
  if (p.due) f.due = p.due;
  return f;
}

/** "Question X is now with Y" after a case was handed to a team the viewer cannot see; null when the query is not that. */
function handedNotice(query: Record<string, unknown>, labels: CaseLabels, t: Translate): string | null {
  const { handed, to } = query;
  const reference = typeof handed === 'string' ? normalizeReference(handed) : null;
  const team = typeof to === 'string' ? labels.teams.find((x) => x.key === to) : undefined;
  return reference && team ? t('dashboard.cases.handed', { reference, to: team.label }) : null;
}

/** `/dashboard/cases` (the inbox) and `/dashboard/cases/<reference>` (a case and its actions). */
export function caseSection(deps: CaseSectionDeps): DashboardSection {
  return {
    nav: [{ href: '/dashboard/cases', label: 'dashboard.nav.cases', visible: () => true }],
    routes: (scope) => mountCaseRoutes(scope, deps),
  };
}

function viewerOf(request: FastifyRequest): CaseViewer {
  const account = staffOf(request);
  return { id: account.id, name: account.name, role: account.role };
}

function mountCaseRoutes(scope: FastifyInstance, deps: CaseSectionDeps): void {
  scope.get('/cases', async (request, reply) => {
    const lang = request.dashboardLang;
    const t = translator(deps.texts, lang);
    const labels = deps.labels(lang);
    const params = inboxParams(request.query as Record<string, unknown>, labels);
    const viewer = viewerOf(request);
    const page = await deps.cases.inbox(viewer, {
      filters: filtersOf(params, deps.cases.openStatuses),
      ...(params.q ? { search: params.q } : {}),
      page: params.page,
      pageSize: 25,
    });
    return reply.page('cases', {
      title: t('dashboard.cases.title'),
      handed: handedNotice(request.query as Record<string, unknown>, labels, t),
      ...inboxModel(page, params, labels, t, lang),
    });
  });

  scope.get('/cases/:reference', async (request, reply) => {
    const { reference } = request.params as { reference: string };
    const standard = (request.query as { standard?: unknown }).standard;
    const done = (request.query as { done?: unknown }).done;
    return renderCase(request, reply, reference, {
      ...(typeof standard === 'string' ? { standardId: standard } : {}),
      ...(typeof done === 'string' && (ACTIONS as readonly string[]).includes(done) ? { done } : {}),
    });
  });

  // Numbers a resident should not have sent (BSN, IBAN, phone) show masked; showing them is audited.
  scope.post('/cases/:reference/reveal', async (request, reply) => {
    const { reference } = request.params as { reference: string };
    try {
      await deps.cases.reveal(viewerOf(request), reference);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'case.not_found') return reply.notFoundPage();
      throw error;
    }
    return renderCase(request, reply, reference, { reveal: true });
  });

  scope.post('/cases/:reference/:action', async (request, reply) => {
    const { reference, action } = request.params as { reference: string; action: string };
    if (!(ACTIONS as readonly string[]).includes(action)) return reply.notFoundPage();
    const form = (request.body ?? {}) as Record<string, string | undefined>;
    const viewer = viewerOf(request);
    let after: Case | undefined;
    try {
      after = await perform(deps, viewer, reference, action as FormAction, form);
    } catch (error) {
      const failed = failure(error);
      if (!failed) throw error;
      if (failed.status === 404) return reply.notFoundPage();
      return renderCase(request, reply, reference, {
        error: failed.code,
        status: failed.status,
        form,
        action,
      });
    }
    // Handed to another team: the case page would be a 404 now, so the inbox says where it went.
    if (after && !deps.cases.mayView(viewer, after)) {
      const to = after.assignee ? `${after.assignee.type}:${after.assignee.id}` : '';
      const query = `handed=${encodeURIComponent(after.reference)}&to=${encodeURIComponent(to)}`;
      return reply.redirect(`/dashboard/cases?${query}#result`, 303);
    }
    return reply.redirect(`/dashboard/cases/${encodeURIComponent(reference)}?done=${action}#result`, 303);
  });

  async function renderCase(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    extra: {
      standardId?: string;
      done?: string;
      error?: string;
      status?: number;
      form?: Record<string, string | undefined>;
      action?: string;
      reveal?: boolean;
    },
  ) {
    const lang = request.dashboardLang;
    const t: Translate = translator(deps.texts, lang);
    const viewer = viewerOf(request);
    let detail;
    try {
      detail = await deps.cases.detail(viewer, reference);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'case.not_found') return reply.notFoundPage();
      throw error;
    }
    const [standard, people] = await Promise.all([
      detail.may.answer ? deps.cases.standardAnswers(viewer, detail.case.reference) : Promise.resolve([]),
      deps.people().then((all) => deps.cases.assignable(detail.case, all)),
    ]);
    const model = caseModel({
      detail,
      standard,
      people,
      viewer,
      labels: deps.labels(lang),
      t,
      lang,
      ...extra,
    });
    if (extra.status) reply.code(extra.status);
    const { reference: ref } = detail.case;
    // The heading keeps the reference on one line; the text around it is the translation's.
    const [before = '', after = ''] = t('dashboard.case.title', { reference: '\u0000' }).split('\u0000');
    return reply.page('case', {
      title: t('dashboard.case.title', { reference: ref }),
      heading: { before, reference: ref, after },
      // Admins read the audit log: the lines about this case, by its reference.
      audit: mayReadAudit(viewer.role) ? auditHref(caseSubject(ref)) : null,
      ...model,
    });
  }
}

async function perform(
  deps: CaseSectionDeps,
  viewer: CaseViewer,
  reference: string,
  action: FormAction,
  form: Record<string, string | undefined>,
): Promise<Case | undefined> {
  const text = (name: string) => form[name] ?? '';
  switch (action) {
    case 'note':
      await deps.cases.note(viewer, reference, text('text'));
      return;
    case 'answer':
      await deps.cases.answer(viewer, reference, {
        text: text('text'),
        ...(form.standard ? { standardAnswerId: form.standard } : {}),
      });
      return;
    case 'request-info':
      await deps.cases.requestInfo(viewer, reference, text('question'));
      return;
    case 'move-date': {
      const date = text('date');
      if (!isLocalDate(date)) throw new DomainError('case.date_invalid');
      await deps.cases.moveAnswerBy(viewer, reference, { date, reason: text('reason') });
      return;
    }
    case 'stage': {
      const stage = text('stage');
      if (!isSettableStage(stage)) throw new DomainError('case.stage_invalid');
      await deps.cases.setStage(viewer, reference, { stage, reason: text('reason') });
      return;
    }
    case 'close':
      await deps.cases.close(viewer, reference, text('reason'));
      return;
    case 'assign':
      return deps.cases.assign(viewer, reference, await assignTarget(deps, text('to')));
  }
}

/** `department:<id>`, `alderman:<id>` or `person:<account id>` from the form, checked against what exists. */
async function assignTarget(deps: CaseSectionDeps, value: string): Promise<AssignTarget> {
  if (value.trim() === '') throw new DomainError('case.target_missing');
  const [type, ...rest] = value.split(':');
  const id = rest.join(':');
  if (type === 'person') {
    const person = (await deps.people()).find((p) => p.id === id);
    if (!person) throw new DomainError('case.unknown_target');
    return { type: 'person', id: person.id, name: person.name, role: person.role };
  }
  if (type === 'alderman') return { type: 'alderman', id };
  if (type === 'department') return { type: 'department', id, name: id };
  throw new DomainError('case.unknown_target');
}
