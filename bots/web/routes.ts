import { fastifyCookie } from '@fastify/cookie';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { mountFormRoutes } from './form-routes.js';
import { mountLiveRoutes } from './live-routes.js';
import { mountStaticFiles } from './static-files.js';
import type { WebChatCore } from './core.js';

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
    // Open pages end when the server closes (an SSE stream would otherwise hold it open).
    scope.addHook('preClose', (done) => {
      core.registry.closeAll();
      done();
    });
  });
}
