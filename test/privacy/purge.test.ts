import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { retentionCutoff, type RetentionKey } from '../../src/municipality/retention.js';
import type { Case } from '../../src/ports/case-repository.js';
import type { Booking } from '../../src/ports/booking-repository.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { Database } from '../../src/storage/database.js';
import { TypeOrmJobStore } from '../../src/storage/repositories/job-store.js';
import { startTestApp, type TestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget } from '../support/services.js';
import { query } from './scan.js';

const DAY = 24 * 60 * 60_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Where each kind of record keeps the moment its term counts from, and whether it still names a resident. */
const probes: Record<RetentionKey, string> = {
  messages: `SELECT 'in' || id AS id, received_at AS t FROM inbound UNION ALL
             SELECT 'out' || id AS id, created_at AS t FROM outbox WHERE kind = 'message'`,
  deliveries: `SELECT 'out' || id AS id, created_at AS t FROM outbox WHERE kind <> 'message'`,
  conversations: `SELECT key AS id, updated_at AS t FROM conversations`,
  cases: `SELECT id, updated_at AS t FROM cases WHERE resident_key <> 'anonymous' AND status IN ('answered', 'closed')`,
  bookings: `SELECT id, slot_end AS t FROM bookings WHERE resident_key <> 'anonymous'`,
  jobs: `SELECT id, updated_at AS t FROM jobs WHERE status IN ('completed', 'failed')`,
  linkCodes: `SELECT code_hash AS id, expires_at AS t FROM staff_link_codes`,
  subscriptions: `SELECT conversation_key AS id, consented_at AS t FROM participation_subscriptions`,
  audit: `SELECT 'a' || id AS id, at AS t FROM privacy_audit`,
  pollAnswers: `SELECT poll_id || '/' || conversation_key AS id, answered_at AS t FROM poll_answers`,
};

async function probe(db: Database, key: RetentionKey): Promise<{ id: string; t: number }[]> {
  const rows = await query<{ id: string; t: unknown }>(db, probes[key]);
  return rows.map((r) => ({ id: String(r.id), t: instant(r.t) }));
}

function instant(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && /^\d{4}-/.test(value))
    return new Date(`${value.replace(' ', 'T')}Z`).getTime();
  return Number(value);
}

/** Anonymous figures a report reads: they must come out the same before and after any purge. */
async function statistics(db: Database): Promise<unknown> {
  const q = (text: string) => query(db, text);
  const norm = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v,
        ]),
      ),
    );
  return {
    cases: norm(
      await q(`SELECT district_id, topic, channel, status, COUNT(*) AS n, SUM(rating) AS ratings,
               COUNT(answered_at) AS answered FROM cases GROUP BY district_id, topic, channel, status
               ORDER BY district_id, topic, channel, status`),
    ),
    bookings: norm(
      await q(`SELECT alderman_id, kind, status, COUNT(*) AS n, SUM(rating) AS ratings, SUM(slot_end - slot_start) AS minutes
               FROM bookings GROUP BY alderman_id, kind, status ORDER BY alderman_id, kind, status`),
    ),
  };
}

