import { afterEach } from 'vitest';
import type { Poll } from '../../src/ports/poll-repository.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DomainError } from '../../src/shared/errors.js';
import { query } from '../privacy/scan.js';
import { startTestApp, type TestApp } from './app-driver.js';
import { postgresTarget } from './services.js';

// What the poll tests set up alike: apps closed after each test, a poll answered on the console,
// the messages residents got, the code a command was refused with.

export const HOUR = 3_600_000;

/** Test apps of one file, each closed after its test; `twoOnPostgres` for a race of two processes. */
export function pollTestApps() {
  const apps: TestApp[] = [];
  const closeAll = async () => {
    while (apps.length) await apps.pop()?.driver.close();
  };
  afterEach(closeAll);
  const start = async (options: Parameters<typeof startTestApp>[0]): Promise<TestApp> => {
    const t = await startTestApp(options);
    apps.push(t);
    return t;
  };
  /**
   * Two apps on one fresh PostgreSQL schema, as two worker processes share it (two on one SQLite
   * file in one test process would block each other), with one clock; their sweep runs hourly.
   * `end` closes them and drops the schema.
   */
  const twoOnPostgres = async () => {
    const { url, drop } = await postgresTarget();
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const options = { databaseUrl: url, clock, app: { sweepMs: 3_600_000 } };
    const end = async () => {
      await closeAll();
      await drop();
    };
    try {
      return { a: await start(options), b: await start(options), clock, end };
    } catch (error) {
      await end();
      throw error;
    }
  };
  return { start, twoOnPostgres };
}

/** A poll for Oud Rijswijk, closing by itself `closesInMs` from now, answered on the console. */
export interface AnsweredPoll {
  question: string;
  /** r0, r1, … answer it (2 by default). */
  residents?: number;
  /** Default two hours. */
  closesInMs?: number;
  /** The option resident `i` chooses (default the first). */
  choice?: (i: number) => number;
}

/** Creates the poll (its invitation and closing jobs planned, as staff do) and stores the answers. */
export async function pollAnsweredBy(t: TestApp, setup: AnsweredPoll): Promise<Poll> {
  const now = t.app.clock.now();
  const poll = await t.app.commands.polls.create(
    {
      question: setup.question,
      options: ['Ja', 'Nee'],
      districts: ['oud-rijswijk'],
      closesAt: new Date(now.getTime() + (setup.closesInMs ?? 2 * HOUR)),
    },
    'test',
  );
  await t.app.uow.transaction(async (r) => {
    for (let i = 0; i < (setup.residents ?? 2); i++)
      await r.polls.answer({
        pollId: poll.id,
        address: { channel: 'console', userId: `r${i}` },
        districtId: 'oud-rijswijk',
        choice: setup.choice?.(i) ?? 0,
        answeredAt: now,
      });
  });
  return poll;
}

/** Every message to a console resident in the outbox (all processes share it), oldest first. */
export async function consoleMessages(t: TestApp): Promise<{ to: string; text: string }[]> {
  const rows = await query<{ user_id: string; body: string }>(
    t.app.db,
    `SELECT user_id, body FROM outbox WHERE kind = 'message' AND channel = 'console' ORDER BY id`,
  );
  return rows.map((r) => ({ to: r.user_id, text: (JSON.parse(r.body) as { text: string }).text }));
}

/** The console residents who got a message naming `question`, sorted (one entry per message). */
export const toldAbout = async (t: TestApp, question: string): Promise<string[]> =>
  (await consoleMessages(t))
    .filter((m) => m.text.includes(question))
    .map((m) => m.to)
    .sort();

/** The code a poll command was refused with, or 'ok'. */
export const refusal = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'ok',
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );
