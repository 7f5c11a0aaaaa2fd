import type { FastifyReply, FastifyRequest } from 'fastify';
import { aldermanOf, type StaffAccount } from '../../features/accounts/roles.js';
import { LIMITS, type UpdateCommands } from '../../features/participation/updates.js';
import { translator, type TextKey, type Texts, type Translate } from '../../i18n/translator.js';
import { LADDER } from '../../ports/participation-repository.js';
import { DomainError } from '../../shared/errors.js';
import { requireRole, staffOf } from './guards.js';
import type { DashboardSection } from './types.js';

/** What the update pages are built from (wired in src/app/dashboard.ts). */
export interface UpdateSectionDeps {
  updates: Pick<UpdateCommands, 'send' | 'list'>;
  texts: Texts;
  districts: { id: string; name: string; aldermanId: string }[];
}

type Form = Record<string, string>;
const writers = requireRole('operator', 'admin', 'alderman');

/**
 * The posted fields, whole: checkDraft refuses what is over LIMITS and the page gives it back to
 * correct (cutting here sent a shortened text unnoticed, or lost the end of a refused one).
 */
function formOf(request: FastifyRequest): Form {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
  );
}

/** The refusal's words; the fields with a length limit name it (the same LIMITS as the form). */
function errorText(tr: Translate, field: string): string {
  const max = (LIMITS as Record<string, number>)[field];
  return max === undefined
    ? tr(`dashboard.updates.error.${field}` as TextKey)
    : tr(`dashboard.updates.error.${field}` as 'dashboard.updates.error.text', { max: String(max) });
}

/**
 * Project updates: operators and admins write one for any districts, an alderman only for their own;
 * sending is audited (by the command), every view too. Others do not see the page.
 */
export function updateSection(deps: UpdateSectionDeps): DashboardSection {
  const t = (request: FastifyRequest): Translate => translator(deps.texts, request.dashboardLang);
  /** The districts an account may send to: all, or an alderman's own. */
  const mine = (me: StaffAccount) => {
    const alderman = aldermanOf(me.role);
    return alderman === null ? deps.districts : deps.districts.filter((d) => d.aldermanId === alderman);
  };
  const name = (id: string) => deps.districts.find((d) => d.id === id)?.name ?? id;

  const page = async (request: FastifyRequest, reply: FastifyReply, form: Form, error?: string) => {
    const tr = t(request);
    const me = staffOf(request);
    const allowed = mine(me);
    const updates = await deps.updates.list(
      50,
      aldermanOf(me.role) === null ? undefined : allowed.map((d) => d.id),
    );
    await request.audit('participation.updates_view', 'updates');
    const field = error?.replace('participation.', '') ?? '';
    const query = request.query as Record<string, string | undefined>;
    return reply.code(error ? 400 : 200).page('updates', {
      title: tr('dashboard.updates.title'),
      form,
      sent: query.sent ?? '',
      error: error ? errorText(tr, field) : '',
      limits: LIMITS,
      errorField: ['title', 'text', 'link', 'until', 'influence'].includes(field) ? field : 'districts',
      districts: allowed.map((d) => ({ ...d, checked: form[`district-${d.id}`] === 'on' })),
      levels: LADDER.map((level) => ({
        level,
        label: tr(`dashboard.updates.level.${level}` as TextKey),
        explained: tr(`participation.level.${level}`),
        checked: (form.level ?? 'informeren') === level,
      })),
      rows: updates.map((u) => ({
        title: u.title,
        at: u.createdAt,
        level: tr(`dashboard.updates.level.${u.level}` as TextKey),
        districts: u.districts.map(name).join(', '),
        recipients: u.counts?.recipients ?? 0,
        sent: u.counts?.byStatus.sent ?? 0,
        held: u.counts?.byStatus.held ?? 0,
        capped: u.counts?.byStatus.capped ?? 0,
        queued: u.counts?.byStatus.queued ?? 0,
        delivered: u.counts?.delivered ?? 0,
        read: u.counts?.read ?? 0,
      })),
    });
  };

  return {
    nav: [
      {
        href: '/dashboard/updates',
        label: 'dashboard.nav.updates',
        visible: (account) =>
          ['operator', 'admin'].includes(account.role) || aldermanOf(account.role) !== null,
      },
    ],
    routes(scope) {
      scope.get('/updates', { preHandler: writers }, (request, reply) => page(request, reply, {}));

      scope.post('/updates', { preHandler: writers }, async (request, reply) => {
        const form = formOf(request);
        const me = staffOf(request);
        const alderman = aldermanOf(me.role);
        try {
          const { recipients } = await deps.updates.send(
            {
              title: form.title ?? '',
              text: form.text ?? '',
              link: form.link,
              districts: deps.districts.filter((d) => form[`district-${d.id}`] === 'on').map((d) => d.id),
              level: form.level ?? '',
              influence: form.influence,
              until: form.until,
            },
            {
              kind: 'staff',
              accountId: me.id,
              districts: alderman === null ? 'all' : mine(me).map((d) => d.id),
            },
          );
          return reply.redirect(`/dashboard/updates?sent=${recipients}`, 303);
        } catch (error) {
          if (!(error instanceof DomainError) || !error.code.startsWith('participation.')) throw error;
          return page(request, reply, form, error.code);
        }
      });
    },
  };
}
