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

/** An outbox message whose id is taken in a transaction that has not committed yet. */
export interface HeldMessage {
  /** The outbox id it took. */
  id: number;
  /** Lets the transaction commit, and waits until it has. */
  commit(): Promise<void>;
}

/**
 * Writes a message to `to`, placed after the resident's newest message, in a real transaction that
 * takes its outbox id now and holds it, uncommitted, until `commit()`: as a bot turn's reply does
 * while an operator's answer, written meanwhile with a higher id, commits first (PostgreSQL).
 */
export async function holdOutboxMessage(t: TestApp, to: Address, text: string): Promise<HeldMessage> {
  const transcript = await t.app.uow.run((r) => r.conversations.transcript(to, 200));
  const cause = transcript.findLast((e) => e.side === 'in');
  if (!cause) throw new Error(`no message from ${to.userId}`);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let taken!: (id: number) => void;
  const id = new Promise<number>((resolve) => (taken = resolve));
  const done = t.app.uow.transaction(async (r) => {
    const now = t.clock.now();
    const [row] = await r.conversations.addToOutbox(
      [{ kind: 'message', to, text, causeId: cause.id }],
      now,
      now,
    );
    taken(row!.id);
    await released;
  });
  // A transaction that fails before it took its id fails the test here, not by a hang.
  const heldId = await Promise.race([id, done.then(() => 0)]);
  return {
    id: heldId,
    async commit() {
      release();
      await done;
    },
  };
}
