import type { FastifyReply, FastifyRequest } from 'fastify';
import { staffOf } from './guards.js';

/**
 * A page whose staff member chose to see the masked numbers (audited) carries a signed grant in its
 * live events URL, so only that staff member's stream of that subject shows them too.
 */
const grantOf = (request: FastifyRequest, subject: string) => `${staffOf(request).id}:${subject}`;

/** The events URL's `&reveal=…` for a revealed page view; empty when the page was not revealed. */
export function revealGrant(
  request: FastifyRequest,
  reply: FastifyReply,
  subject: string,
  revealed: boolean,
): string {
  return revealed ? `&reveal=${encodeURIComponent(reply.signCookie(grantOf(request, subject)))}` : '';
}

/** Whether the events request carries a valid grant for this staff member and subject. */
export function revealGranted(request: FastifyRequest, reply: FastifyReply, subject: string): boolean {
  const query = request.query as Record<string, unknown>;
  const signed = typeof query.reveal === 'string' ? reply.unsignCookie(query.reveal) : null;
  return signed?.valid === true && signed.value === grantOf(request, subject);
}
