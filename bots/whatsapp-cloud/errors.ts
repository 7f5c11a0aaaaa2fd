import { PermanentDeliveryError } from '../../src/ports/channel.js';

/** What the Graph API answered when it refused a message: the HTTP status and its error code. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(`graph ${status}/${code}: ${message.slice(0, 160)}`);
    this.name = 'GraphError';
  }
}

/** Error codes: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes */
export const REENGAGEMENT = 131047;
export const PAIR_RATE = 131056;
export const THROUGHPUT = 130429;

/** Codes that mean "try the same message again later": rate limits and passing trouble at Meta. */
const TRANSIENT = new Set([1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056, 133004, 135000]);

/** How to go on after a refusal. */
export type Verdict = 'retry' | 'template' | 'permanent' | 'later';

/** Reads a refusal: retry here (rate limits, 5xx), switch to a template (131047), give up, or leave to the outbox. */
export function verdictOf(err: unknown): Verdict {
  if (!(err instanceof GraphError)) return 'later';
  if (err.code === REENGAGEMENT) return 'template';
  if (TRANSIENT.has(err.code) || err.status === 0 || err.status >= 500 || err.status === 429) return 'retry';
  // The token or the app's rights (190, 10, 200–299): an operator must act; the outbox keeps the message.
  if (err.code === 190 || err.code === 10 || (err.code >= 200 && err.code < 300) || err.status === 401)
    return 'later';
  // Invalid number, blocked, undeliverable (131026), bad parameters, a template that does not exist.
  return 'permanent';
}

/** A message WhatsApp will never take (invalid number, blocked, undeliverable): set aside, shown to operators. */
export class UndeliverableError extends PermanentDeliveryError {
  constructor(readonly refusal: GraphError) {
    super(`whatsapp cloud: ${refusal.message}`);
    this.name = 'UndeliverableError';
  }
}
