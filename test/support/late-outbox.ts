import type { Address } from '../../src/shared/address.js';
import type { TestApp } from './app-driver.js';

/**
 * Writes a message to `to` that gets the newest outbox id but is placed in the transcript right
 * after the resident's message `after` (as a held message let go later, or a reply a later turn
 * wrote): the ids of the outbox side are then out of transcript order. Returns its id.
 */
export async function writeLateMessage(
  t: TestApp,
  to: Address,
  after: string,
  text: string,
): Promise<number> {
  const transcript = await t.app.uow.run((r) => r.conversations.transcript(to, 200));
  const cause = transcript.find((e) => e.side === 'in' && e.text === after);
  if (!cause) throw new Error(`no message "${after}" from ${to.userId}`);
  const now = t.clock.now();
  const [late] = await t.app.uow.transaction((r) =>
    r.conversations.addToOutbox([{ kind: 'message', to, text, causeId: cause.id }], now, now),
  );
  return late!.id;
}
