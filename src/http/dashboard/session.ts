import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../../i18n/translator.js';

/** The staff session cookie: a random token, signed; the database keeps only its hash. */
export const SESSION_COOKIE = 'spreekuur_staff';
/** The page language an account chose. */
export const LANGUAGE_COOKIE = 'spreekuur_staff_lang';

const COOKIE_BASE = {
  path: '/dashboard',
  httpOnly: true,
  sameSite: 'lax',
  // Secure whenever the request came over HTTPS (also behind a proxy that says so).
  secure: 'auto',
} as const;

/** The session token in the request's cookie, when it is there and its signature holds. */
export function sessionToken(request: FastifyRequest): string | null {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : null;
}

/** Sets the session cookie; it lives as long as the browser, the server ends it after 8 idle hours. */
export function setSessionCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { ...COOKIE_BASE, signed: true });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, COOKIE_BASE);
}

/** The language of the page: the account's choice, else the municipality's default. */
export function languageOf(request: FastifyRequest, fallback: Language): Language {
  const chosen = request.cookies[LANGUAGE_COOKIE];
  return chosen === 'nl' || chosen === 'en' ? chosen : fallback;
}

export function setLanguageCookie(reply: FastifyReply, lang: Language): void {
  reply.setCookie(LANGUAGE_COOKIE, lang, { ...COOKIE_BASE, maxAge: 365 * 86_400 });
}

/** A path to return to after signing in: only a page of the dashboard itself, never another site. */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string') return '/dashboard';
  return /^\/dashboard(\/[A-Za-z0-9\-._~%/]*)?(\?[A-Za-z0-9\-._~%&=+]*)?$/.test(value) &&
    !value.includes('//')
    ? value
    : '/dashboard';
}
