/**
 * The end-of-run check: every inbound message stored once and handled, every reply the database
 * holds for a resident received exactly once and in the order written, every case routed once and
 * its timers on the queue once, every booking timer run exactly once, and every booking's notice to
 * its alderman (booking.tell-alderman) run once: told once in the chat the alderman linked.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { FakeTelegramApi } from '../support/fake-telegram-api.js';
import type { LoadResult } from './residents.js';
import { SCRIPT } from './residents.js';
import { sleep, type PrivatePostgres } from './private-services.js';
import { bookingTimers, type BookingTimerKind } from '../../src/features/scheduling/views.js';
import { aldermanNoticeJob, TELL_ALDERMAN_JOB } from '../../src/features/scheduling/alderman-jobs.js';
import type { AldermanChange } from '../../src/features/scheduling/events.js';
import type { SessionKind } from '../../src/municipality/hours-schema.js';
import { addDays, atLocalTime, localDateOf } from '../../src/shared/local-date.js';

export interface CheckCounts {
  residents: number;
  messagesSent: number;
  messagesStored: number;
  messagesHandled: number;
  messagesWithoutReply: number;
  repliesExpected: number;
  repliesReceived: number;
  repliesMissing: number;
  repliesDuplicated: number;
  residentsOutOfOrder: number;
  deadLetters: number;
  cases: number;
  casesRoutedOnce: number;
  casesRoutedTwiceOrMore: number;
  /** Routed cases, and how many of them have their answer-by timers on the queue. */
  casesRouted: number;
  casesWithTimers: number;
  timerJobsOnQueue: number;
  /** The case timers run ahead of time at the end (see runTimersNow), by kind, and what they did. */
  timersRun: number;
  remindersRun: number;
  delayNoticesRun: number;
  escalationsRun: number;
  casesRemindedOnce: number;
  casesEscalatedOnce: number;
  residentsToldOfDelayOnce: number;
  /** Bookings made, and the residents of the load who booked (one booking each). */
  bookings: number;
  bookers: number;
  /** Bookings whose session ended as it should: a chat session nobody wrote in as missed, a call as held. */
  bookingsEndedRight: number;
  /** The timers each booking had when it was made (reminders, start, no-show, end), and those that ran exactly once. */
  bookingTimers: number;
  bookingTimersRanOnce: number;
  /** booking.timer jobs promoted at the end, run (completed) on the queue, and jobs for a timer no booking had. */
  bookingTimersPromoted: number;
  bookingTimerJobsRun: number;
  bookingTimerJobsUnplanned: number;
  /** Notices the booking timers sent the residents (reminders, session start, missed, end). */
  bookingNotices: number;
  /** booking.tell-alderman jobs: one per booking made; those run exactly once; jobs no booking had. */
  aldermanNoticeJobs: number;
  aldermanNoticeJobsRanOnce: number;
  aldermanNoticeJobsUnplanned: number;
  /**
   * The notices to the alderman who linked a chat (the bookings with them): each stored once for its
   * booking and handled; and every message written to that chat received exactly once, in order.
   */
  aldermanNotices: number;
  aldermanNoticesOnce: number;
  aldermanMessagesWritten: number;
  aldermanMessagesMissing: number;
  aldermanMessagesDuplicated: number;
  aldermanMessagesOutOfOrder: number;
}

/** What the check found wrong for one resident, to read when a run fails. */
export interface CheckDetails {
  outOfOrder: string[];
  /**
   * Each reply received more or fewer times than written, per resident: the outbox rows with its
   * text (and the message that caused them), and each copy the fake got, when and from which process.
   */
  replies: string[];
  /** The slowest messages: from stored to handled, and from handled to the first reply delivered. */
  slowest: string[];
  /** Booking timers that did not run exactly once: queue jobs and notices, for the first few. */
  bookingTimers: string[];
  /** The residents who booked without a booking: how their walk ended, and the last texts they got. */
  bookersWithout: string[];
  /** Expected booking timers by kind, for the printed line. */
  bookingTimersByKind: Record<string, number>;
  /** Alderman notices (jobs, stored notices, messages) that did not come exactly once, for the first few. */
  aldermanNotices: string[];
}

type Row = Record<string, unknown>;

/**
 * Waits until nothing is pending (inbound, outbox, a case still to route) and the fake got no new
 * message for a while. A route job held by a killed worker comes back only when BullMQ finds it
 * stalled (its lock runs out: up to a minute), so quiet chats alone do not mean the work is done.
 */
