import type { FastifyInstance } from 'fastify';
import type { Role } from '../../features/accounts/roles.js';
import { translator } from '../../i18n/translator.js';
import { subjectView } from './audit-subjects.js';
import { requireRole, roleMatches } from './guards.js';
import type { DashboardDeps } from './types.js';
import { accountSubject } from '../../shared/audit-subjects.js';

const PAGE_SIZE = 50;
/** The longest subject the page filters on (a conversation's is `conversation:` and 22 characters). */
const MAX_SUBJECT = 200;
/** Who may read the audit log. */
const AUDIT_READERS = ['admin'] as const;

/** Whether an account of `role` may read the audit log (and so be shown links into it). */
export function mayReadAudit(role: Role): boolean {
  return roleMatches(role, AUDIT_READERS);
}

/** The audit page with only the lines about `subject` (`case:<reference>`, `conversation:<pseudonym>`, …). */
export function auditHref(subject: string, beforeSeq?: number): string {
  const query = new URLSearchParams({ subject, ...(beforeSeq ? { before: String(beforeSeq) } : {}) });
  return `/dashboard/audit?${query.toString()}`;
}

/**
 * `/dashboard/audit`: the audit log for administrators, newest first, paged; `?subject=` shows only
 * the lines about one subject (a conversation's page links here with its pseudonym, never its key;
 * a case's page with its reference). Each line says its subject readably and links to its lines.
 */
export function mountAuditRoutes(scope: FastifyInstance, deps: DashboardDeps): void {
  scope.get('/audit', { preHandler: requireRole(...AUDIT_READERS) }, async (request, reply) => {
    const query = request.query as { before?: unknown; subject?: unknown };
    const before = Number(query.before);
    const beforeSeq = Number.isSafeInteger(before) && before > 0 ? before : undefined;
    const asked = typeof query.subject === 'string' ? query.subject.trim() : '';
    const subject = asked && asked.length <= MAX_SUBJECT ? asked : undefined;
    const lines = await deps.audit.page({
      limit: PAGE_SIZE + 1,
      ...(beforeSeq ? { beforeSeq } : {}),
      ...(subject ? { subject } : {}),
    });
    const shown = lines.slice(0, PAGE_SIZE);
    const href = (seq?: number) =>
      subject ? auditHref(subject, seq) : `/dashboard/audit${seq ? `?before=${seq}` : ''}`;
    // Lines name accounts by id (names change); the page shows who that is now.
    const accounts = await deps.accounts.list();
    const names = new Map(accounts.map((a) => [`staff:${a.id}`, `${a.name} (${a.email})`]));
    const subjects = new Map(accounts.map((a) => [accountSubject(a.id), `${a.name} (${a.email})`]));
    const t = translator(deps.texts, request.dashboardLang);
    const view = (about: string, short: boolean) => subjectView(about, { accounts: subjects, t, short });
    // The filter's sentence keeps the subject's markup (a link, a code); the words around it are the translation's.
    const [lead = '', tail = ''] = t('dashboard.audit.filtered', { subject: '\u0000' }).split('\u0000');
    return reply.page('audit', {
      title: t('dashboard.audit.title'),
      filter: subject
        ? { before: lead, subject: view(subject, false), after: tail, all: '/dashboard/audit' }
        : null,
      lines: shown.map((line) => ({
        seq: line.seq,
        at: line.at,
        actor: names.get(line.actor) ?? line.actor,
        action: line.action,
        subject: view(line.subject, true),
        // Every line links to the lines about its subject, but on the page that shows only those.
        only: line.subject && line.subject !== subject ? auditHref(line.subject) : null,
        detail: Object.keys(line.detail).length ? JSON.stringify(line.detail) : '',
      })),
      older: lines.length > PAGE_SIZE ? href(shown.at(-1)?.seq ?? 0) : null,
      newest: beforeSeq ? href() : null,
    });
  });
}
