import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import type { Poll } from '../../src/ports/poll-repository.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { TestApp } from '../support/app-driver.js';
import {
  consoleMessages,
  HOUR,
  pollAnsweredBy as answeredPoll,
  pollTestApps,
  refusal as code,
} from '../support/poll-fixture.js';
import { query } from '../privacy/scan.js';
import { postgresAvailable, sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

// Regression: a poll closed at its end date has no outcome text (the closing writes ''), and there
// was no way for staff to write one afterwards, so the residents who answered never heard what the
// municipality does with it. Now staff write (or correct) it on the closed poll; each version is
// told once to who answered, also when two staff save at once or the process dies after the commit.

const nl = translator(shippedTexts, 'nl');
const QUESTION = 'Een speeltuin aan de Cluis?';
const PLAN = 'Wij bouwen de speeltuin in het voorjaar.';
const { start, twoOnPostgres } = pollTestApps();

/** A poll that closes by itself in an hour, answered by `residents` on the console. */
const pollAnsweredBy = (t: TestApp, residents: number) =>
  answeredPoll(t, { question: QUESTION, residents, closesInMs: HOUR, choice: (i) => i % 2 });

/** Every message to residents about the poll that carries an outcome text, per resident, in order. */
const plansSent = async (t: TestApp): Promise<string[]> =>
  (await consoleMessages(t))
    .filter((m) => m.text.includes(QUESTION) && m.text.includes('Dit doet de gemeente ermee:'))
    .map((m) => `${m.to}: ${m.text.split('\n').at(-1)}`)
    .sort();

const outcomeOf = async (t: TestApp, id: string) => (await t.app.commands.polls.get(id))?.outcome;

/** Closes the poll at its end date (its job), as nobody closed it before. */
async function closedAtEnd(t: TestApp, poll: Poll): Promise<Poll> {
  await t.driver.advance!(HOUR + 1000);
  await t.app.settle();
  const closed = (await t.app.commands.polls.get(poll.id))!;
  expect(closed.closedAt).not.toBeNull();
  expect(closed.outcome).toBe('');
  return closed;
}

describe('the outcome text of a closed poll (a poll closed at its end date had none, for good)', () => {
  it('staff write it after the closing: who answered hears it once; a correction once more', async () => {
    const t = await start({ databaseUrl: sqliteUrl(), clock: new ManualClock('2026-12-01T09:00:00Z') });
    const poll = await closedAtEnd(t, await pollAnsweredBy(t, 2));
    expect(await plansSent(t)).toEqual([]);

    const from = t.sent.length;
    const written = await t.app.commands.polls.writeOutcome(poll.id, `  ${PLAN}  `, 0, 'staff:1');
    await t.app.settle();
    expect(written).toMatchObject({ told: 2, notTold: 0, unchanged: false });
    expect(await outcomeOf(t, poll.id)).toBe(PLAN);
    const heard = t.sent.slice(from);
    expect(heard.map((m) => m.to).sort()).toEqual(['r0', 'r1']);
    expect(heard[0]?.text.split('\n')).toEqual([
      nl('poll.outcome_later', { question: QUESTION }),
      nl('poll.outcome_plan', { outcome: PLAN }),
    ]);

    // The same text again (a second click): nothing changes, nobody hears it twice.
    expect(await t.app.commands.polls.writeOutcome(poll.id, PLAN, 0, 'staff:1')).toMatchObject({
      unchanged: true,
      told: 0,
    });
    // Its safety-net job a minute later tells nobody again.
    await t.driver.advance!(61_000);
    await t.app.settle();
    expect(await plansSent(t)).toEqual([
      `r0: Dit doet de gemeente ermee: ${PLAN}`,
      `r1: Dit doet de gemeente ermee: ${PLAN}`,
    ]);

    // A correction from the page staff saw (version 1): told once, as a correction.
    const fixed = 'Wij bouwen de speeltuin in de zomer.';
    const before = t.sent.length;
    await t.app.commands.polls.writeOutcome(poll.id, fixed, 1, 'staff:2');
    await t.app.settle();
    const corrected = t.sent.slice(before);
    expect(corrected).toHaveLength(2);
    expect(corrected[0]?.text).toContain(nl('poll.outcome_corrected', { question: QUESTION }));
    expect(corrected[0]?.text).toContain(fixed);
    // A save from a page older than that change is refused; the text stays.
    expect(await code(t.app.commands.polls.writeOutcome(poll.id, 'Iets anders.', 1, 'staff:1'))).toBe(
      'poll.outcome_changed',
    );
    expect(await outcomeOf(t, poll.id)).toBe(fixed);
    await t.driver.advance!(3 * 61_000);
    await t.app.sweep();
    await t.app.settle();
    expect(await plansSent(t)).toHaveLength(4);
    const audit = await query<{ actor: string }>(
      t.app.db,
      `SELECT actor FROM audit_log WHERE action = 'poll.outcome' AND subject = 'poll:${poll.id}' ORDER BY seq`,
    );
    expect(audit.map((a) => a.actor)).toEqual(['staff:1', 'staff:2']);

    // The public page and the results carry the text now.
    expect((await t.app.commands.polls.publicResults(poll.id))?.poll.outcome).toBe(fixed);
  });

  it('is refused while the poll is open, empty, or too long', async () => {
    const t = await start({ databaseUrl: sqliteUrl() });
    const poll = await pollAnsweredBy(t, 1);
    expect(await code(t.app.commands.polls.writeOutcome(poll.id, PLAN, 0, 'staff:1'))).toBe(
      'poll.not_closed',
    );
    await closedAtEnd(t, poll);
    expect(await code(t.app.commands.polls.writeOutcome(poll.id, '  \n ', 0, 'staff:1'))).toBe(
      'poll.outcome_empty',
    );
    expect(await code(t.app.commands.polls.writeOutcome(poll.id, 'x'.repeat(1001), 0, 'staff:1'))).toBe(
      'poll.outcome_too_long',
    );
    expect(await code(t.app.commands.polls.writeOutcome('nope', PLAN, 0, 'staff:1'))).toBe('poll.not_found');
    expect(await outcomeOf(t, poll.id)).toBe('');
  });

  it('a telling cut off after the commit (the process died) is done by the queue a minute later, once', async () => {
    const t = await start({ databaseUrl: sqliteUrl(), clock: new ManualClock('2026-12-01T09:00:00Z') });
    const poll = await closedAtEnd(t, await pollAnsweredBy(t, 2));
    const notify = t.app.engine.notify.bind(t.app.engine);
    t.app.engine.notify = () => Promise.reject(new Error('injected: the process died'));
    await expect(t.app.commands.polls.writeOutcome(poll.id, PLAN, 0, 'staff:1')).rejects.toThrow(
      /process died/,
    );
    t.app.engine.notify = notify;
    await t.app.settle();
    expect(await outcomeOf(t, poll.id)).toBe(PLAN);
    expect(await plansSent(t)).toEqual([]);

    await t.driver.advance!(61_000);
    await t.app.settle();
    const told = [`r0: Dit doet de gemeente ermee: ${PLAN}`, `r1: Dit doet de gemeente ermee: ${PLAN}`];
    expect(await plansSent(t)).toEqual(told);
    await t.driver.advance!(3 * HOUR);
    await t.app.sweep();
    await t.app.settle();
    expect(await plansSent(t)).toEqual(told);
  });

  it('a version replaced before its safety-net job ran is not told by that job (the newer one is)', async () => {
    const t = await start({ databaseUrl: sqliteUrl(), clock: new ManualClock('2026-12-01T09:00:00Z') });
    const poll = await closedAtEnd(t, await pollAnsweredBy(t, 1));
    const notify = t.app.engine.notify.bind(t.app.engine);
    t.app.engine.notify = () => Promise.reject(new Error('injected: the process died'));
    await expect(t.app.commands.polls.writeOutcome(poll.id, 'Eerste tekst.', 0, 'staff:1')).rejects.toThrow();
    t.app.engine.notify = notify;
    await t.app.commands.polls.writeOutcome(poll.id, PLAN, 1, 'staff:1');
    await t.driver.advance!(2 * 61_000);
    await t.app.settle();
    expect(await plansSent(t)).toEqual([`r0: Dit doet de gemeente ermee: ${PLAN}`]);
  });
});

/** What each resident heard about the poll, in the order they heard it: 'closed' or 'outcome'. */
async function noticesHeard(t: TestApp): Promise<Record<string, string[]>> {
  const heard: Record<string, string[]> = {};
  for (const { to, text } of await consoleMessages(t)) {
    const kind = text.startsWith(nl('poll.outcome', { question: QUESTION }))
      ? 'closed'
      : text.startsWith(nl('poll.outcome_later', { question: QUESTION }))
        ? 'outcome'
        : null;
    if (kind) (heard[to] ??= []).push(kind);
  }
  return heard;
}

describe('regression: the outcome text reached a resident before the notice that the poll closed', () => {
  const inOrder = { r0: ['closed', 'outcome'], r1: ['closed', 'outcome'] };

  it('the closing was cut off after its commit and the text is written within its minute', async () => {
    const t = await start({ databaseUrl: sqliteUrl(), clock: new ManualClock('2026-12-01T09:00:00Z') });
    const poll = await pollAnsweredBy(t, 2);
    const notify = t.app.engine.notify.bind(t.app.engine);
    t.app.engine.notify = () => Promise.reject(new Error('injected: the process died'));
    await expect(t.app.commands.polls.close(poll.id, '', 'staff:1')).rejects.toThrow(/process died/);
    t.app.engine.notify = notify;
    await t.driver.advance!(20_000);

    // Before the closing's job tells them (a minute after the closing), staff write the text.
    await t.app.commands.polls.writeOutcome(poll.id, PLAN, 0, 'staff:2');
    await t.app.settle();
    await t.driver.advance!(2 * 61_000);
    await t.app.sweep();
    await t.app.settle();
    expect(await noticesHeard(t)).toEqual(inOrder);
  });

  it('the text is written while the closing is still telling who answered, one by one', async () => {
    const t = await start({ databaseUrl: sqliteUrl(), clock: new ManualClock('2026-12-01T09:00:00Z') });
    const poll = await pollAnsweredBy(t, 2);
    const notify = t.app.engine.notify.bind(t.app.engine);
    // The closing's telling stops at r1 until the text is written and told.
    let reached = () => {};
    const atR1 = new Promise<void>((resolve) => (reached = resolve));
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    t.app.engine.notify = async (address, name, payload, eventId) => {
      if (!held && name === 'poll.closed' && address.userId === 'r1') {
        held = true;
        reached();
        await released;
      }
      return notify(address, name, payload, eventId);
    };
    const closing = t.app.commands.polls.close(poll.id, '', 'staff:1');
    await atR1;
    await t.app.commands.polls.writeOutcome(poll.id, PLAN, 0, 'staff:2');
    release();
    await closing;
    await t.app.settle();
    await t.driver.advance!(2 * 61_000);
    await t.app.settle();
    expect(await noticesHeard(t)).toEqual(inOrder);
  });

  it('a text written after the messages were purged is not preceded by the closing again', async () => {
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const t = await start({ databaseUrl: sqliteUrl(), clock, app: { sweepMs: 3_600_000 } });
    const poll = await closedAtEnd(t, await pollAnsweredBy(t, 2));
    await t.driver.advance!(61_000);
    await t.app.settle();
    expect(await noticesHeard(t)).toEqual({ r0: ['closed'], r1: ['closed'] });
    // 91 days on, the closing's messages and events are purged (messages: 90 days); answers are kept.
    clock.advance(91 * 24 * HOUR);
    await t.app.commands.privacy.purge({ at: clock.now(), actor: 'test' });
    expect(await noticesHeard(t)).toEqual({});
    await t.app.commands.polls.writeOutcome(poll.id, PLAN, 0, 'staff:1');
    await t.app.settle();
    expect(await noticesHeard(t)).toEqual({ r0: ['outcome'], r1: ['outcome'] });
  });
});

describe.skipIf(!postgresAvailable)(
  'two staff save an outcome text at once (PostgreSQL, two processes)',
  () => {
    it(
      'one text is saved and told once; the other is refused, or a no-op when it is the same text',
      { timeout: 120_000 },
      async () => {
        const { a, b, clock, end } = await twoOnPostgres();
        try {
          const poll = await pollAnsweredBy(a, 2);
          clock.advance(HOUR + 1000);
          await a.app.sweep();
          await Promise.all([a.app.settle(), b.app.settle()]);
          expect((await a.app.commands.polls.get(poll.id))?.closedAt).not.toBeNull();

          // Different texts from the same page version: exactly one wins.
          const results = await Promise.all([
            code(a.app.commands.polls.writeOutcome(poll.id, PLAN, 0, 'staff:1')),
            code(b.app.commands.polls.writeOutcome(poll.id, 'Wij doen er niets mee.', 0, 'staff:2')),
          ]);
          expect(results.sort()).toEqual(['ok', 'poll.outcome_changed']);
          await Promise.all([a.app.settle(), b.app.settle()]);
          const saved = (await outcomeOf(a, poll.id))!;
          expect((await plansSent(a)).sort()).toEqual([
            `r0: Dit doet de gemeente ermee: ${saved}`,
            `r1: Dit doet de gemeente ermee: ${saved}`,
          ]);

          // The same correction twice at once (two clicks, two staff): both fine, told once.
          const fixed = 'Wij bouwen de speeltuin in de zomer.';
          const again = await Promise.all([
            a.app.commands.polls.writeOutcome(poll.id, fixed, 1, 'staff:1'),
            b.app.commands.polls.writeOutcome(poll.id, fixed, 1, 'staff:2'),
          ]);
          expect(again.map((w) => w.unchanged).sort()).toEqual([false, true]);
          clock.advance(2 * 61_000);
          await Promise.all([a.app.sweep(), b.app.sweep()]);
          await new Promise((resolve) => setTimeout(resolve, 300));
          await Promise.all([a.app.settle(), b.app.settle()]);
          const plans = await plansSent(a);
          expect(plans.filter((p) => p.endsWith(fixed)).sort()).toEqual([
            `r0: Dit doet de gemeente ermee: ${fixed}`,
            `r1: Dit doet de gemeente ermee: ${fixed}`,
          ]);
          expect(plans).toHaveLength(4);
        } finally {
          await end();
        }
      },
    );
  },
);