export async function waitUntilQuiet(
  db: PrivatePostgres,
  database: string,
  api: FakeTelegramApi,
  maxMs: number,
) {
  const started = Date.now();
  let lastSent = -1;
  let quietSince = Date.now();
  while (Date.now() - started < maxMs) {
    const rows = await q(
      db,
      database,
      `SELECT
        (SELECT COUNT(*) FROM inbound WHERE status = 'pending') AS inbound,
        (SELECT COUNT(*) FROM outbox WHERE status = 'pending') AS outbox,
        (SELECT COUNT(*) FROM cases WHERE status = 'new') AS unrouted`,
    ).catch(() => [{ inbound: 1, outbox: 1, unrouted: 1 }]);
    const busy = Number(rows[0]?.inbound) + Number(rows[0]?.outbox) + Number(rows[0]?.unrouted);
    if (api.sent.length !== lastSent) {
      lastSent = api.sent.length;
      quietSince = Date.now();
    }
    if (busy === 0 && Date.now() - quietSince > 3000) return Date.now() - started;
    await sleep(250);
  }
  return Date.now() - started;
}

export async function check(
  db: PrivatePostgres,
  database: string,
  api: FakeTelegramApi,
  load: LoadResult,
  redis: { url: string; prefix: string },
  timers: Record<string, number>,
  alderman: LinkedAlderman,
): Promise<CheckCounts & { details: CheckDetails }> {
  const inbound = await q(
    db,
    database,
    `SELECT id, conversation_key, status FROM inbound WHERE kind = 'message' AND conversation_key LIKE 'telegram:%' ORDER BY id`,
  );
  const outbox = await q(
    db,
    database,
    `SELECT id, user_id, body, cause_id, status, attempts, last_error, created_at, delivered_at FROM outbox WHERE kind = 'message' AND channel = 'telegram' ORDER BY id`,
  );
  const replied = new Set(outbox.map((r) => Number(r.cause_id)));
  const counts: CheckCounts = {
    residents: load.residents.length,
    messagesSent: [...load.pushed.values()].reduce((a, b) => a + b, 0),
    messagesStored: inbound.length,
    messagesHandled: inbound.filter((r) => r.status === 'done').length,
    messagesWithoutReply: inbound.filter((r) => !replied.has(Number(r.id))).length,
    repliesExpected: outbox.length,
    repliesReceived: 0,
    repliesMissing: 0,
    repliesDuplicated: 0,
    residentsOutOfOrder: 0,
    deadLetters: Number((await q(db, database, `SELECT COUNT(*) AS n FROM dead_letters`))[0]?.n),
    cases: 0,
    casesRoutedOnce: 0,
    casesRoutedTwiceOrMore: 0,
    casesRouted: 0,
    casesWithTimers: 0,
    timerJobsOnQueue: 0,
    timersRun: Object.entries(timers)
      .filter(([kind]) => !kind.startsWith('booking '))
      .reduce((a, [, n]) => a + n, 0),
    remindersRun: timers['remind-assignee'] ?? 0,
    delayNoticesRun: timers['tell-resident-delay'] ?? 0,
    escalationsRun: timers.escalate ?? 0,
    casesRemindedOnce: 0,
    casesEscalatedOnce: 0,
    residentsToldOfDelayOnce: 0,
    bookings: 0,
    bookers: load.bookers.length,
    bookingsEndedRight: 0,
    bookingTimers: 0,
    bookingTimersRanOnce: 0,
    bookingTimersPromoted: Object.entries(timers)
      .filter(([kind]) => kind.startsWith('booking '))
      .reduce((a, [, n]) => a + n, 0),
    bookingTimerJobsRun: 0,
    bookingTimerJobsUnplanned: 0,
    bookingNotices: 0,
    aldermanNoticeJobs: 0,
    aldermanNoticeJobsRanOnce: 0,
    aldermanNoticeJobsUnplanned: 0,
    aldermanNotices: 0,
    aldermanNoticesOnce: 0,
    aldermanMessagesWritten: 0,
    aldermanMessagesMissing: 0,
    aldermanMessagesDuplicated: 0,
    aldermanMessagesOutOfOrder: 0,
  };
  const timings = await q(
    db,
    database,
    `SELECT i.id, i.conversation_key, i.received_at, i.handled_at, i.attempts,
            (SELECT MIN(o.delivered_at) FROM outbox o WHERE o.cause_id = i.id AND o.kind = 'message') AS first_reply
     FROM inbound i WHERE i.kind = 'message' AND i.conversation_key LIKE 'telegram:%'
     ORDER BY (SELECT MIN(o.delivered_at) FROM outbox o WHERE o.cause_id = i.id AND o.kind = 'message') - i.received_at DESC NULLS FIRST
     LIMIT 3`,
  );
  const details: CheckDetails = {
    outOfOrder: [],
    replies: [],
    bookingTimers: [],
    bookersWithout: [],
    bookingTimersByKind: {},
    aldermanNotices: [],
    slowest: timings.map(
      (t) =>
        `inbound #${String(t.id)} (${String(t.conversation_key)}, ${String(t.attempts)} failed tries): handled ${Number(t.handled_at) - Number(t.received_at)} ms after it was stored, first reply delivered ${Number(t.first_reply) - Number(t.handled_at)} ms later`,
    ),
  };
  for (const chatId of load.residents) {
    const rows = outbox.filter((r) => r.user_id === String(chatId));
    const expected = rows.map((r) => (JSON.parse(String(r.body)) as { text: string }).text);
    const received = api.sentTo(chatId).map((m) => m.text);
    counts.repliesReceived += received.length;
    const want = tally(expected);
    const got = tally(received);
    for (const [text, n] of want) counts.repliesMissing += Math.max(0, n - (got.get(text) ?? 0));
    for (const [text, n] of got) counts.repliesDuplicated += Math.max(0, n - (want.get(text) ?? 0));
    const wrong = [...new Set([...want.keys(), ...got.keys()])].filter((t) => want.get(t) !== got.get(t));
    if (wrong.length > 0 && details.replies.length < 20)
      // Only a description: a fault in it must not cost the run its counts.
      details.replies.push(
        await describeReplies(db, database, chatId, wrong, rows, want, got, api).catch(
          (error: unknown) => `  resident ${chatId}: could not be described (${String(error)})`,
        ),
      );
    if (expected.length === received.length && expected.some((t, i) => received[i] !== t)) {
      counts.residentsOutOfOrder++;
      if (details.outOfOrder.length < 3) details.outOfOrder.push(describe(chatId, rows, api));
    }
  }
  const cases = await q(
    db,
    database,
    `SELECT c.id, c.answer_by, (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.type = 'routed') AS routed
     FROM cases c`,
  );
  counts.cases = cases.length;
  counts.casesRoutedOnce = cases.filter((c) => Number(c.routed) === 1).length;
  counts.casesRoutedTwiceOrMore = cases.filter((c) => Number(c.routed) > 1).length;
  const timerEvents = await q(
    db,
    database,
    `SELECT c.id,
       (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.type = 'reminded') AS reminded,
       (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.type = 'escalated') AS escalated
     FROM cases c`,
  );
  counts.casesRemindedOnce = timerEvents.filter((c) => Number(c.reminded) === 1).length;
  counts.casesEscalatedOnce = timerEvents.filter((c) => Number(c.escalated) === 1).length;
  const delays = await q(
    db,
    database,
    `SELECT conversation_key, COUNT(*) AS n FROM inbound
     WHERE kind = 'event' AND event LIKE '%"name":"case.delay"%' AND status = 'done' GROUP BY conversation_key`,
  );
  counts.residentsToldOfDelayOnce = delays.filter((d) => Number(d.n) === 1).length;
  const routed = await q(db, database, `SELECT id FROM cases WHERE status = 'routed'`);
  const redisClient = new Redis(redis.url);
  try {
    const keys = await redisClient.keys(`${redis.prefix}:spreekuur:case-*`);
    const timers = keys.filter((k) => !/:(logs|lock)$/.test(k) && !k.includes(':case-route-'));
    counts.timerJobsOnQueue = timers.length;
    counts.casesRouted = routed.length;
    counts.casesWithTimers = routed.filter((c) =>
      timers.some((k) => k.includes(`:case-${String(c.id)}-`)),
    ).length;
  } finally {
    redisClient.disconnect();
  }
  await checkBookingTimers(db, database, redis, counts, details, alderman);
  await checkAldermanNotices(db, database, redis, api, alderman, counts, details);
  const booked = new Set(
    (await q(db, database, `SELECT resident_key FROM bookings`)).map((b) => String(b.resident_key)),
  );
  for (const chatId of load.bookers.filter((id) => !booked.has(`telegram:${id}`))) {
    const last = api
      .sentTo(chatId)
      .slice(-3)
      .map((m) => JSON.stringify(m.text.slice(0, 70)));
    details.bookersWithout.push(
      `telegram:${chatId}: ${load.bookingOutcomes.get(chatId) ?? 'did not get to confirm'}; last texts ${last.join(' | ')}`,
    );
  }
  return { ...counts, details };
}

