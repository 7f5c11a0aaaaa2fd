/**
 * Two processes' outbox sweeps claiming at the same moment: each due item goes to one of them, so a
 * reply is sent once, and one person's messages are never sent by two processes at once (out of
 * order). On PostgreSQL the second claim meets the first one's lock while that one is not committed
 * yet; SQLite runs one write at a time, so there is no such moment there.
 */
import { expect, it } from 'vitest';
import type { OutboxItem, StoredOutboxItem } from '../../src/ports/conversation-repository.js';
import type { Database } from '../../src/storage/database.js';
import { repositoriesFor } from '../../src/storage/unit-of-work.js';
import { blockedBy, describeContract } from './storage-targets.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, s));
const serves = { channels: ['console'], jobs: true };

/** A sweep's claim in a transaction on `db` that stays open until `commit` is called. */
function heldClaim(db: Database) {
  let commit: () => void = () => undefined;
  const committed = new Promise<void>((resolve) => (commit = resolve));
  let started: (pid: number) => void = () => undefined;
  const pid = new Promise<number>((resolve) => (started = resolve));
  const claimed = db.transaction(async (m) => {
    const rows = await m.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
    const due = await repositoriesFor(db, m).conversations.claimDueOutbox(at(1), at(61), serves, 500);
    started(rows[0]!.pid);
    await committed;
    return due;
  });
  return { pid, claimed, commit };
}

const ids = (items: StoredOutboxItem[]) => items.map((i) => i.id).sort((a, b) => a - b);

describeContract('outbox claims', (store) => {
  it('regression: a sweep that meets another sweep’s uncommitted claim does not claim the same items again (it waited for the row locks, then took the rows the first had claimed: replies sent twice by two processes)', async (ctx) => {
    if (store.kind !== 'postgres') ctx.skip();
    const [a, b, c] = store.databases as [Database, Database, Database];
    // Due at once: written for the sweep (claimed until their own time), as after a turn another
    // process had handled, to two residents.
    const items: OutboxItem[] = ['een', 'twee', 'drie'].flatMap((text) =>
      ['r1', 'r2'].map((userId) => ({ kind: 'message' as const, to: { channel: 'console', userId }, text })),
    );
    const stored = await store.run((r) => r.conversations.addToOutbox(items, at(0), at(0)));
    const first = heldClaim(a);
    const pid = await first.pid;
    const second = b.run((m) =>
      repositoriesFor(b, m).conversations.claimDueOutbox(at(1), at(61), serves, 500),
    );
    // The race this is about: the second claim met the first one's locks.
    expect(await blockedBy(c, pid, second)).not.toEqual([]);
    first.commit();
    expect(ids(await first.claimed)).toEqual(ids(stored));
    // Once the first committed, the items are claimed: the second sweep has none of them.
    expect(await second).toEqual([]);
  });

  it('regression: a message written while another sweep’s claim of an earlier one to the same person is open waits for that one (the second sweep claimed it from a snapshot without the first claim: two processes sent one person’s messages at once, out of order)', async (ctx) => {
    if (store.kind !== 'postgres') ctx.skip();
    const [a, b, c] = store.databases as [Database, Database, Database];
    // Someone the test above wrote nothing to (its items stay claimed and would hold these back).
    const to = { channel: 'console', userId: 'r3' };
    const [earlier] = await store.run((r) =>
      r.conversations.addToOutbox([{ kind: 'message', to, text: 'een' }], at(0), at(0)),
    );
    const first = heldClaim(a);
    const pid = await first.pid;
    // Written after the first sweep read the outbox, before the second reads it: a turn of another
    // process whose reply waits behind the earlier one, for the sweep.
    await store.run((r) =>
      r.conversations.addToOutbox([{ kind: 'message', to, text: 'twee' }], at(1), at(1)),
    );
    const second = b.run((m) =>
      repositoriesFor(b, m).conversations.claimDueOutbox(at(1), at(61), serves, 500),
    );
    expect(await blockedBy(c, pid, second)).not.toEqual([]);
    first.commit();
    expect(ids(await first.claimed)).toEqual([earlier!.id]);
    // The earlier message is claimed and not delivered yet: the later one waits for it.
    expect(await second).toEqual([]);
  });
});
