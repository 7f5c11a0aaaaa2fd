import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loggableError, type ChannelLogger } from '../common/logger.js';

/** Meta signs every webhook POST with the app secret in this header: `sha256=<hex>`. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

export interface CloudWebhookOptions {
  path: string;
  appSecret: string;
  verifyToken: string;
  /** Hands the checked body on; resolves once what it carried was stored. */
  handle(body: unknown): Promise<void>;
  /** False while the adapter is not started (or stopped): Meta then delivers again later. */
  accepting(): boolean;
  logger: ChannelLogger;
}

/**
 * GET: the verification handshake (answer `hub.challenge` only for `subscribe` with the right token).
 * POST: only with a valid X-Hub-Signature-256 over the raw body, checked in constant time before
 * the JSON is parsed. In a scope of its own, so the raw body parser touches no other route.
 */
export function mountCloudWebhook(server: FastifyInstance, o: CloudWebhookOptions): void {
  const expectedToken = sha256(o.verifyToken);
  void server.register((scope, _options, registered) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 3 * 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    scope.get(o.path, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const mode = query['hub.mode'];
      const token = query['hub.verify_token'];
      const challenge = query['hub.challenge'];
      const ok =
        mode === 'subscribe' &&
        typeof token === 'string' &&
        timingSafeEqual(sha256(token), expectedToken) &&
        typeof challenge === 'string' &&
        /^[\w.-]{1,200}$/.test(challenge);
      if (!ok) return reply.code(403).type('text/plain').send('forbidden');
      return reply.code(200).type('text/plain').send(challenge);
    });
    scope.post(o.path, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!signatureMatches(request.headers[SIGNATURE_HEADER], raw, o.appSecret)) {
        return reply.code(401).send({ ok: false });
      }
      if (!o.accepting()) return reply.code(503).send({ ok: false });
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return reply.code(400).send({ ok: false });
      }
      try {
        await o.handle(body);
        return await reply.code(200).send({ ok: true });
      } catch (err) {
        // A 5xx makes Meta deliver the call again; the engine stores each message id once.
        o.logger.error({ err: loggableError(err) }, 'whatsapp cloud: webhook call failed');
        return reply.code(500).send({ ok: false });
      }
    });
    registered();
  });
}

/** True when `header` is `sha256=` and the HMAC-SHA256 of `raw` under the app secret, compared in constant time. */
export function signatureMatches(header: unknown, raw: Buffer, appSecret: string): boolean {
  if (typeof header !== 'string') return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}

/** The signature Meta would send for `raw` (tests and the benchmark sign with it). */
export function signBody(raw: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