/** The resident's notice each booking timer kind sends (the end of a missed chat session sends none). */
const NOTICE_OF: Record<string, BookingTimerKind> = {
  'live.start': 'start',
  'live.missed': 'noshow',
  'live.end': 'end',
};

/**
 * Every booking's timers, as planned when it was made (the app's own bookingTimers), each run
 * exactly once: one completed booking.timer job for it on the queue and nothing of it left
 * waiting or failed, and exactly the notices it owes the resident (a reminder, the session's start,
 * the missed session, the end of a call), each stored once and handled. The chat sessions nobody
 * writes in are missed, so their end timer has nothing to say: it must run, and say nothing.
 */
async function checkBookingTimers(
  db: PrivatePostgres,
  database: string,
  redis: { url: string; prefix: string },
  counts: CheckCounts,
  details: CheckDetails,
  alderman: LinkedAlderman,
): Promise<void> {
  const bookings = await q(
    db,
    database,
    `SELECT id, resident_key, slot_start, slot_end, status, kind, created_at FROM bookings`,
  );
  counts.bookings = bookings.length;
  counts.bookingsEndedRight = bookings.filter(
    (b) => b.status === (b.kind === 'chat' ? 'no_show' : 'completed'),
  ).length;
  const key = (bookingId: string, kind: string, slotStart: number) => `${bookingId} ${kind} ${slotStart}`;
  const expected = new Map<string, { kind: BookingTimerKind; notices: number }>();
  for (const b of bookings) {
    const booking = {
      id: String(b.id),
      slotStart: new Date(Number(b.slot_start)),
      slotEnd: new Date(Number(b.slot_end)),
      status: 'active' as const,
      kind: String(b.kind) as SessionKind,
    };
    for (const t of bookingTimers(booking, new Date(Number(b.created_at)))) {
      const notices = t.data.kind === 'end' && booking.kind === 'chat' ? 0 : 1;
      expected.set(key(t.data.bookingId, t.data.kind, t.data.slotStart), { kind: t.data.kind, notices });
      details.bookingTimersByKind[t.data.kind] = (details.bookingTimersByKind[t.data.kind] ?? 0) + 1;
    }
  }
  counts.bookingTimers = expected.size;

  // The notices, by the booking and timer they are for (not by their event id: a second run that
  // made up a new id would be a second notice to the resident). The alderman's own chat hears of a
  // session's end too; that is not the resident's notice.
  const events = await q(
    db,
    database,
    `SELECT event, status FROM inbound WHERE kind = 'event'
     AND (event LIKE '%"name":"booking.reminder"%' OR event LIKE '%"name":"live.%')
     AND conversation_key <> 'telegram:${alderman.chatId}'`,
  );
  const notices = new Map<string, { stored: number; handled: number }>();
  for (const e of events) {
    const { name, payload } = JSON.parse(String(e.event)) as {
      name: string;
      payload: { booking: { id: string; start: number }; kind?: string };
    };
    const kind = name === 'booking.reminder' ? payload.kind : NOTICE_OF[name];
    if (kind === undefined) continue;
    const k = key(payload.booking.id, kind, payload.booking.start);
    const n = notices.get(k) ?? { stored: 0, handled: 0 };
    n.stored++;
    if (e.status === 'done') n.handled++;
    notices.set(k, n);
    counts.bookingNotices++;
  }

  const queue = new Queue('spreekuur', { connection: { url: redis.url }, prefix: redis.prefix });
  const jobs = new Map<string, { completed: number; other: number }>();
  try {
    const tally = (list: Job[], field: 'completed' | 'other') => {
      for (const job of list) {
        if (job.name !== 'booking.timer') continue;
        const d = job.data as { bookingId: string; kind: string; slotStart: number };
        const k = key(d.bookingId, d.kind, d.slotStart);
        const j = jobs.get(k) ?? { completed: 0, other: 0 };
        j[field]++;
        jobs.set(k, j);
      }
    };
    tally(await queue.getJobs(['completed']), 'completed');
    tally(await queue.getJobs(['failed', 'delayed', 'wait', 'active', 'prioritized']), 'other');
  } finally {
    await queue.close();
  }
  counts.bookingTimerJobsRun = [...jobs.values()].reduce((a, j) => a + j.completed, 0);
  counts.bookingTimerJobsUnplanned = [...jobs.keys()].filter((k) => !expected.has(k)).length;

  for (const [k, want] of expected) {
    const job = jobs.get(k) ?? { completed: 0, other: 0 };
    const notice = notices.get(k) ?? { stored: 0, handled: 0 };
    const once =
      job.completed === 1 &&
      job.other === 0 &&
      notice.stored === want.notices &&
      notice.handled === want.notices;
    if (once) counts.bookingTimersRanOnce++;
    else if (details.bookingTimers.length < 5)
      details.bookingTimers.push(
        `booking timer ${k}: ${job.completed} jobs run, ${job.other} left on the queue, ${notice.stored} notices stored (${notice.handled} handled) of ${want.notices}`,
      );
  }
}

