import { createHash, timingSafeEqual } from 'node:crypto';
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

/** What /readyz reports: whether a load balancer should send this process work. */
export interface Readiness {
  ready: boolean;
  /** Why not, one short reason each (e.g. "database unreachable", "channel telegram disconnected"). */
  reasons: string[];
}

export interface HttpDependencies {
  health(): Promise<Health>;
  /** /readyz; without it /readyz follows /healthz. */
  ready?(): Promise<Readiness>;
  /** /metrics in Prometheus text format; `token` (METRICS_TOKEN) makes it ask for a bearer token. */
  metrics?: { render(): Promise<string>; token?: string };
  /** Routes that features and channels add (calendar files, the Telegram webhook). */
  routes?: ((server: FastifyInstance) => void)[];
  /**
   * The proxies whose X-Forwarded-For gives the client's address (TRUST_PROXY): hops or addresses.
   * Unset, the client is the peer of the connection and the header is ignored, so nobody can pick
   * an address to dodge a per-address limit or to put in the audit log.
   */
  trustProxy?: string | number;
}

/** The service's HTTP server: health, and whatever features mount on it. */
export function buildHttpServer(deps: HttpDependencies): FastifyInstance {
  const server = Fastify({
    logger: false,
    bodyLimit: 1_000_000,
    trustProxy: trustedProxies(deps.trustProxy),
  });
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
    // A channel that lost its connection leaves the process alive and useful: degraded, not down.
    const degraded = Object.values(health.channels).some((state) => state === 'disconnected');
    const status = !health.ok ? 'unavailable' : degraded ? 'degraded' : 'ok';
    return reply.code(health.ok ? 200 : 503).send({ status, ...health });
  });
  server.get('/readyz', async (_request, reply) => {
    const readiness: Readiness = deps.ready
      ? await deps.ready()
      : await deps.health().then((h) => ({ ready: h.ok, reasons: h.ok ? [] : ['unhealthy'] }));
    return reply
      .code(readiness.ready ? 200 : 503)
      .send({ status: readiness.ready ? 'ready' : 'not ready', ...readiness });
  });
  const metrics = deps.metrics;
  if (metrics) {
    server.get('/metrics', async (request, reply) => {
      if (metrics.token && !sameSecret(request.headers.authorization ?? '', `Bearer ${metrics.token}`))
        return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'unauthorized' });
      return reply
        .header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(await metrics.render());
    });
  }
  for (const mount of deps.routes ?? []) mount(server);
  return server;
}

/** Compares a given secret with the expected one in constant time. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Fastify's form of TRUST_PROXY: a number of hops becomes "the nearest n proxies". */
function trustedProxies(
  setting: string | number | undefined,
): string | ((address: string, hop: number) => boolean) | false {
  if (setting === undefined) return false;
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}
