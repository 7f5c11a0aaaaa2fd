/**
 * The end-of-run check: every inbound message stored once and handled, every reply the database
 * holds for a resident received exactly once and in the order written, every case routed once and
 * its timers on the queue once.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { FakeTelegramApi } from '../support/fake-telegram-api.js';
import type { LoadResult } from './residents.js';
import { SCRIPT } from './residents.js';
import { sleep, type PrivatePostgres } from './private-services.js';

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
  /** The answer-by timers run ahead of time at the end (see runTimersNow), by kind, and what they did. */
  timersRun: number;
  remindersRun: number;
  delayNoticesRun: number;
  escalationsRun: number;
  casesRemindedOnce: number;
  casesEscalatedOnce: number;
  residentsToldOfDelayOnce: number;
}

/** What the check found wrong for one resident, to read when a run fails. */
export interface CheckDetails {
  outOfOrder: string[];
  /** The slowest messages: from stored to handled, and from handled to the first reply delivered. */
  slowest: string[];
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
    timersRun: Object.values(timers).reduce((a, b) => a + b, 0),
    remindersRun: timers['remind-assignee'] ?? 0,
    delayNoticesRun: timers['tell-resident-delay'] ?? 0,
    escalationsRun: timers.escalate ?? 0,
    casesRemindedOnce: 0,
    casesEscalatedOnce: 0,
    residentsToldOfDelayOnce: 0,
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
  return { ...counts, details };
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

/** What a run must show; returns the failed conditions (empty when all hold). */
export function problems(c: CheckCounts, residentsFinishing: number): string[] {
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

/**
 * The answer-by timers are days ahead; to see each run once, every delayed `case.timer` job is
 * promoted now and the workers run it (reminder, delay notice to the resident, escalation).
 * Resolves to how many were promoted, by kind, once the queue has nothing waiting or running.
 */
export async function runTimersNow(
  redis: { url: string; prefix: string },
  maxMs: number,
): Promise<Record<string, number>> {
  const queue = new Queue('spreekuur', { connection: { url: redis.url }, prefix: redis.prefix });
  try {
    const promoted: Record<string, number> = {};
    for (const job of await queue.getDelayed()) {
      if (job.name !== 'case.timer') continue;
      await job.promote();
      const kind = String((job.data as { kind?: string }).kind);
      promoted[kind] = (promoted[kind] ?? 0) + 1;
    }
    const started = Date.now();
    while (Date.now() - started < maxMs) {
      const counts = await queue.getJobCounts('wait', 'active', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) break;
      await sleep(250);
    }
    return promoted;
  } finally {
    await queue.close();
  }
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