/** The alderman whose chat the suite linked (staff_identities), and the fake Telegram chat it is. */
export interface LinkedAlderman {
  aldermanId: string;
  chatId: number;
}

/**
 * Every booking's notice to its alderman, run once: one completed booking.tell-alderman job with the
 * id the resident's turn (and the sweep after a Redis wipe) gives it, nothing of it left waiting or
 * failed. For the alderman who linked a chat, each booking told exactly once there (the stored
 * 'booking.alderman' event, by booking and change, not by event id) and handled; and every message
 * the database holds for that chat received by the fake exactly once, in the order written. The
 * other aldermen linked no chat: their jobs run and tell no one.
 */
async function checkAldermanNotices(
  db: PrivatePostgres,
  database: string,
  redis: { url: string; prefix: string },
  api: FakeTelegramApi,
  alderman: LinkedAlderman,
  counts: CheckCounts,
  details: CheckDetails,
): Promise<void> {
  const note = (line: string) => {
    if (details.aldermanNotices.length < 5) details.aldermanNotices.push(line);
  };
  const bookings = await q(db, database, `SELECT id, alderman_id, slot_start FROM bookings`);
  // Every booking of the load is a booking made (none is moved or cancelled): its 'booked' notice.
  const expected = new Map(
    bookings.map((b) => [
      aldermanNoticeJob({ id: String(b.id), start: Number(b.slot_start) }, 'booked').jobId,
      String(b.alderman_id),
    ]),
  );
  counts.aldermanNoticeJobs = expected.size;
  const queue = new Queue('spreekuur', { connection: { url: redis.url }, prefix: redis.prefix });
  const jobs = new Map<string, { completed: number; other: number }>();
  try {
    const tally = (list: Job[], field: 'completed' | 'other') => {
      for (const job of list) {
        if (job.name !== TELL_ALDERMAN_JOB) continue;
        const j = jobs.get(String(job.id)) ?? { completed: 0, other: 0 };
        j[field]++;
        jobs.set(String(job.id), j);
      }
    };
    tally(await queue.getJobs(['completed']), 'completed');
    tally(await queue.getJobs(['failed', 'delayed', 'wait', 'active', 'prioritized']), 'other');
  } finally {
    await queue.close();
  }
  counts.aldermanNoticeJobsUnplanned = [...jobs.keys()].filter((id) => !expected.has(id)).length;
  for (const id of expected.keys()) {
    const job = jobs.get(id) ?? { completed: 0, other: 0 };
    if (job.completed === 1 && job.other === 0) counts.aldermanNoticeJobsRanOnce++;
    else note(`job ${id}: ${job.completed} run, ${job.other} left on the queue`);
  }

  const key = `telegram:${alderman.chatId}`;
  const events = await q(
    db,
    database,
    `SELECT event, status FROM inbound WHERE kind = 'event' AND conversation_key = '${key}'
     AND event LIKE '%"name":"booking.alderman"%'`,
  );
  const told = new Map<string, { stored: number; handled: number }>();
  for (const e of events) {
    const { payload } = JSON.parse(String(e.event)) as {
      payload: { booking: { id: string; start: number }; change: AldermanChange };
    };
    const k = aldermanNoticeJob(payload.booking, payload.change).jobId;
    const n = told.get(k) ?? { stored: 0, handled: 0 };
    n.stored++;
    if (e.status === 'done') n.handled++;
    told.set(k, n);
  }
  const theirs = [...expected].filter(([, id]) => id === alderman.aldermanId).map(([k]) => k);
  counts.aldermanNotices = theirs.length;
  for (const k of theirs) {
    const n = told.get(k) ?? { stored: 0, handled: 0 };
    if (n.stored === 1 && n.handled === 1) counts.aldermanNoticesOnce++;
    else note(`notice ${k}: stored ${n.stored} times, handled ${n.handled}`);
  }
  for (const k of told.keys())
    if (!theirs.includes(k)) note(`notice ${k}: told, but no booking of ${alderman.aldermanId} had it`);

  const outbox = await q(
    db,
    database,
    `SELECT body FROM outbox WHERE kind = 'message' AND channel = 'telegram' AND user_id = '${alderman.chatId}' ORDER BY id`,
  );
  const written = outbox.map((r) => (JSON.parse(String(r.body)) as { text: string }).text);
  const received = api.sentTo(alderman.chatId).map((m) => m.text);
  counts.aldermanMessagesWritten = written.length;
  const want = tally(written);
  const got = tally(received);
  for (const [text, n] of want) counts.aldermanMessagesMissing += Math.max(0, n - (got.get(text) ?? 0));
  for (const [text, n] of got) counts.aldermanMessagesDuplicated += Math.max(0, n - (want.get(text) ?? 0));
  if (written.length === received.length && written.some((t, i) => received[i] !== t))
    counts.aldermanMessagesOutOfOrder = 1;
  for (const text of new Set([...want.keys(), ...got.keys()]))
    if (want.get(text) !== got.get(text))
      note(
        `message ${JSON.stringify(text.slice(0, 60))}: written ${want.get(text) ?? 0}, received ${got.get(text) ?? 0}`,
      );
}

