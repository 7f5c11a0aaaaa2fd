import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PASSWORD_LENGTH, passwordProblem } from '../../features/accounts/secrets.js';
import { SIGN_IN_LIMITS } from '../../features/accounts/sign-in.js';
import { translator } from '../../i18n/translator.js';
import {
  clearSessionCookie,
  safeNext,
  sessionToken,
  setLanguageCookie,
  setSessionCookie,
} from './session.js';
import type { DashboardDeps } from './types.js';

type Form = Record<string, string | undefined>;

function formOf(request: FastifyRequest): Form {
  const body = request.body;
  return body && typeof body === 'object' ? (body as Form) : {};
}

/** Per network address, on top of the throttle per account: a flood of tries is cut off early. */
const SIGN_IN_RATE = { max: 30, timeWindow: 60_000 };

/** Sign-in, sign-out, the one-time set-password page and the language switch (no account needed). */
export function mountAuthRoutes(scope: FastifyInstance, deps: DashboardDeps): void {
  const t = (request: FastifyRequest) => translator(deps.texts, request.dashboardLang);

  scope.get('/sign-in', async (request, reply) => {
    const query = request.query as { next?: string; done?: string };
    if (request.staffAccount) return reply.redirect(safeNext(query.next), 303);
    const notice = query.done === 'signed-out' ? t(request)('dashboard.signed_out') : undefined;
    const success = query.done === 'password' ? t(request)('dashboard.set_password.done') : undefined;
    const ended =
      query.done === 'expired'
        ? t(request)('dashboard.sign_in.expired')
        : query.done === 'expired-unsent'
          ? t(request)('dashboard.sign_in.expired_unsent')
          : undefined;
    return reply.page('sign-in', {
      title: t(request)('dashboard.sign_in.title'),
      next: safeNext(query.next),
      email: '',
      notice: notice ?? success,
      warning: ended,
    });
  });

  scope.post('/sign-in', { config: { rateLimit: SIGN_IN_RATE } }, async (request, reply) => {
    const form = formOf(request);
    const email = (form.email ?? '').slice(0, 254);
    const next = safeNext(form.next);
    const result = await deps.accounts.signIn({ email, password: form.password ?? '', address: request.ip });
    if (result.ok) {
      setSessionCookie(reply, result.token);
      if (result.secondFactor)
        return reply.redirect(`/dashboard/sign-in/code?next=${encodeURIComponent(next)}`, 303);
      return reply.redirect(next, 303);
    }
    const tr = t(request);
    const error =
      result.reason === 'throttled'
        ? tr('dashboard.sign_in.throttled', { minutes: SIGN_IN_LIMITS.windowMs / 60_000 })
        : tr('dashboard.sign_in.invalid');
    reply.code(result.reason === 'throttled' ? 429 : 401);
    return reply.page('sign-in', { title: tr('dashboard.sign_in.title'), next, email, error });
  });

  scope.get('/sign-in/code', async (request, reply) => {
    const token = sessionToken(request);
    const next = safeNext((request.query as { next?: unknown }).next);
    if (!token || !(await deps.accounts.pending(token)))
      return reply.redirect(`/dashboard/sign-in?next=${encodeURIComponent(next)}`, 303);
    return reply.page('sign-in-code', { title: t(request)('dashboard.code.title'), next });
  });

  scope.post('/sign-in/code', { config: { rateLimit: SIGN_IN_RATE } }, async (request, reply) => {
    const form = formOf(request);
    const next = safeNext(form.next);
    const token = sessionToken(request);
    const tr = t(request);
    const result = token ? await deps.accounts.giveCode(token, form.code ?? '', request.ip) : 'expired';
    if (result === 'ok') return reply.redirect(next, 303);
    if (result === 'invalid') {
      reply.code(401);
      return reply.page('sign-in-code', {
        title: tr('dashboard.code.title'),
        next,
        error: tr('dashboard.code.invalid'),
      });
    }
    clearSessionCookie(reply);
    if (result === 'throttled') {
      reply.code(429);
      return reply.page('sign-in', {
        title: tr('dashboard.sign_in.title'),
        next,
        email: '',
        error: tr('dashboard.sign_in.throttled', { minutes: SIGN_IN_LIMITS.windowMs / 60_000 }),
      });
    }
    reply.code(401);
    return reply.page('sign-in', {
      title: tr('dashboard.sign_in.title'),
      next,
      email: '',
      error: tr('dashboard.code.expired'),
    });
  });

  scope.post('/sign-out', async (request, reply) => {
    const token = sessionToken(request);
    if (token && request.staffAccount) await deps.accounts.signOut(token, request.staffAccount);
    clearSessionCookie(reply);
    return reply.redirect('/dashboard/sign-in?done=signed-out', 303);
  });

  scope.get('/set-password', async (request, reply) => {
    const query = (request.query as { token?: unknown }).token;
    const token = typeof query === 'string' ? query : '';
    const account = token ? await deps.accounts.linkAccount(token) : null;
    const tr = t(request);
    if (!account) {
      reply.code(410);
      return reply.page('message', {
        title: tr('dashboard.set_password.title'),
        message: tr('dashboard.set_password.invalid_link'),
      });
    }
    return reply.page('set-password', {
      title: tr('dashboard.set_password.title'),
      token,
      intro: tr('dashboard.set_password.intro', { name: account.name, email: account.email }),
      hint: tr('dashboard.set_password.hint', { min: PASSWORD_LENGTH.min }),
    });
  });

  scope.post('/set-password', { config: { rateLimit: SIGN_IN_RATE } }, async (request, reply) => {
    const form = formOf(request);
    const token = form.token ?? '';
    const tr = t(request);
    const account = token ? await deps.accounts.linkAccount(token) : null;
    if (!account) {
      reply.code(410);
      return reply.page('message', {
        title: tr('dashboard.set_password.title'),
        message: tr('dashboard.set_password.invalid_link'),
      });
    }
    const password = form.password ?? '';
    const problem = password !== (form.repeat ?? '') ? 'mismatch' : passwordProblem(password);
    if (problem) {
      const error =
        problem === 'mismatch'
          ? tr('dashboard.set_password.mismatch')
          : problem === 'too-short'
            ? tr('dashboard.set_password.too_short', { min: PASSWORD_LENGTH.min })
            : tr('dashboard.set_password.too_long', { max: PASSWORD_LENGTH.max });
      reply.code(422);
      return reply.page('set-password', {
        title: tr('dashboard.set_password.title'),
        token,
        intro: tr('dashboard.set_password.intro', { name: account.name, email: account.email }),
        hint: tr('dashboard.set_password.hint', { min: PASSWORD_LENGTH.min }),
        error,
      });
    }
    await deps.accounts.setPasswordWithLink(token, password);
    return reply.redirect('/dashboard/sign-in?done=password', 303);
  });

  // Switching the language changes nothing but a preference cookie, so a plain link does it.
  scope.get('/language/:lang', async (request, reply) => {
    const { lang } = request.params as { lang: string };
    if (lang === 'nl' || lang === 'en') setLanguageCookie(reply, lang);
    return reply.redirect(safeNext((request.query as { next?: unknown }).next), 303);
  });
}
