/**
 * Regressions: an erasure checked its holds and then let each feature's contract erase in a
 * transaction of its own, apart from the resident's turns. A contract that failed after others had
 * erased left the resident half erased and nothing in the privacy log; and a turn that wrote a
 * reply between the check and the erasure had that reply (a message still on its way) erased with
 * the rest, or left behind after an erasure the log called done. Now the check, every contract's
 * erasure and the log's entry are one transaction that first takes the lock a turn takes on the
 * resident's conversation, and deletes the conversation before the messages, so that a message
 * stored meanwhile waits and starts a new conversation. Real SQLite and PostgreSQL.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { features } from '../../src/features/index.js';
import {
  erasePersonalData,
  ErasureHeldError,
  type PrivacyRun,
} from '../../src/features/privacy/privacy-service.js';
import type { PrivacyContract } from '../../src/ports/privacy.js';
import { ManualClock } from '../../src/shared/clock.js';
import { Database } from '../../src/storage/database.js';
import { repositoriesFor } from '../../src/storage/unit-of-work.js';
import type { DatabaseTarget } from '../../src/storage/database-url.js';
import { startTestApp, type TestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget, postgresAvailable } from '../support/services.js';
import { blockedBy } from '../storage/storage-targets.js';
import { query, scanTables } from './scan.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const RESIDENT = 'atomic-5c21e';
const QUESTION = 'Lantaarnmarker31 brandt al een week niet.';
const address = { channel: 'console', userId: RESIDENT };
const key = `console:${RESIDENT}`;

async function start(kind: 'sqlite' | 'postgres'): Promise<{ t: TestApp; target: DatabaseTarget }> {
  const fresh = await freshTarget(kind);
  const t = await startTestApp({ databaseUrl: fresh.url, clock: new ManualClock('2026-12-01T09:00:00Z') });
  cleanups.push(fresh.cleanup, () => t.driver.close());
  return { t, target: fresh.target };
}

/** A resident with a conversation and a question (a case), everything sent. */
async function residentWithQuestion(t: TestApp): Promise<void> {
  for (const text of [
    'hallo',
    'vraag',
    QUESTION,
    'Klaar',
    '2288 GD',
    'Ja',
    'Groen en openbare ruimte',
    'Ja, versturen',
  ])
    await t.driver.send(RESIDENT, text);
  await t.app.settle();
}

const erasures = async (t: TestApp) =>
  (await t.app.commands.privacy.log(50)).filter((e) => e.action === 'erase').length;

describe.each(databaseKinds)('an erasure on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'regression: a contract that fails after the others erased leaves nothing erased and nothing logged (it left the first contracts’ tables erased and no log entry)',
    async () => {
      const { t } = await start(kind);
      await residentWithQuestion(t);
      const stored = await scanTables(t.app.db, [RESIDENT, 'Lantaarnmarker31']);
      for (const table of ['conversations', 'inbound', 'outbox', 'cases'])
        expect(stored[table]?.length ?? 0, table).toBeGreaterThan(0);
      expect(await t.app.commands.privacy.erasureHolds(address)).toEqual([]);

      const contracts = features.flatMap((f) => (f.privacy ? [f.privacy] : []));
      const failing: PrivacyContract = {
        stores: [],
        purge: () => Promise.resolve({}),
        export: () => Promise.resolve({}),
        erase: () => Promise.reject(new Error('injected: the disk is full')),
      };
      const run = (last: PrivacyContract[]): PrivacyRun => ({
        scope: {
          uow: t.app.uow,
          queue: t.app.queue,
          pseudonym: (v) => createHash('sha256').update(v).digest('hex'),
          notifier: t.app.engine,
        },
        contracts: [...contracts, ...last],
        retention: t.app.municipality.retention,
        now: () => t.clock.now(),
      });

      // Every real contract erased before the failing one, in the same transaction.
      await expect(erasePersonalData(run([failing]), address, 'test')).rejects.toThrow('injected');
      expect(await scanTables(t.app.db, [RESIDENT, 'Lantaarnmarker31'])).toEqual(stored);
      expect(await erasures(t)).toBe(0);

      // Without the failure the same erasure goes whole, logged once with every count: the queue's
      // jobs (which no transaction reaches) join the entry once they are removed, after the commit.
      const counts = await erasePersonalData(run([]), address, 'test');
      expect(counts).toMatchObject({ conversations: 1, cases: 1 });
      expect(counts.jobs).toBeGreaterThan(0);
      expect(await scanTables(t.app.db, [RESIDENT, 'Lantaarnmarker31'])).toEqual({});
      const log = (await t.app.commands.privacy.log(50)).filter((e) => e.action === 'erase');
      expect(log.map((e) => e.counts)).toEqual([counts]);
    },
  );
});