/** One resident's outbox beside what the fake received, in order, for a failed run's output. */
function describe(chatId: number, rows: Row[], api: FakeTelegramApi): string {
  const short = (t: string) => JSON.stringify(t.slice(0, 40));
  const written = rows.map(
    (r) =>
      `    #${String(r.id)} cause ${String(r.cause_id)} attempts ${String(r.attempts)} created ${String(r.created_at)} delivered ${String(r.delivered_at)}${typeof r.last_error === 'string' ? ` error ${r.last_error.slice(0, 80)}` : ''}: ${short((JSON.parse(String(r.body)) as { text: string }).text)}`,
  );
  const got = api.sentTo(chatId).map((m) => `    at ${m.at}: ${short(m.text)}`);
  return [`  resident ${chatId}, written:`, ...written, '  received:', ...got].join('\n');
}

/**
 * One resident's replies that arrived more or fewer times than the outbox holds them: per text, the
 * outbox rows (status, tries, last error, written and delivered by the processes' clock) with the
 * inbound message or event that caused each, then every copy the fake accepted and every send it
 * refused, with the time it came in and the process that sent it (`<name>.<n>`: the n-th start).
 */
async function describeReplies(
  db: PrivatePostgres,
  database: string,
  chatId: number,
  texts: string[],
  rows: Row[],
  want: Map<string, number>,
  got: Map<string, number>,
  api: FakeTelegramApi,
): Promise<string> {
  const textOf = (r: Row) => (JSON.parse(String(r.body)) as { text: string }).text;
  const causes = [
    ...new Set(
      rows.filter((r) => r.cause_id !== null && texts.includes(textOf(r))).map((r) => Number(r.cause_id)),
    ),
  ];
  const inbound = new Map(
    (causes.length
      ? await q(
          db,
          database,
          `SELECT id, kind, text, event, status, attempts, received_at, handled_at FROM inbound WHERE id IN (${causes.filter(Number.isInteger).join(', ') || 'NULL'})`,
        )
      : []
    ).map((r) => [Number(r.id), r]),
  );
  const short = (t: string) => JSON.stringify(t.slice(0, 60));
  const iso = (ms: unknown) =>
    ms === null || ms === undefined
      ? 'never'
      : Number.isFinite(Number(ms))
        ? new Date(Number(ms)).toISOString()
        : JSON.stringify(ms);
  const cause = (id: number) => {
    const i = inbound.get(id);
    if (!i) return `inbound #${id}`;
    const what =
      i.kind === 'message'
        ? `message ${short(String(i.text))}`
        : `event ${String((JSON.parse(String(i.event)) as { name?: string }).name)}`;
    return `inbound #${id} (${what}, ${String(i.status)}, ${String(i.attempts)} failed tries, stored ${iso(i.received_at)}, handled ${iso(i.handled_at)})`;
  };
  const lines = [`  resident ${chatId}:`];
  for (const text of texts) {
    lines.push(`    ${short(text)}: written ${want.get(text) ?? 0}, received ${got.get(text) ?? 0}`);
    for (const r of rows.filter((row) => textOf(row) === text))
      lines.push(
        `      outbox #${String(r.id)} ${String(r.status)}, ${String(r.attempts)} failed tries${typeof r.last_error === 'string' ? ` (last: ${r.last_error.slice(0, 100)})` : ''}, written ${iso(r.created_at)}, delivered ${iso(r.delivered_at)}; caused by ${r.cause_id === null ? 'nothing stored' : cause(Number(r.cause_id))}`,
      );
    for (const a of api.sendAttempts.filter((m) => m.chatId === String(chatId) && m.text === text))
      lines.push(
        `      ${a.outcome === 'accepted' ? 'received' : `refused (${a.outcome})`} ${new Date(a.at).toISOString()} from ${a.via ?? 'an unnamed process'}`,
      );
  }
  return lines.join('\n');
}

