import type { FastifyReply, FastifyRequest } from 'fastify';
import { pickLanguage, type WebLanguage } from './texts.js';
import type { WebChatCore } from './core.js';

/** The page's language for a request: ?lang=, else the browser's preference, else the default. */
export function languageOf(request: FastifyRequest, core: WebChatCore): WebLanguage {
  const lang = (request.query as { lang?: unknown } | undefined)?.lang;
  return pickLanguage(
    typeof lang === 'string' ? lang : undefined,
    request.headers['accept-language'],
    core.options.defaultLanguage,
  );
}

/**
 * Refuses a request a page of another, not allowed site made (cross-site request forgery, socket
 * hijacking). `required`: a browser always sends Origin here (a POST with JSON, a WebSocket).
 */
export function refuseForeignOrigin(
  request: FastifyRequest,
  reply: FastifyReply,
  core: WebChatCore,
  required: boolean,
): boolean {
  const origin = request.headers.origin;
  // A form posted under Referrer-Policy: no-referrer says "null"; its form token protects it.
  if ((origin === undefined || origin === 'null') && !required) return false;
  if (core.origins.permits(origin, request.headers.host)) return false;
  void reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
  return true;
}