describe.skipIf(!postgresAvailable)('an erasure on PostgreSQL, beside a turn of the resident', () => {
  it('regression: an erasure that meets a turn holding the conversation waits for it, then is refused for the reply it wrote (it erased from a check made before the turn committed: the reply, still on its way, went with the data)', async () => {
    const { t, target } = await start('postgres');
    await t.driver.send(RESIDENT, 'hallo');
    await t.app.settle();
    expect(await t.app.commands.privacy.erasureHolds(address)).toEqual([]);
    // Two more connections, as another process would have: one runs the turn, one watches the locks.
    const turnDb = await Database.open(target, { migrate: false });
    const watchDb = await Database.open(target, { migrate: false });
    cleanups.push(
      () => turnDb.close(),
      () => watchDb.close(),
    );

    // A turn with a service call, as the engine runs it: the conversation's lock, then its reply.
    let commit: () => void = () => undefined;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let begun: (pid: number) => void = () => undefined;
    const pid = new Promise<number>((resolve) => (begun = resolve));
    const turn = turnDb.transaction(async (m) => {
      const [row] = await m.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
      const { conversations } = repositoriesFor(turnDb, m);
      expect(await conversations.lockConversation(key)).not.toBeNull();
      const now = t.clock.now();
      // Claimed for an hour: no sweep sends it while the test looks.
      await conversations.addToOutbox(
        [{ kind: 'message', to: address, text: 'Uw vraag is binnen.' }],
        now,
        new Date(now.getTime() + 3_600_000),
      );
      begun(row!.pid);
      await committing;
    });

    // The erasure starts once the turn holds the lock and wrote its reply (not committed yet).
    const turnPid = await Promise.race([pid, turn.then(() => Promise.reject(new Error('the turn ended')))]);
    const erasure = t.app.commands.privacy.erase(address, 'test').catch((e: unknown) => e);
    // The moment this is about: the erasure waits for the turn's lock, not a time.
    expect(await blockedBy(watchDb, turnPid, erasure)).not.toEqual([]);
    commit();
    await turn;

    const refused = await erasure;
    expect(refused).toBeInstanceOf(ErasureHeldError);
    expect((refused as ErasureHeldError).sending).toBe(true);
    // Nothing went: the conversation, the turn's reply and the resident's message are there, nothing logged.
    expect(await query(t.app.db, `SELECT key FROM conversations WHERE key = '${key}'`)).toHaveLength(1);
    const pending = await query(
      t.app.db,
      `SELECT id FROM outbox WHERE user_id = '${RESIDENT}' AND status = 'pending'`,
    );
    expect(pending).toHaveLength(1);
    expect(await erasures(t)).toBe(0);
  });

  it('regression: a message that comes in while the erasure deletes waits for it, then starts a new conversation (stored beside a conversation that was locked but not yet deleted, it stayed pending with no conversation to handle it)', async () => {
    const { t, target } = await start('postgres');
    await t.driver.send(RESIDENT, 'hallo');
    await t.app.settle();
    const holder = await Database.open(target, { migrate: false });
    const watchDb = await Database.open(target, { migrate: false });
    cleanups.push(
      () => holder.close(),
      () => watchDb.close(),
    );
    // The erasure stops where it deletes the resident's messages, until the test lets it go: a
    // trigger waits for an advisory lock the test holds (a key of this test's own).
    const pauseKey = Math.floor(Math.random() * 2 ** 31);
    await watchDb.run((m) =>
      m.query(`CREATE FUNCTION pause_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_advisory_xact_lock_shared(${pauseKey}); RETURN NULL; END $$;
        CREATE TRIGGER pause_erasure BEFORE DELETE ON inbound
          FOR EACH STATEMENT EXECUTE FUNCTION pause_erasure()`),
    );
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked: (pid: number) => void = () => undefined;
    const holderPid = new Promise<number>((resolve) => (locked = resolve));
    const holding = holder.transaction(async (m) => {
      const [row] = await m.query<{ pid: number }[]>(
        `SELECT pg_backend_pid() AS pid, pg_advisory_xact_lock(${pauseKey})`,
      );
      locked(row!.pid);
      await released;
    });
    const pausedBy = await Promise.race([
      holderPid,
      holding.then(() => Promise.reject(new Error('no lock'))),
    ]);

    const erasure = t.app.commands.privacy.erase(address, 'test');
    const [erasing] = await blockedBy(watchDb, pausedBy, erasure);
    expect(erasing).toBeDefined();
    // The resident writes while their conversation is being deleted: the message waits for the erasure.
    const later = t.driver.send(RESIDENT, 'hallo, ik ben er weer');
    expect(await blockedBy(watchDb, erasing!, later)).not.toEqual([]);
    release();
    await holding;
    expect((await erasure).conversations).toBe(1);

    // Then it is a first contact of a new conversation, answered; nothing is left pending.
    expect((await later).length).toBeGreaterThan(0);
    const inbound = await query<{ text: string; status: string }>(
      t.app.db,
      `SELECT text, status FROM inbound WHERE conversation_key = '${key}'`,
    );
    expect(inbound).toEqual([{ text: 'hallo, ik ben er weer', status: 'done' }]);
    expect(await query(t.app.db, `SELECT key FROM conversations WHERE key = '${key}'`)).toHaveLength(1);
  });
});