/** What a run must show; returns the failed conditions (empty when all hold). */
export function problems(c: CheckCounts, residentsFinishing: number): string[] {
  return [...messageProblems(c, residentsFinishing), ...bookingProblems(c), ...aldermanProblems(c)];
}

function aldermanProblems(c: CheckCounts): string[] {
  const out: string[] = [];
  if (c.aldermanNoticeJobs !== c.bookings)
    out.push(`${c.aldermanNoticeJobs} alderman notice jobs expected for ${c.bookings} bookings`);
  if (c.aldermanNoticeJobsRanOnce !== c.aldermanNoticeJobs)
    out.push(
      `${c.aldermanNoticeJobs - c.aldermanNoticeJobsRanOnce} of ${c.aldermanNoticeJobs} alderman notice jobs did not run exactly once`,
    );
  if (c.aldermanNoticeJobsUnplanned > 0)
    out.push(`${c.aldermanNoticeJobsUnplanned} alderman notice jobs for no booking`);
  if (c.aldermanNotices === 0) out.push('no booking with the linked alderman: their notices were not tested');
  if (c.aldermanNoticesOnce !== c.aldermanNotices)
    out.push(
      `${c.aldermanNotices - c.aldermanNoticesOnce} of ${c.aldermanNotices} bookings not told to the alderman's chat exactly once`,
    );
  if (c.aldermanMessagesWritten < c.aldermanNotices)
    out.push(
      `${c.aldermanMessagesWritten} messages written to the alderman's chat for ${c.aldermanNotices} notices`,
    );
  if (c.aldermanMessagesMissing > 0)
    out.push(`${c.aldermanMessagesMissing} messages to the alderman missing`);
  if (c.aldermanMessagesDuplicated > 0)
    out.push(`${c.aldermanMessagesDuplicated} messages to the alderman received twice`);
  if (c.aldermanMessagesOutOfOrder > 0) out.push(`the alderman got their messages out of order`);
  return out;
}

