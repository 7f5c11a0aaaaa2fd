import Fastify, { type FastifyInstance } from 'fastify';
import type { ChannelState } from '../ports/channel.js';

/** What /healthz reports. */
export interface Health {
  ok: boolean;
  municipality: string;
  database: { kind: string; ok: boolean };
  queue: { driver: string; ok: boolean };
  channels: Record<string, ChannelState>;
}

export interface HttpDependencies {
  health(): Promise<Health>;
  /** Routes that features and channels add (calendar files, the Telegram webhook). */
  routes?: ((server: FastifyInstance) => void)[];
}

/** The service's HTTP server: health, and whatever features mount on it. */
export function buildHttpServer(deps: HttpDependencies): FastifyInstance {
  const server = Fastify({ logger: false, bodyLimit: 1_000_000, trustProxy: true });
  server.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    // The strictest policy unless a route (a page, the logo) set its own.
    if (!reply.hasHeader('Content-Security-Policy'))
      reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    done(null, payload);
  });
  server.get('/healthz', async (_request, reply) => {
    const health = await deps.health();
    return reply.code(health.ok ? 200 : 503).send({ status: health.ok ? 'ok' : 'unavailable', ...health });
  });
  for (const mount of deps.routes ?? []) mount(server);
  return server;
}
