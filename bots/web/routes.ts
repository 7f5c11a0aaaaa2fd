import { fastifyCookie } from '@fastify/cookie';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mountFormRoutes } from './form-routes.js';
import { mountLiveRoutes } from './live-routes.js';
import { mountStaticFiles } from './static-files.js';
import { pickLanguage, type WebLanguage } from './texts.js';
import type { WebChatCore } from './web-adapter.js';

/** The chat page's own policy: only our scripts, styles and connections; framed only where allowed. */
function pageCsp(frameAncestors: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** Mounts the web chat's routes in their own Fastify scope (their own hooks, parsers and CSP). */
export function mountWebChatRoutes(server: FastifyInstance, core: WebChatCore): void {
  void server.register(async (scope) => {
    await scope.register(websocket, { options: { maxPayload: 64 * 1024 } });
    // The cookie helpers need the plugin loaded once; another part of the server may have done so.
    if (!scope.hasDecorator('parseCookie')) await scope.register(fastifyCookie, { hook: false });
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 64 * 1024 },
        (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
      );
    }
    const csp = pageCsp(core.origins.frameAncestors());
    // Runs after the server's own onSend (default-src 'none'), so pages get their policy.
    scope.addHook('onSend', (_request, reply, payload, done) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
        reply.header('Content-Security-Policy', csp);
      done(null, payload);
    });
    mountStaticFiles(scope, core.options);
    mountFormRoutes(scope, core);
    mountLiveRoutes(scope, core);
  });
}

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
