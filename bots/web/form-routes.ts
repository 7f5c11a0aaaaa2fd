import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newResidentId } from './identity.js';
import { renderChatPage, renderForgetConfirmPage, pageQuery, type ChatPageView } from './pages/chat-page.js';
import { CLIENT_ID, type ChatEntry } from './protocol.js';
import { languageOf, refuseForeignOrigin } from './request-checks.js';
import { webTranslator } from './texts.js';
import type { WebChatCore } from './core.js';

type Form = Record<string, string | undefined>;

const REFUSED_STATUS = { rate: 429, 'address-rate': 429, 'too-long': 413 } as const;

/**
 * The page and what works without JavaScript: GET /chat shows the conversation, POST /chat sends a
 * message (then redirects back), POST /chat/forget clears the chat on this device (after a
 * confirmation). POST /chat/session gives a page that lost its cookie a new one.
 */
export function mountFormRoutes(scope: FastifyInstance, core: WebChatCore): void {
  scope.get('/chat', async (request, reply) => {
    const residentId = core.cookie.read(request) ?? newResidentId();
    core.cookie.keep(request, reply, residentId);
    const cleared = (request.query as { cleared?: unknown }).cleared === '1';
    const lang = languageOf(request, core);
    const notice = cleared
      ? {
          text: webTranslator(core.options.texts, lang, core.options.municipality)('webchat.cleared'),
          kind: 'ok' as const,
        }
      : undefined;
    return page(request, reply, core, residentId, await core.history(residentId), {
      ...(notice ? { notice } : {}),
    });
  });

  scope.post('/chat', { bodyLimit: 64 * 1024 }, async (request, reply) => {
    if (refuseForeignOrigin(request, reply, core, false)) return reply;
    const form = formOf(request.body);
    const lang = languageOf(request, core);
    const t = webTranslator(core.options.texts, lang, core.options.municipality);
    const text = form.text ?? '';
    const residentId = core.cookie.read(request);
    if (!residentId || !core.cookie.formTokenMatches(residentId, form.token)) {
      // A stale or foreign form: nothing is sent; the text stays in the box of a fresh page.
      const fresh = residentId ?? newResidentId();
      core.cookie.keep(request, reply, fresh);
      return page(request, reply, core, fresh, await core.history(fresh), {
        draft: text,
        notice: { text: t('webchat.not_sent'), kind: 'warning' },
      });
    }
    const entries = await core.history(residentId);
    const choiceId = form.choice;
    const label = choiceId ? lastChoices(entries).find((c) => c.id === choiceId)?.label : undefined;
    const messageId = form.cmid && CLIENT_ID.test(form.cmid) ? form.cmid : clientId();
    const result = await core.take(
      residentId,
      request.ip,
      { id: messageId, text: label ?? text, ...(choiceId ? { choiceId } : {}) },
      lang,
    );
    if (result.type === 'ack')
      return reply.redirect(`/chat${pageQuery(lang, isEmbed(request))}#spreekuur-input`, 303);
    const notice = result.type === 'refused' ? result.notice : t('webchat.not_sent');
    reply.code(result.type === 'refused' ? REFUSED_STATUS[result.reason] : 503);
    return page(request, reply, core, residentId, entries, {
      draft: text,
      notice: { text: notice, kind: 'warning' },
    });
  });

  scope.post('/chat/forget', { bodyLimit: 16 * 1024 }, async (request, reply) => {
    const json = String(request.headers['content-type'] ?? '').startsWith('application/json');
    if (refuseForeignOrigin(request, reply, core, json)) return reply;
    const residentId = core.cookie.read(request);
    const lang = languageOf(request, core);
    const query = pageQuery(lang, isEmbed(request));
    if (json) {
      forget(request, reply, core, residentId);
      return reply.code(200).send({ ok: true });
    }
    const form = formOf(request.body);
    if (!residentId || !core.cookie.formTokenMatches(residentId, form.token))
      return reply.redirect(`/chat${query}`, 303);
    if (form.confirm !== 'yes') {
      return reply
        .header('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(renderForgetConfirmPage({ ...pageBase(request, core, residentId) }));
    }
    forget(request, reply, core, residentId);
    return reply.redirect(`/chat${query}&cleared=1`, 303);
  });

  scope.post('/chat/session', async (request, reply) => {
    if (refuseForeignOrigin(request, reply, core, true)) return reply;
    core.cookie.keep(request, reply, core.cookie.read(request) ?? newResidentId());
    return reply.header('Cache-Control', 'no-store').send({ ok: true });
  });
}

function forget(request: FastifyRequest, reply: FastifyReply, core: WebChatCore, residentId: string | null) {
  core.cookie.forget(request, reply);
  // Other tabs of this device clear their view too.
  if (residentId) core.registry.forget(residentId);
}

async function page(
  request: FastifyRequest,
  reply: FastifyReply,
  core: WebChatCore,
  residentId: string,
  entries: ChatEntry[],
  extra: Pick<ChatPageView, 'draft' | 'notice'>,
): Promise<FastifyReply> {
  return reply
    .header('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      renderChatPage({ ...pageBase(request, core, residentId), entries, messageId: clientId(), ...extra }),
    );
}

function pageBase(request: FastifyRequest, core: WebChatCore, residentId: string) {
  const lang = languageOf(request, core);
  return {
    lang,
    t: webTranslator(core.options.texts, lang, core.options.municipality),
    token: core.cookie.formToken(residentId),
    embed: isEmbed(request),
    logo: { src: core.options.logo.src, alt: core.options.logo.alt[lang] },
    maxChars: core.limits.maxChars,
  };
}

function lastChoices(entries: ChatEntry[]): { id: string; label: string }[] {
  const last = entries[entries.length - 1];
  return last?.from === 'service' ? (last.choices ?? []) : [];
}

function isEmbed(request: FastifyRequest): boolean {
  return (request.query as { embed?: unknown }).embed === '1';
}

function formOf(body: unknown): Form {
  if (typeof body !== 'object' || body === null) return {};
  const form: Form = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') form[key] = value;
  return form;
}

/** A message id for a form the server made (the page makes its own when JavaScript runs). */
function clientId(): string {
  return randomBytes(12).toString('base64url');
}
