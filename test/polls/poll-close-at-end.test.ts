import { afterAll, describe, expect, it } from 'vitest';
import { closeJobId } from '../../src/features/polls/polls.js';
import { translator } from '../../src/i18n/translator.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { TestApp } from '../support/app-driver.js';
import { HOUR, pollAnsweredBy as answeredPoll, pollTestApps, toldAbout } from '../support/poll-fixture.js';
import { query } from '../privacy/scan.js';
import {
  postgresAvailable,
  REDIS_URL,
  redisAvailable,
  redisPrefix,
  removeRedisKeys,
  sqliteUrl,
} from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

const nl = translator(shippedTexts, 'nl');
const QUESTION = 'Meer bankjes in het park?';
const { start, twoOnPostgres } = pollTestApps();

/** A poll in Oud Rijswijk that closes by itself `closesInMs` from now, answered by `residents` on the console. */
const pollAnsweredBy = (t: TestApp, residents: number, closesInMs?: number) =>
  answeredPoll(t, { question: QUESTION, residents, closesInMs, choice: (i) => (i < 4 ? 0 : 1) });

/** Who got a closing message (nobody here subscribed to invitations: a message naming the question is its outcome). */
const outcomesSent = (t: TestApp) => toldAbout(t, QUESTION);

const closes = async (t: TestApp, id: string) => (await t.app.commands.polls.get(id))?.closedAt ?? null;

describe('a poll past its end date closes by itself (it stayed open and nobody heard the result)', () => {
  it('SQL jobs: at its end date, through the close path: who answered hears it, figures only from 5 answers', async () => {
    const t = await start({ databaseUrl: sqliteUrl(), clock: new ManualClock('2026-12-01T09:00:00Z') });
    const few = await pollAnsweredBy(t, 3);
    await t.driver.advance!(HOUR);
    expect(await closes(t, few.id)).toBeNull();

    const sent = await t.driver.advance!(HOUR + 1000);
    expect(await closes(t, few.id)).not.toBeNull();
    expect((await t.app.commands.polls.list()).find((p) => p.id === few.id)?.outcome).toBe('');
    const told = sent.filter((m) => m.text.includes(nl('poll.outcome', { question: QUESTION })));
    expect(told.map((m) => m.to).sort()).toEqual(['r0', 'r1', 'r2']);
    // Fewer than 5 answers: no figures, the privacy line instead.
    expect(told[0]?.text).toContain(nl('poll.outcome_few'));
    expect(told[0]?.text).not.toContain('%');
    // And the chat no longer offers it.
    expect((await t.driver.send('r0', 'peiling')).map((m) => m.text).join('\n')).not.toContain(QUESTION);
    const audit = await query<{ actor: string }>(
      t.app.db,
      `SELECT actor FROM audit_log WHERE action = 'poll.close' AND subject = 'poll:${few.id}'`,
    );
    expect(audit.map((a) => a.actor)).toEqual(['system']);
  });

  it('with 5 answers or more the residents hear the figures', async () => {
    const t = await start({ databaseUrl: sqliteUrl() });
    const poll = await pollAnsweredBy(t, 5);
    const sent = await t.driver.advance!(2 * HOUR + 1000);
    const told = sent.filter((m) => m.to === 'r0' && m.text.includes(QUESTION));
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain(nl('poll.outcome_line', { label: 'Ja', percent: 80 }));
    expect(await closes(t, poll.id)).not.toBeNull();
  });

  it('a poll staff closed early is not closed (nor told) again at its end date', async () => {
    const t = await start({ databaseUrl: sqliteUrl() });
    const poll = await pollAnsweredBy(t, 2);
    await t.app.commands.polls.close(poll.id, 'Er komen vier bankjes bij.', 'staff:1');
    await t.app.settle();
    const closedAt = await closes(t, poll.id);
    await t.driver.advance!(2 * HOUR + 1000);
    await t.app.sweep();
    await t.app.settle();
    expect(await closes(t, poll.id)).toEqual(closedAt);
    expect(await outcomesSent(t)).toEqual(['r0', 'r1']);
    expect((await t.app.commands.polls.get(poll.id))?.outcome).toBe('Er komen vier bankjes bij.');
  });

  it('regression: a closing whose telling was cut off (the process died after the commit) still tells who answered, once', async () => {
    const t = await start({ databaseUrl: sqliteUrl(), clock: new ManualClock('2026-12-01T09:00:00Z') });
    const poll = await pollAnsweredBy(t, 2);
    // The closing commits, then its telling fails at the first resident, as when the process dies.
    const notify = t.app.engine.notify.bind(t.app.engine);
    t.app.engine.notify = () => Promise.reject(new Error('injected: the process died'));
    await expect(
      t.app.commands.polls.close(poll.id, 'Er komen vier bankjes bij.', 'staff:1'),
    ).rejects.toThrow(/process died/);
    t.app.engine.notify = notify;
    await t.app.settle();
    expect(await closes(t, poll.id)).not.toBeNull();
    expect(await outcomesSent(t)).toEqual([]);

    // A minute later the queue tells them; later sweeps and jobs tell nobody twice.
    await t.driver.advance!(61_000);
    await t.app.settle();
    expect(await outcomesSent(t)).toEqual(['r0', 'r1']);
    await t.driver.advance!(3 * HOUR);
    await t.app.sweep();
    await t.app.settle();
    expect(await outcomesSent(t)).toEqual(['r0', 'r1']);
  });

  it('a closing that told everyone is not told again by its safety-net job', async () => {
    const t = await start({ databaseUrl: sqliteUrl(), clock: new ManualClock('2026-12-01T09:00:00Z') });
    const poll = await pollAnsweredBy(t, 2);
    await t.app.commands.polls.close(poll.id, 'Er komen vier bankjes bij.', 'staff:1');
    await t.app.settle();
    expect(await outcomesSent(t)).toEqual(['r0', 'r1']);
    await t.driver.advance!(61_000);
    await t.app.settle();
    expect(await outcomesSent(t)).toEqual(['r0', 'r1']);
  });

  it('the job of an end date that was moved later leaves the poll open until the new date', async () => {
    const t = await start({ databaseUrl: sqliteUrl(), app: { sweepMs: 3_600_000 } });
    const poll = await pollAnsweredBy(t, 2);
    const later = poll.closesAt!.getTime() + 5 * HOUR;
    await t.app.db.run((m) => m.query(`UPDATE polls SET closes_at = ? WHERE id = ?`, [later, poll.id]));
    await t.driver.advance!(2 * HOUR + 1000);
    expect(await closes(t, poll.id)).toBeNull();
    // Nothing planned the new date's job here: the sweep is the safety net that closes it.
    await t.driver.advance!(5 * HOUR);
    await t.app.sweep();
    await t.app.settle();
    expect(await closes(t, poll.id)).not.toBeNull();
    expect(await outcomesSent(t)).toEqual(['r0', 'r1']);
  });
});