function messageProblems(c: CheckCounts, residentsFinishing: number): string[] {
  const out: string[] = [];
  if (c.messagesStored !== c.messagesSent)
    out.push(`stored ${c.messagesStored} of ${c.messagesSent} messages`);
  if (c.messagesHandled !== c.messagesStored) out.push(`handled ${c.messagesHandled} of ${c.messagesStored}`);
  if (c.messagesWithoutReply > 0) out.push(`${c.messagesWithoutReply} messages without a reply`);
  if (c.repliesMissing > 0) out.push(`${c.repliesMissing} replies missing`);
  if (c.repliesDuplicated > 0) out.push(`${c.repliesDuplicated} replies received twice`);
  if (c.residentsOutOfOrder > 0) out.push(`${c.residentsOutOfOrder} residents got replies out of order`);
  if (c.deadLetters > 0) out.push(`${c.deadLetters} dead letters`);
  if (c.cases !== residentsFinishing) out.push(`${c.cases} cases for ${residentsFinishing} residents`);
  if (c.casesRoutedOnce !== c.cases) out.push(`${c.cases - c.casesRoutedOnce} cases not routed exactly once`);
  if (c.casesRouted !== c.cases) out.push(`${c.casesRouted} of ${c.cases} cases routed`);
  if (c.casesWithTimers !== c.casesRouted)
    out.push(`${c.casesRouted - c.casesWithTimers} routed cases without their timers on the queue`);
  // Every case has an escalation timer; the reminder and the delay notice when their moment falls
  // between the case's creation and its answer-by date. Each one that was on the queue ran once.
  if (c.escalationsRun !== c.cases) out.push(`${c.escalationsRun} escalation timers for ${c.cases} cases`);
  if (c.casesEscalatedOnce !== c.escalationsRun)
    out.push(`${c.casesEscalatedOnce} cases escalated once for ${c.escalationsRun} escalation timers`);
  if (c.casesRemindedOnce !== c.remindersRun)
    out.push(`${c.casesRemindedOnce} cases reminded once for ${c.remindersRun} reminder timers`);
  if (c.residentsToldOfDelayOnce !== c.delayNoticesRun)
    out.push(`${c.residentsToldOfDelayOnce} residents told of a delay once for ${c.delayNoticesRun} timers`);
  return out;
}

