import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTextKey, translator, type Translate } from '../../i18n/translator.js';
import type { DeadLetter } from '../../ports/dead-letter-repository.js';
import { conversationKey } from '../../shared/address.js';
import { roleMatches, requireRole } from './guards.js';
import type { DashboardSection } from './types.js';

/** What the page uses: the dead-letter table, and the engine's retry and drop (the same as the CLI's). */
export interface DeadLetterSectionDeps {
  deadLetters: {
    /** Newest first; only open ones unless `all`. */
    list(options: { all?: boolean; limit: number }): Promise<DeadLetter[]>;
    get(id: number): Promise<DeadLetter | null>;
    countOpen(): Promise<number>;
    /** Hands the letter in again; false when it was not open (someone else was first). */
    retry(id: number): Promise<boolean>;
    /** Closes the letter for good; false when it was not open. */
    drop(id: number): Promise<boolean>;
  };
  texts: Parameters<typeof translator>[0];
}

const BASE = '/dashboard/dead-letters';
const LIMIT = 200;
const ROLES = ['operator', 'admin'] as const;
const operatorsOnly = requireRole(...ROLES);
const DONE = ['retried', 'dropped', 'gone'] as const;

/** The resident's id shortened to its last characters: enough to tell letters apart, not to write to them. */
export function maskedUser(userId: string): string {
  return userId.length > 6 ? `…${userId.slice(-3)}` : '…';
}

/** The error's first line, shortened. */
function shortError(error: string): string {
  const line = error.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 160)} …` : line;
}

function channelWords(t: Translate, channel: string): string {
  const key = `dashboard.cases.channel.${channel}`;
  return isTextKey(key) ? t(key as 'dashboard.cases.channel.web') : channel;
}

function rowOf(letter: DeadLetter, t: Translate) {
  return {
    id: letter.id,
    at: letter.createdAt,
    channel: channelWords(t, letter.address.channel),
    user: maskedUser(letter.address.userId),
    stage: t(
      letter.stage === 'store' ? 'dashboard.dead_letters.stage.store' : 'dashboard.dead_letters.stage.handle',
    ),
    attempts: letter.attempts,
    error: shortError(letter.error),
    status: t(`dashboard.dead_letters.status.${letter.status}`),
    open: letter.status === 'open',
    // A handled-stage letter's message is in the inbound log: its conversation shows the rest. The
    // link goes by the letter's id, so the page itself never carries the resident's address.
    conversation: letter.stage === 'handle' ? `${BASE}/${letter.id}/conversation` : null,
  };
}

const idOf = (request: FastifyRequest): number | null => {
  const id = Number((request.params as { id: string }).id);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
};

/**
 * `/dashboard/dead-letters`, for operators and administrators: incoming messages the service could
 * not store or handle after its tries (`spreekuur dead-letters` on the command line). Each can be
 * tried again or dropped (after a confirmation); both are in the audit log. The resident's message
 * text is not shown, their id only shortened.
 */
export function deadLetterSection(deps: DeadLetterSectionDeps): DashboardSection {
  const page = async (request: FastifyRequest, reply: FastifyReply, extra: { confirm?: DeadLetter } = {}) => {
    const t = translator(deps.texts, request.dashboardLang);
    const query = request.query as { all?: unknown; done?: unknown };
    const all = query.all === '1';
    const done = DONE.find((d) => d === query.done) ?? null;
    const letters = await deps.deadLetters.list({ all, limit: LIMIT + 1 });
    return reply.page('dead-letters', {
      title: t('dashboard.dead_letters.title'),
      all,
      rows: letters.slice(0, LIMIT).map((l) => rowOf(l, t)),
      more: letters.length > LIMIT,
      done: done ? t(`dashboard.dead_letters.done.${done}`) : null,
      gone: done === 'gone',
      confirm: extra.confirm ? rowOf(extra.confirm, t) : null,
    });
  };

  return {
    nav: [
      {
        href: BASE,
        label: 'dashboard.nav.dead_letters',
        visible: (account) => roleMatches(account.role, ROLES),
        count: { label: 'dashboard.nav.dead_letters_count', of: () => deps.deadLetters.countOpen() },
      },
    ],
    routes(scope: FastifyInstance) {
      scope.get('/dead-letters', { preHandler: operatorsOnly }, (request, reply) => page(request, reply));

      scope.get('/dead-letters/:id/conversation', { preHandler: operatorsOnly }, async (request, reply) => {
        const id = idOf(request);
        const letter = id === null ? null : await deps.deadLetters.get(id);
        if (!letter || letter.stage !== 'handle') return reply.notFoundPage();
        const key = encodeURIComponent(conversationKey(letter.address));
        return reply.redirect(`/dashboard/conversations/${key}`, 303);
      });

      scope.post('/dead-letters/:id/retry', { preHandler: operatorsOnly }, async (request, reply) => {
        const id = idOf(request);
        if (id === null) return reply.notFoundPage();
        const done = await deps.deadLetters.retry(id);
        if (done) await request.audit('dead-letter.retry', `dead-letter:${id}`);
        return reply.redirect(`${BASE}?done=${done ? 'retried' : 'gone'}`, 303);
      });

      // Without `confirm=yes` the page asks first, naming the letter.
      scope.post('/dead-letters/:id/drop', { preHandler: operatorsOnly }, async (request, reply) => {
        const id = idOf(request);
        if (id === null) return reply.notFoundPage();
        if ((request.body as Record<string, unknown> | undefined)?.confirm !== 'yes') {
          const letter = await deps.deadLetters.get(id);
          if (!letter) return reply.notFoundPage();
          if (letter.status !== 'open') return reply.redirect(`${BASE}?done=gone`, 303);
          return page(request, reply, { confirm: letter });
        }
        const done = await deps.deadLetters.drop(id);
        if (done) await request.audit('dead-letter.drop', `dead-letter:${id}`);
        return reply.redirect(`${BASE}?done=${done ? 'dropped' : 'gone'}`, 303);
      });
    },
  };
}