/** Fills every table with records of every kind at known ages before `at`. */
async function seed(t: TestApp, ages: Record<RetentionKey, number[]>, at: Date): Promise<void> {
  const { app } = t;
  const ago = (days: number) => new Date(at.getTime() - days * DAY);
  const jobs = new TypeOrmJobStore(app.db);
  let n = 0;
  for (const days of ages.messages) {
    const when = ago(days);
    const address = { channel: 'console', userId: `m${n++}` };
    await app.uow.transaction(async (r) => {
      const id = await r.conversations.storeInbound({
        dedupeKey: `console:${randomUUID()}`,
        address,
        kind: 'message',
        text: `bericht van ${days} dagen`,
        now: when,
      });
      await r.conversations.markHandled(id!, when);
      // The conversation itself is young: only its message is old.
      await r.conversations.saveState(`console:${address.userId}`, { v: 1 }, at, {});
      const out = await r.conversations.addToOutbox(
        [{ kind: 'message', to: address, text: 'antwoord', causeId: id! }],
        when,
        when,
      );
      await r.conversations.markDelivered(
        out.map((o) => o.id),
        when,
      );
    });
  }
  for (const days of ages.deliveries) {
    const when = ago(days);
    await app.uow.transaction(async (r) => {
      const out = await r.conversations.addToOutbox(
        [{ kind: 'job', name: 'x', data: { days }, causeId: 0 }],
        when,
        when,
      );
      await r.conversations.markDelivered(
        out.map((o) => o.id),
        when,
      );
    });
  }
  for (const days of ages.conversations) {
    const when = ago(days);
    const address = { channel: 'console', userId: `c${n++}` };
    await app.uow.transaction(async (r) => {
      const id = await r.conversations.storeInbound({
        dedupeKey: `console:${randomUUID()}`,
        address,
        kind: 'message',
        text: 'hallo',
        now: at,
      });
      await r.conversations.markHandled(id!, at);
      await r.conversations.saveState(`console:${address.userId}`, { v: 1, lang: 'nl' }, when, {});
    });
  }
  for (const [i, days] of ages.cases.entries()) {
    const when = ago(days);
    const status = i % 3 === 0 ? 'answered' : 'closed';
    await app.uow.transaction(async (r) => {
      await r.cases.insertIfNew(
        aCase({ status, residentKey: `console:k${n++}`, createdAt: ago(days + 20), updatedAt: when }),
      );
    });
  }
  // A question still waiting for its answer is never purged, however old.
  await app.uow.transaction((r) =>
    r.cases.insertIfNew(
      aCase({ status: 'routed', residentKey: 'console:open', createdAt: ago(3000), updatedAt: ago(3000) }),
    ),
  );
  for (const days of ages.bookings) {
    const end = ago(days);
    await app.uow.transaction((r) =>
      r.bookings.insert(aBooking(new Date(end.getTime() - 10 * 60_000), `console:b${n++}`)),
    );
  }
  // An appointment still to come.
  await app.uow.transaction((r) =>
    r.bookings.insert(aBooking(new Date(at.getTime() + 5 * DAY), 'console:future')),
  );
  for (const days of ages.linkCodes) {
    await app.uow.run((r) =>
      r.staff.addLinkCode(randomUUID().replace(/-/g, ''), 'fatma-yilmaz', ago(days), ago(days + 0.01)),
    );
  }
  for (const days of ages.jobs) {
    const when = ago(days).getTime();
    const id = `seed-${n++}`;
    await jobs.insertIfAbsent({
      queueName: 'spreekuur',
      id,
      name: 'x',
      data: '{}',
      runAt: when,
      maxAttempts: 1,
      backoffMs: 1,
      now: when,
    });
    await jobs.claim({ queueName: 'spreekuur', workerId: 'w', now: when, lockedUntil: when + 1000 });
    await jobs.complete({ queueName: 'spreekuur', id, workerId: 'w', now: when });
  }
  // A job still waiting (a reminder for next week) is not finished, so never purged.
  await jobs.insertIfAbsent({
    queueName: 'spreekuur',
    id: 'waiting',
    name: 'x',
    data: '{}',
    runAt: at.getTime() + DAY,
    maxAttempts: 1,
    backoffMs: 1,
    now: ago(400).getTime(),
  });
  // One resident answers polls at every age: purging an old answer keeps their newer ones.
  for (const [i, days] of ages.pollAnswers.entries()) {
    const pollId = `poll-${i}`;
    await app.uow.run((r) =>
      r.polls.insert({
        id: pollId,
        question: 'Meer bankjes?',
        options: ['ja', 'nee'],
        scale: false,
        districts: ['oud-rijswijk'],
        followUp: null,
        opensAt: ago(days + 1),
        closesAt: null,
        closedAt: null,
        outcome: null,
        outcomeVersion: 0,
        createdBy: 'seed',
        createdAt: ago(days + 1),
      }),
    );
    await app.uow.run((r) =>
      r.polls.answer({
        pollId,
        address: { channel: 'console', userId: 'poller' },
        districtId: 'oud-rijswijk',
        choice: i % 2,
        answeredAt: ago(days),
      }),
    );
  }
  for (const days of ages.subscriptions) {
    const address = { channel: 'console', userId: `s${n++}` };
    await app.uow.run((r) =>
      r.participation.subscribe({
        conversationKey: `console:${address.userId}`,
        address,
        districtId: app.municipality.districts[0]!.id,
        topic: null,
        consentedAt: ago(days),
      }),
    );
  }
  for (const days of ages.audit) {
    await app.uow.run((r) =>
      r.privacyAudit.add({ at: ago(days), action: 'purge', actor: 'seed', counts: {} }),
    );
  }
}

