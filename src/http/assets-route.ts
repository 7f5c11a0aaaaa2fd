import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { Theme } from '../municipality/theme.js';

const require = createRequire(import.meta.url);

/** The NL Design System component styles, read once from the installed package. */
function componentCss(): string {
  return readFileSync(require.resolve('@utrecht/component-library-css/dist/index.css'), 'utf8');
}

/**
 * Shared assets of the pages (dashboard, web chat): `/assets/nlds.css` (NL Design System components),
 * `/assets/theme.css` (the municipality's design tokens) and `/assets/logo.svg|png`.
 */
export function assetsRoute(theme: Theme): (server: FastifyInstance) => void {
  const components = componentCss();
  const cached = 'public, max-age=3600';
  return (server) => {
    server.get('/assets/nlds.css', (_request, reply) =>
      reply.header('Cache-Control', cached).type('text/css; charset=utf-8').send(components),
    );
    server.get('/assets/theme.css', (_request, reply) =>
      reply.header('Cache-Control', cached).type('text/css; charset=utf-8').send(theme.css),
    );
    server.get(`/assets/logo${theme.logo.extension}`, (_request, reply) =>
      reply
        .header('Cache-Control', cached)
        // An SVG opened on its own must not run anything.
        .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
        .type(theme.logo.contentType)
        .send(theme.logo.body),
    );
  };
}
