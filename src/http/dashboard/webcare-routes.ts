import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { WebcareCommands } from '../../features/webcare/webcare.js';
import type { Steers, WebcareCaseCommands } from '../../features/webcare/webcare-case.js';
import { pageMasker, unmaskFrom } from '../../features/cases/sensitive.js';
import {
  translator,
  type Language,
  type Texts,
  type TextKey,
  type Translate,
} from '../../i18n/translator.js';
import type { TranscriptEntry } from '../../ports/conversation-repository.js';
import { fillWebcareAnswer, type WebcareAnswer } from '../../municipality/webcare-answers.js';
import { DomainError } from '../../shared/errors.js';
import { roleMatches, staffOf } from './guards.js';
import { revealGrant, revealGranted } from './reveal-grant.js';
import { streamEvents, type LiveEvent } from './live-events.js';
import { dashboardDateTime } from './plugin.js';
import { caseFormOf } from './webcare-case-form.js';
import { webcareLineAuthor } from './out-author.js';
import { entryKey, freshEntries } from './webcare-resume.js';
import {
  conversationHref as back,
  minutes,
  QUEUE,
  queueEvents,
  queueView,
  residentOf,
} from './webcare-queue.js';
import type { DashboardSection } from './types.js';

/** What the webcare pages are built from (wired in src/app/dashboard.ts). */
export interface WebcareSectionDeps {
  webcare: Pick<
    WebcareCommands,
    | 'queue'
    | 'withdrawnWaiting'
    | 'waitingCount'
    | 'conversation'
    | 'take'
    | 'reply'
    | 'handBack'
    | 'idleNotices'
  >;
  texts: Texts;
  /** Staff names by account id (who has a conversation, who wrote a reply). */
  names(): Promise<Map<string, string>>;
  /** An alderman's name by id (who wrote a line in a live session). */
  aldermanName(id: string): string;
  /** The standard answers of the reply box (webcare-answers.json) and the municipality's name they may use. */
  answers: readonly WebcareAnswer[];
  municipality: string;
  /** The language of a resident who chose none yet. */
  defaultLanguage: Language;
  /** Turning the conversation into a case (the form below the reply box). */
  cases: Pick<WebcareCaseCommands, 'caseForm' | 'makeCase'>;
  /** Whether a resident's message only steered the chat: left out of the case's summary. */
  steers?: Steers;
}

const ERRORS = new Set([
  'webcare.already_taken',
  'webcare.not_yours',
  'webcare.empty_reply',
  'webcare.reply_too_long',
  'webcare.not_found',
  'webcare.unknown_topic',
  'webcare.unknown_department',
  'case.text_empty',
  'case.text_too_long',
]);
/** Errors in what the operator filled in (400); the others are a conflict with the takeover's state. */
const INPUT_ERRORS = new Set([
  'webcare.empty_reply',
  'webcare.reply_too_long',
  'webcare.unknown_topic',
  'webcare.unknown_department',
  'case.text_empty',
  'case.text_too_long',
]);

/** Only operators and admins do webcare; for others the pages do not exist (404). */
const operatorsOnly: preHandlerAsyncHookHandler = async (request, reply) => {
  if (roleMatches(staffOf(request).role, ['operator', 'admin'])) return;
  await reply.notFoundPage();
};

/**
 * The reply box's standard answers, filled in for this operator, and the text the box starts with:
 * the one chosen with `?answer=<id>` (the form that works without JavaScript), else empty.
 */
function replyBox(
  deps: Pick<WebcareSectionDeps, 'answers' | 'municipality'>,
  operator: string,
  lang: Language,
  chosen: unknown,
) {
  const answers = deps.answers.map((a) => ({
    id: a.id,
    title: a.title[lang],
    text: fillWebcareAnswer(a.text[lang], { operator, municipality: deps.municipality }),
    selected: a.id === chosen,
  }));
  return { answers, replyText: answers.find((a) => a.selected)?.text ?? '' };
}

