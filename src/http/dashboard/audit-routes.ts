import type { FastifyInstance } from 'fastify';
import { translator } from '../../i18n/translator.js';
import { requireRole } from './guards.js';
import type { DashboardDeps } from './types.js';

const PAGE_SIZE = 50;

/** `/dashboard/audit`: the audit log for administrators, newest first, paged. */
export function mountAuditRoutes(scope: FastifyInstance, deps: DashboardDeps): void {
  scope.get('/audit', { preHandler: requireRole('admin') }, async (request, reply) => {
    const before = Number((request.query as { before?: unknown }).before);
    const beforeSeq = Number.isSafeInteger(before) && before > 0 ? before : undefined;
    const lines = await deps.audit.page({ limit: PAGE_SIZE + 1, ...(beforeSeq ? { beforeSeq } : {}) });
    const shown = lines.slice(0, PAGE_SIZE);
    // Lines name accounts by id (names change); the page shows who that is now.
    const accounts = await deps.accounts.list();
    const names = new Map(accounts.map((a) => [`staff:${a.id}`, `${a.name} (${a.email})`]));
    const subjects = new Map(accounts.map((a) => [`account:${a.id}`, `${a.name} (${a.email})`]));
    const t = translator(deps.texts, request.dashboardLang);
    return reply.page('audit', {
      title: t('dashboard.audit.title'),
      lines: shown.map((line) => ({
        seq: line.seq,
        at: line.at,
        actor: names.get(line.actor) ?? line.actor,
        action: line.action,
        subject: subjects.get(line.subject) ?? line.subject,
        detail: Object.keys(line.detail).length ? JSON.stringify(line.detail) : '',
      })),
      older: lines.length > PAGE_SIZE ? `/dashboard/audit?before=${shown.at(-1)?.seq ?? 0}` : null,
      newest: beforeSeq ? '/dashboard/audit' : null,
    });
  });
}