function bookingProblems(c: CheckCounts): string[] {
  const out: string[] = [];
  if (c.bookers === 0) out.push('nobody booked: the booking timers were not tested');
  if (c.bookings !== c.bookers) out.push(`${c.bookings} bookings for ${c.bookers} residents who booked`);
  if (c.bookingsEndedRight !== c.bookings)
    out.push(`${c.bookings - c.bookingsEndedRight} bookings did not end as missed (chat) or held (phone)`);
  if (c.bookingTimersRanOnce !== c.bookingTimers)
    out.push(
      `${c.bookingTimers - c.bookingTimersRanOnce} of ${c.bookingTimers} booking timers did not run exactly once`,
    );
  if (c.bookingTimerJobsUnplanned > 0)
    out.push(`${c.bookingTimerJobsUnplanned} booking timer jobs for timers no booking had`);
  return out;
}

/**
 * The answer-by timers and the booking timers are days or weeks ahead; to see each run once, the
 * delayed `case.timer` and `booking.timer` jobs are promoted now and the workers run them, in three
 * rounds, each once the queue is quiet: the case timers, the booking reminders and the sessions'
 * start; then, with every process's clock moved (TEST_CLOCK_FILE) past the last booked slot, the
 * no-show checks; then the sessions' end. Resolves to how many were promoted, by kind.
 */
export async function runTimersNow(
  redis: { url: string; prefix: string },
  clockFile: string,
  maxMs: number,
): Promise<Record<string, number>> {
  const queue = new Queue('spreekuur', { connection: { url: redis.url }, prefix: redis.prefix });
  try {
    const promoted: Record<string, number> = {};
    const kindOf = (job: Job) => String((job.data as { kind?: string }).kind);
    const round = async (pick: (job: Job) => boolean) => {
      for (const job of await queue.getDelayed()) {
        if (!pick(job)) continue;
        await job.promote();
        const kind = job.name === 'booking.timer' ? `booking ${kindOf(job)}` : kindOf(job);
        promoted[kind] = (promoted[kind] ?? 0) + 1;
      }
      const started = Date.now();
      while (Date.now() - started < maxMs) {
        const counts = await queue.getJobCounts('wait', 'active', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) break;
        await sleep(250);
      }
    };
    const sessionTimer = (job: Job) =>
      job.name === 'booking.timer' && (kindOf(job) === 'noshow' || kindOf(job) === 'end');
    await round((job) => job.name === 'case.timer' || (job.name === 'booking.timer' && !sessionTimer(job)));
    // The last moment any session timer is planned for: after it every slot has begun. The clock
    // goes to the night after it, 01:00, before that day's privacy purge (03:00): the purge would
    // otherwise find every finished job a week old and take away what the check reads.
    const last = Math.max(
      Date.now(),
      ...(await queue.getDelayed()).filter(sessionTimer).map((job) => job.timestamp + job.delay),
    );
    let night = atLocalTime(addDays(localDateOf(new Date(last), TIME_ZONE), 1), '01:00', TIME_ZONE);
    if (night.getTime() < last + 60_000) night = new Date(night.getTime() + 24 * 60 * 60_000);
    setClockAhead(clockFile, night.getTime() - Date.now());
    // Every process reads the file again within 100 ms.
    await sleep(500);
    await round((job) => sessionTimer(job) && kindOf(job) === 'noshow');
    await round((job) => sessionTimer(job) && kindOf(job) === 'end');
    return promoted;
  } finally {
    await queue.close();
  }
}

/** The municipality's time zone (data/municipality.json), in which the privacy purge runs at 03:00. */
const TIME_ZONE = 'Europe/Amsterdam';

/** Moves the clock of every service process that reads `file` (TEST_CLOCK_FILE) `ms` ahead of real time. */
export function setClockAhead(file: string, ms: number): void {
  // Written whole, then renamed: a process never reads half a number.
  writeFileSync(`${file}.new`, String(Math.round(ms)));
  renameSync(`${file}.new`, file);
}

export const SCRIPT_LENGTH = SCRIPT.length;

function tally(texts: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of texts) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

async function q(db: PrivatePostgres, database: string, sql: string): Promise<Row[]> {
  return db.queryIn(database, sql);
}
