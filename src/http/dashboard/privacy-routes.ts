import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTextKey, translator, type Translate } from '../../i18n/translator.js';
import type { ErasureHold } from '../../ports/privacy.js';
import { lacksCountryCode, typedAddress, type Address } from '../../shared/address.js';
import { ErasureHeldError, ErasureQueueError } from '../../features/privacy/privacy-service.js';
import { requireRole, staffOf } from './guards.js';
import type { DashboardSection } from './types.js';

/** What the privacy page uses: the privacy feature's access and erasure (the same as the CLI's). */
export interface PrivacySectionDeps {
  privacy: {
    export(address: Address, actor: string): Promise<{ data: Record<string, unknown[]> }>;
    /** Refused with `ErasureHeldError` while a privacy request of the resident is unanswered or its answer on its way. */
    erase(address: Address, actor: string): Promise<Record<string, number>>;
    /** What must be settled before erasing (none: it may go). */
    erasureHolds(address: Address): Promise<ErasureHold[]>;
  };
  texts: Parameters<typeof translator>[0];
  /** The channels a resident can be on, for the form. */
  channels: readonly ('whatsapp' | 'telegram' | 'web' | 'console')[];
}

const BASE = '/dashboard/privacy';
const adminOnly = requireRole('admin');

/** The resident the form names: a known channel and a user id of sensible length, or undefined. */
function addressOf(body: unknown, channels: PrivacySectionDeps['channels']): Address | undefined {
  const { channel, userId } = typedIn(body);
  if (!(channels as readonly string[]).includes(channel) || userId === '' || userId.length > 200)
    return undefined;
  if (lacksCountryCode(channel, userId)) return undefined;
  return typedAddress(channel, userId);
}

/** What the form holds, as typed (to show again after a refusal). */
function typedIn(body: unknown): Address {
  const form = (body ?? {}) as Record<string, unknown>;
  return {
    channel: typeof form.channel === 'string' ? form.channel : '',
    userId: typeof form.user === 'string' ? form.user.trim().slice(0, 200) : '',
  };
}

/** The refusal page of a form that names no resident: why, with what was typed. */
function refusal(body: unknown) {
  const typed = typedIn(body);
  return {
    error: lacksCountryCode(typed.channel, typed.userId) ? ('country-code' as const) : ('invalid' as const),
    typed,
  };
}

const countsOf = (data: Record<string, unknown[]>) =>
  Object.entries(data)
    .filter(([, rows]) => rows.length > 0)
    .map(([table, rows]) => ({ table, n: rows.length }));

/** A table's name as staff read it (`dashboard.privacy.table.<table>`); the table itself beside it. */
function labelled(rows: { table: string; n: number }[], t: Translate) {
  return rows.map((row) => {
    const key = `dashboard.privacy.table.${row.table}`;
    return { ...row, label: isTextKey(key) ? t(key as 'dashboard.privacy.table.cases') : row.table };
  });
}

/**
 * `/dashboard/privacy`, for administrators: a resident's request for access (a JSON download of
 * everything held) or erasure (first what would go, then erase after a confirmation). Each is in the
 * privacy log (the resident as a keyed hash) and in the audit log (without the address).
 */
export function privacySection(deps: PrivacySectionDeps): DashboardSection {
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      error?: 'invalid' | 'country-code';
      /** What the form held, when it named no resident. */
      typed?: Address;
      address?: Address;
      preview?: { table: string; n: number }[];
      /** Messages WhatsApp holds for the resident (never received): they go with the erasure. */
      heldByWhatsApp?: number;
      erased?: { table: string; n: number }[];
      /** Erased, but the resident's jobs are still on the queue (it went away meanwhile). */
      queueLeft?: boolean;
      /** Not erased: privacy requests of the resident to answer first, or a message on its way. */
      held?: ErasureHeldError;
    } = {},
  ) => {
    const t = translator(deps.texts, request.dashboardLang);
    if (extra.error) reply.code(400);
    if (extra.held) reply.code(409);
    return reply.page('privacy', {
      title: t('dashboard.privacy.title'),
      channels: deps.channels.map((id) => ({
        id,
        label: t(`dashboard.cases.channel.${id}`),
        selected: id === (extra.address ?? extra.typed)?.channel,
      })),
      user: (extra.address ?? extra.typed)?.userId ?? '',
      error: extra.error
        ? t(`dashboard.privacy.${extra.error === 'invalid' ? 'invalid' : 'country_code'}`)
        : null,
      address: extra.address ?? null,
      preview: extra.preview ? labelled(extra.preview, t) : null,
      heldByWhatsApp: extra.heldByWhatsApp ?? 0,
      erased: extra.erased ? labelled(extra.erased, t) : null,
      queueLeft: extra.queueLeft === true,
      held: extra.held
        ? {
            requests: extra.held.references.map((reference) => ({
              reference,
              href: `/dashboard/cases/${encodeURIComponent(reference)}`,
            })),
            sending: extra.held.sending,
            queue: extra.held.queue,
          }
        : null,
    });
  };

  return {
    nav: [{ href: BASE, label: 'dashboard.nav.privacy', visible: (account) => account.role === 'admin' }],
    routes(scope: FastifyInstance) {
      // A privacy request case links here with the resident filled in (?channel=…&user=…).
      scope.get('/privacy', { preHandler: adminOnly }, (request, reply) => {
        const address = addressOf(request.query, deps.channels);
        return page(request, reply, address ? { address } : {});
      });

      scope.post('/privacy/export', { preHandler: adminOnly }, async (request, reply) => {
        const address = addressOf(request.body, deps.channels);
        if (!address) return page(request, reply, refusal(request.body));
        const document = await deps.privacy.export(address, `staff:${staffOf(request).id}`);
        await request.audit('privacy.export', 'privacy-request', { channel: address.channel });
        return reply
          .header('Cache-Control', 'private, no-store')
          .header('Content-Disposition', 'attachment; filename="inzage.json"')
          .type('application/json; charset=utf-8')
          .send(JSON.stringify(document, null, 2));
      });

      scope.post('/privacy/erase', { preHandler: adminOnly }, async (request, reply) => {
        const address = addressOf(request.body, deps.channels);
        if (!address) return page(request, reply, refusal(request.body));
        const actor = `staff:${staffOf(request).id}`;
        if ((request.body as Record<string, unknown>).confirm !== 'yes') {
          // Their own request unanswered: say so before showing (and logging) what would go.
          const holds = await deps.privacy.erasureHolds(address);
          if (holds.length > 0) return page(request, reply, { address, held: new ErasureHeldError(holds) });
          // What would go: seeing it is an access of its own, logged as one.
          const { data } = await deps.privacy.export(address, actor);
          const heldByWhatsApp = data.held_messages?.length ?? 0;
          return page(request, reply, { address, preview: countsOf(data), heldByWhatsApp });
        }
        let counts: Record<string, number>;
        let queueLeft = false;
        try {
          counts = await deps.privacy.erase(address, actor);
        } catch (error) {
          if (error instanceof ErasureHeldError) return page(request, reply, { address, held: error });
          if (!(error instanceof ErasureQueueError)) throw error;
          // The database part is done and logged: say so, and that erasing again takes the jobs.
          counts = error.erased;
          queueLeft = true;
        }
        await request.audit('privacy.erase', 'privacy-request', { channel: address.channel, counts });
        return page(request, reply, {
          ...(queueLeft ? { address, queueLeft } : {}),
          erased: Object.entries(counts)
            .filter(([, n]) => n > 0)
            .map(([table, n]) => ({ table, n })),
        });
      });
    },
  };
}