/** The webcare queue and the conversation pages, for operators and admins. */
export function webcareSection(deps: WebcareSectionDeps): DashboardSection {
  const failed = async (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (!(error instanceof DomainError) || !ERRORS.has(error.code)) throw error;
    const t = translator(deps.texts, request.dashboardLang);
    const status = error.code === 'webcare.not_found' ? 404 : INPUT_ERRORS.has(error.code) ? 400 : 409;
    return reply.code(status).page('message', {
      title: t('dashboard.webcare.error_title'),
      message: t(`dashboard.webcare.error.${error.code}` as TextKey),
    });
  };
  /** A tick that sends the header's webcare count when it changed. */
  const countEvents = (request: FastifyRequest) => {
    const t = translator(deps.texts, request.dashboardLang);
    let sent = '';
    return async (): Promise<LiveEvent[]> => {
      const label = t('dashboard.nav.webcare_count', { count: String(await deps.webcare.waitingCount()) });
      if (label === sent) return [];
      sent = label;
      return [{ event: 'count', data: { href: QUEUE, label } }];
    };
  };
  const keyOf = (request: FastifyRequest) => (request.params as { key: string }).key;

  const whoWrote = (entry: TranscriptEntry, t: Translate, names: ReadonlyMap<string, string>) =>
    webcareLineAuthor(entry, t, { staff: (id) => names.get(id), alderman: (id) => deps.aldermanName(id) });

  /** The takeover page; `reveal`: the operator holding it chose to see the masked numbers (audited). */
  const conversationPage = async (request: FastifyRequest, reply: FastifyReply, reveal: boolean) => {
    const me = staffOf(request);
    const key = keyOf(request);
    const t = translator(deps.texts, request.dashboardLang);
    const found = await deps.webcare.conversation(key);
    if (!found) return reply.notFoundPage();
    await request.auditConversation('webcare.view', key);
    const names = await deps.names();
    const r = found.request;
    const resident = residentOf(r.address);
    const state = r.operatorId === null ? 'waiting' : r.operatorId === me.id ? 'mine' : 'other';
    const revealed = reveal && state === 'mine';
    const masker = pageMasker(revealed);
    const form = await caseFormOf(deps, key, found.transcript, request);
    // The resident's language, not the page's: standard answers and the hint are for what they read.
    const theirs = found.language ?? deps.defaultLanguage;
    const grant = revealGrant(request, reply, key, revealed);
    return reply.page('webcare-conversation', {
      title: t('dashboard.webcare.conversation_title', { resident }),
      action: back(key),
      audit: request.conversationAuditHref(key),
      live: `${back(key)}/events?state=${state}${grant}`,
      asked: r.askedAt,
      waited: minutes(r.waitingMs),
      promise: r.promise,
      state,
      holder: r.operatorId === null ? '' : (names.get(r.operatorId) ?? r.operatorId),
      withdrawn: r.withdrawnAt
        ? t('dashboard.webcare.withdrawn', { at: dashboardDateTime(r.withdrawnAt, request.dashboardLang) })
        : '',
      // The resident's own words; what the bot and staff wrote is shown as is. A line's key is the one
      // its live stream sends it under, so the page shows it once.
      transcript: found.transcript.map((e) => ({
        ...e,
        key: entryKey(e),
        who: whoWrote(e, t, names),
        text: e.side === 'in' ? masker.words(e.text) : e.text,
      })),
      language: t(`dashboard.conversation.lang.${theirs}`),
      replyHint: t(theirs === 'en' ? 'dashboard.webcare.reply_hint_en' : 'dashboard.webcare.reply_hint'),
      ...replyBox(deps, me.name, theirs, (request.query as { answer?: unknown }).answer),
      caseForm: { ...form, summary: masker.words(form.summary) },
      // Read after the fields above were built: true when one of them masked a number.
      hidden: state === 'mine' && masker.hidden,
      revealed,
    });
  };

  return {
    nav: [
      {
        href: '/dashboard/webcare',
        label: 'dashboard.nav.webcare',
        visible: (account) => roleMatches(account.role, ['operator', 'admin']),
        count: { label: 'dashboard.nav.webcare_count', of: () => deps.webcare.waitingCount() },
      },
    ],
    routes(scope) {
      scope.get('/webcare', { preHandler: operatorsOnly }, async (request, reply) => {
        const me = staffOf(request);
        const t = translator(deps.texts, request.dashboardLang);
        const [queue, names, notices] = await Promise.all([
          deps.webcare.queue(),
          deps.names(),
          deps.webcare.idleNotices({ id: me.id }),
        ]);
        const view = queueView(queue, names, me.id, t);
        return reply.page('webcare-queue', {
          title: t('dashboard.webcare.title'),
          live: `${QUEUE}/events`,
          rows: view.rows,
          summary: view.summary,
          notices: notices.map((n) =>
            t('dashboard.webcare.idle_notice', { resident: residentOf(n.address) }),
          ),
        });
      });

      scope.get('/webcare/:key', { preHandler: operatorsOnly }, (request, reply) =>
        conversationPage(request, reply, false),
      );

      // Numbers the resident should not have sent (BSN, IBAN, phone) show masked, as on the case page;
      // the operator holding the takeover may show them for this page view and its live lines, audited.
      scope.post('/webcare/:key/reveal', { preHandler: operatorsOnly }, async (request, reply) => {
        const key = keyOf(request);
        const found = await deps.webcare.conversation(key);
        try {
          if (!found) throw new DomainError('webcare.not_found');
          if (found.request.operatorId !== staffOf(request).id) throw new DomainError('webcare.not_yours');
        } catch (error) {
          return failed(request, reply, error);
        }
        await request.auditConversation('webcare.reveal', key);
        return conversationPage(request, reply, true);
      });

      // The queue page, live: its rows as a reload shows them, its summary and the header's count.
      scope.get('/webcare/events', { preHandler: operatorsOnly }, (request, reply) =>
        streamEvents(request, reply, queueEvents(deps, request, staffOf(request).id)),
      );

      // The takeover page, live: the resident's (and the bot's) new messages, the header's count,
      // that the resident withdrew their request, and a notice when the conversation left this
      // page's state (taken, handed back, idle). A new stream (a page just built, or a browser that
      // reconnects after a drop) first sends the whole transcript again, each line with its key and
      // the key of the line before it: the page shows a key once and puts a line it lacked in its
      // place (see `freshEntries`), so none is missed.
      scope.get('/webcare/:key/events', { preHandler: operatorsOnly }, (request, reply) => {
        const me = staffOf(request);
        const key = keyOf(request);
        const query = request.query as Record<string, unknown>;
        let sent: ReadonlySet<string> = new Set();
        const t = translator(deps.texts, request.dashboardLang);
        const count = countEvents(request);
        const granted = revealGranted(request, reply, key);
        let ended = false;
        let withdrawnTold = false;
        return streamEvents(request, reply, async () => {
          if (ended) return null;
          const found = await deps.webcare.conversation(key);
          const holder = found?.request.operatorId ?? null;
          const state = holder === null ? 'waiting' : holder === me.id ? 'mine' : 'other';
          const masker = pageMasker(granted && state === 'mine');
          const tick = freshEntries(found?.transcript ?? [], sent);
          sent = tick.sent;
          // Staff names are read only when a new line is an operator's (the stream asks every second).
          const names = tick.fresh.some(({ entry }) => entry.author?.role === 'operator')
            ? await deps.names()
            : new Map<string, string>();
          const events: LiveEvent[] = tick.fresh.map(({ entry, after }) => ({
            event: 'line',
            data: {
              key: entryKey(entry),
              after,
              side: entry.side,
              label: whoWrote(entry, t, names),
              when: dashboardDateTime(entry.at, request.dashboardLang),
              text: entry.side === 'in' ? masker.words(entry.text) : entry.text,
            },
          }));
          events.push(...((await count()) ?? []));
          // The resident wrote "hoeft niet meer" while an operator has them: the page says so at once,
          // as a reload would (once per stream; the page sets the same words again after a reconnect).
          const withdrawnAt = found?.request.withdrawnAt;
          if (withdrawnAt && !withdrawnTold) {
            withdrawnTold = true;
            const at = dashboardDateTime(withdrawnAt, request.dashboardLang);
            events.push({ event: 'withdrawn', data: { text: t('dashboard.webcare.withdrawn', { at }) } });
          }
          if (!found || state !== query.state) {
            ended = true;
            events.push({
              event: 'notice',
              data: { text: t(found ? 'dashboard.webcare.live.changed' : 'dashboard.webcare.live.gone') },
            });
          }
          return events;
        });
      });

      scope.post('/webcare/:key/take', { preHandler: operatorsOnly }, async (request, reply) => {
        const key = keyOf(request);
        try {
          await deps.webcare.take({ id: staffOf(request).id }, key);
        } catch (error) {
          return failed(request, reply, error);
        }
        return reply.redirect(back(key), 303);
      });

      scope.post('/webcare/:key/reply', { preHandler: operatorsOnly }, async (request, reply) => {
        const key = keyOf(request);
        const body = (request.body ?? {}) as Record<string, unknown>;
        const text = typeof body.text === 'string' ? body.text : '';
        try {
          await deps.webcare.reply({ id: staffOf(request).id }, key, text);
        } catch (error) {
          return failed(request, reply, error);
        }
        return reply.redirect(back(key), 303);
      });

      // Turns the conversation into a case; the resident is told its reference in the chat.
      scope.post('/webcare/:key/case', { preHandler: operatorsOnly }, async (request, reply) => {
        const key = keyOf(request);
        const body = (request.body ?? {}) as Record<string, unknown>;
        const field = (name: string) => (typeof body[name] === 'string' ? body[name] : '');
        // The summary was shown with the numbers masked: the case keeps them as the resident wrote them.
        const written = ((await deps.webcare.conversation(key))?.transcript ?? [])
          .filter((e) => e.side === 'in')
          .map((e) => e.text)
          .join('\n');
        try {
          const made = await deps.cases.makeCase({ id: staffOf(request).id }, key, {
            topic: field('topic'),
            departmentId: field('department'),
            summary: unmaskFrom(field('summary'), written),
            token: field('token'),
          });
          return await reply.redirect(`${back(key)}?made=${encodeURIComponent(made.reference)}#case`, 303);
        } catch (error) {
          return failed(request, reply, error);
        }
      });

      scope.post('/webcare/:key/hand-back', { preHandler: operatorsOnly }, async (request, reply) => {
        try {
          await deps.webcare.handBack({ id: staffOf(request).id }, keyOf(request));
        } catch (error) {
          return failed(request, reply, error);
        }
        return reply.redirect('/dashboard/webcare', 303);
      });
    },
  };
}
