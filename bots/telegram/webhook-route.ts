import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Update } from 'telegraf/types';
import { loggableError, type ChannelLogger } from '../common/logger.js';

/** Telegram sends the webhook secret in this header (lower case, as Node gives headers). */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface WebhookRouteOptions {
  path: string;
  secret: string;
  /** Hands the update on; resolves once the ingress accepted it. */
  handle(update: Update): Promise<void>;
  /** False while the adapter is not started (or stopped): Telegram then delivers again later. */
  accepting(): boolean;
  logger: ChannelLogger;
}

/** Mounts the POST route Telegram calls; only requests with the right secret reach the bot. */
export function mountWebhookRoute(app: FastifyInstance, options: WebhookRouteOptions): void {
  const expected = digest(options.secret);
  app.post(
    options.path,
    {
      // Checked before the body is even read, so a stranger's post costs almost nothing.
      onRequest: async (request, reply) => {
        if (!secretMatches(request.headers[SECRET_HEADER], expected)) {
          return reply.code(401).send({ ok: false });
        }
        return undefined;
      },
      bodyLimit: 1024 * 1024,
    },
    async (request, reply) => {
      if (!options.accepting()) return reply.code(503).send({ ok: false });
      const update = request.body;
      if (!isUpdate(update)) return reply.code(400).send({ ok: false });
      try {
        await options.handle(update);
        return await reply.code(200).send({ ok: true });
      } catch (err) {
        // A 5xx makes Telegram deliver the update again later: nothing is lost.
        options.logger.error(
          { err: loggableError(err), updateId: update.update_id },
          'telegram: webhook update failed',
        );
        return reply.code(500).send({ ok: false });
      }
    },
  );
}

/**
 * Compares in constant time. Both sides are hashed first so the buffers always have equal length
 * (timingSafeEqual needs that) and not even the secret's length leaks.
 */
export function secretMatches(header: string | string[] | undefined, expectedDigest: Buffer): boolean {
  if (typeof header !== 'string') return false;
  return timingSafeEqual(digest(header), expectedDigest);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function isUpdate(body: unknown): body is Update {
  if (typeof body !== 'object' || body === null) return false;
  const id = (body as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isSafeInteger(id);
}