// Two apps in one test process on one SQLite file block each other (better-sqlite3 waits for a lock
// synchronously), so the race of two workers is run on PostgreSQL, as two worker processes share it.
describe.skipIf(!postgresAvailable)('two worker processes on PostgreSQL', () => {
  it(
    'close a poll past its end date exactly once: its job and both sweeps race',
    { timeout: 120_000 },
    async () => {
      const { a, b, clock, end } = await twoOnPostgres();
      try {
        const poll = await pollAnsweredBy(a, 2);
        clock.advance(2 * HOUR + 1000);
        await Promise.all([a.app.sweep(), b.app.sweep(), a.app.sweep(), b.app.sweep()]);
        await Promise.all([a.app.settle(), b.app.settle()]);
        expect(await closes(a, poll.id)).not.toBeNull();
        expect(await outcomesSent(a)).toEqual(['r0', 'r1']);
        const audit = await query<{ actor: string }>(
          a.app.db,
          `SELECT actor FROM audit_log WHERE action = 'poll.close' AND subject = 'poll:${poll.id}'`,
        );
        expect(audit).toHaveLength(1);
      } finally {
        await end();
      }
    },
  );
});

describe.skipIf(!redisAvailable)('BullMQ: a poll closes by itself at its end date', () => {
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) await removeRedisKeys(prefix);
  });

  it('the closing job runs once and tells who answered', async () => {
    const prefix = redisPrefix('poll-close');
    prefixes.push(prefix);
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const options = { databaseUrl: sqliteUrl(), redisUrl: REDIS_URL, queuePrefix: prefix, clock };
    const t = await start(options);
    // BullMQ delays by its own wall clock: an end date one second away.
    const poll = await pollAnsweredBy(t, 2, 1000);
    clock.advance(1000);
    for (let i = 0; i < 200 && (await closes(t, poll.id)) === null; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await t.app.settle();
    expect(await closes(t, poll.id)).not.toBeNull();
    expect(await outcomesSent(t)).toEqual(['r0', 'r1']);
    // Planned again (a sweep, a restart): the same job id adds nothing.
    await t.app.queue.enqueue(
      'polls.close',
      { pollId: poll.id, closesAt: poll.closesAt!.getTime() },
      {
        jobId: closeJobId(poll),
      },
    );
    await t.app.sweep();
    await t.app.settle();
    expect(await outcomesSent(t)).toEqual(['r0', 'r1']);
  });

  it('the sweep closes a poll whose job a lost Redis forgot', async () => {
    const prefix = redisPrefix('poll-sweep');
    prefixes.push(prefix);
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const t = await start({ databaseUrl: sqliteUrl(), redisUrl: REDIS_URL, queuePrefix: prefix, clock });
    const poll = await pollAnsweredBy(t, 2);
    expect(await t.app.queue.cancel(closeJobId(poll))).toBe(true);
    clock.advance(2 * HOUR + 1000);
    await t.app.sweep();
    await t.app.settle();
    expect(await closes(t, poll.id)).not.toBeNull();
    expect(await outcomesSent(t)).toEqual(['r0', 'r1']);
  });
});