let serial = 0;
function aCase(o: { status: Case['status']; residentKey: string; createdAt: Date; updatedAt: Date }): Case {
  const nr = ++serial;
  const answered = o.status === 'answered' || o.status === 'closed';
  return {
    id: randomUUID(),
    reference: `RSW-2026-${String(nr).padStart(6, '0')}`,
    residentKey: o.residentKey,
    residentName: 'Anna',
    handler: null,
    waitingSince: null,
    channel: nr % 2 ? 'console' : 'telegram',
    language: 'nl',
    districtId: nr % 2 ? 'centrum' : null,
    topic: nr % 3 ? 'afval' : 'verkeer',
    text: `Vraag nummer ${nr} met mijn adres`,
    kind: 'question',
    proposal: null,
    stage: null,
    status: o.status,
    assignee: { type: 'alderman', id: 'fatma-yilmaz' },
    answerBy: new Date(o.createdAt.getTime() + 10 * DAY),
    answer: answered ? 'Het antwoord' : null,
    answeredAt: answered ? new Date(o.createdAt.getTime() + 3 * DAY) : null,
    reopenedCount: 0,
    promisedBy: null,
    rating: answered ? (nr % 5) + 1 : null,
    escalated: false,
    idempotencyKey: `inbound:seed-${nr}`,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

function aBooking(start: Date, residentKey: string): Booking {
  const nr = ++serial;
  return {
    id: randomUUID(),
    reference: `AFS-${String(nr).padStart(6, '0')}`,
    aldermanId: nr % 2 ? 'fatma-yilmaz' : 'anna-de-vries',
    slotStart: start,
    slotEnd: new Date(start.getTime() + 10 * 60_000),
    residentKey,
    residentFirstName: 'Anna',
    topic: `Onderwerp ${nr}`,
    kind: 'phone',
    place: '',
    status: start.getTime() > Date.UTC(2030, 0, 1) ? 'active' : 'completed',
    icsToken: randomUUID().replace(/-/g, ''),
    transcript: [{ at: start.toISOString(), from: 'resident', text: 'Goedemiddag' }],
    rating: (nr % 5) + 1,
    createdAt: start,
    updatedAt: start,
  };
}

describe.each(databaseKinds)('retention purge on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'at several dates leaves nothing past its term, touches nothing within it, and statistics still add up',
    async () => {
      const first = new Date('2031-06-01T01:00:00Z');
      const clock = new ManualClock(first);
      const fresh = await freshTarget(kind);
      const t = await startTestApp({ databaseUrl: fresh.url, clock, app: { runJobs: false } });
      cleanups.push(fresh.cleanup, () => t.driver.close());
      const retention = t.app.municipality.retention;
      // Around each term: just inside, just past, far past; and a young one.
      const ages = Object.fromEntries(
        Object.entries(retention).map(([key, { days }]) => [key, [0.5, days - 1, days + 1, days * 2 + 3]]),
      ) as Record<RetentionKey, number[]>;
      await seed(t, ages, first);
      const keys = Object.keys(probes) as RetentionKey[];
      const stats = await statistics(t.app.db);

      for (const at of [first, new Date(first.getTime() + 2 * DAY), new Date(first.getTime() + 800 * DAY)]) {
        clock.set(at);
        const before = Object.fromEntries(
          await Promise.all(keys.map(async (k) => [k, await probe(t.app.db, k)] as const)),
        );
        const dry = await t.app.commands.privacy.purge({ at, dryRun: true, actor: 'test' });
        const counts = await t.app.commands.privacy.purge({ at, actor: 'test' });
        expect(dry).toEqual(counts);
        if (at === first)
          for (const table of ['inbound', 'outbox', 'conversations', 'cases', 'case_events', 'bookings'])
            expect(counts[table], table).toBeGreaterThanOrEqual(table === 'case_events' ? 0 : 1);
        for (const key of keys) {
          const cutoff = retentionCutoff(retention, key, at).getTime();
          const after = await probe(t.app.db, key);
          expect(
            after.filter((r) => r.t < cutoff),
            `${key} past its term at ${at.toISOString()}`,
          ).toEqual([]);
          const kept = before[key]!.filter((r) => r.t >= cutoff)
            .map((r) => r.id)
            .sort();
          const keptAfter = after
            .filter((r) => kept.includes(r.id))
            .map((r) => r.id)
            .sort();
          expect(keptAfter, `${key} within its term at ${at.toISOString()}`).toEqual(kept);
          // On the first date every kind has records past its term, so each check above had work to do.
          if (at === first)
            expect(
              before[key]!.some((r) => r.t < cutoff),
              key,
            ).toBe(true);
        }
        expect(await statistics(t.app.db)).toEqual(stats);
      }
      // Something was really past its term at each kind, so the checks above had work to do.
      const log = await t.app.commands.privacy.log(10);
      const total = (e: (typeof log)[number]) => Object.values(e.counts).reduce((a, b) => a + b, 0);
      expect(
        log
          .filter((e) => e.action === 'purge' && e.actor === 'test' && !e.dryRun)
          .map(total)
          .every((n) => n > 0),
      ).toBe(true);
      // The open question and the appointment to come are still there, with their resident.
      const open = await query<{ resident_key: string }>(
        t.app.db,
        `SELECT resident_key FROM cases WHERE status = 'routed'`,
      );
      expect(open.map((r) => r.resident_key)).toEqual(['console:open']);
      const waiting = await new TypeOrmJobStore(t.app.db).find('spreekuur', 'waiting');
      expect(waiting?.status).toBe('waiting');
    },
  );
});
