import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import type { TestApp } from '../support/app-driver.js';
import { HOUR, pollAnsweredBy, pollTestApps, refusal as code, toldAbout } from '../support/poll-fixture.js';
import { query } from '../privacy/scan.js';
import { sqliteUrl } from '../support/services.js';

// Regression: the end date of an open poll could not be changed. Now staff move it (not into the
// past); the poll's closing job follows the new date, so it neither closes at the old date nor never.
// The sweep runs once an hour here: what closes the poll is its job.

const QUESTION = 'Meer bankjes in het park?';
const { start: startApp } = pollTestApps();
const start = () =>
  startApp({
    databaseUrl: sqliteUrl(),
    clock: new ManualClock('2026-12-01T09:00:00Z'),
    app: { sweepMs: 3_600_000 },
  });

/** A poll in Oud Rijswijk that closes by itself in two hours, answered by r0 and r1. */
const poll = (t: TestApp) => pollAnsweredBy(t, { question: QUESTION });

const closedAt = async (t: TestApp, id: string) => (await t.app.commands.polls.get(id))?.closedAt ?? null;
const at = (t: TestApp, ms: number) => new Date(t.app.clock.now().getTime() + ms);

/** Who heard the closing (its messages name the question), per resident. */
const toldClosed = (t: TestApp) => toldAbout(t, QUESTION);

describe('moving the end date of an open poll (it could not be changed)', () => {
  it('later: the old date leaves it open, its job closes it at the new date and tells who answered once', async () => {
    const t = await start();
    const p = await poll(t);
    const later = at(t, 5 * HOUR);
    const moved = await t.app.commands.polls.moveEnd(p.id, later, 'staff:1');
    expect(moved.closesAt).toEqual(later);
    expect((await t.app.commands.polls.get(p.id))?.closesAt).toEqual(later);

    await t.driver.advance!(2 * HOUR + 1000);
    await t.app.settle();
    expect(await closedAt(t, p.id)).toBeNull();
    // Residents can still answer between the old and the new date.
    const open = await t.app.uow.run((r) => r.polls.openFor('oud-rijswijk', t.app.clock.now()));
    expect(open.map((o) => o.id)).toContain(p.id);

    await t.driver.advance!(3 * HOUR);
    await t.app.settle();
    expect(await closedAt(t, p.id)).not.toBeNull();
    expect(await toldClosed(t)).toEqual(['r0', 'r1']);
    const audit = await query<{ action: string; actor: string }>(
      t.app.db,
      `SELECT action, actor FROM audit_log WHERE subject = 'poll:${p.id}' AND action IN ('poll.move', 'poll.close') ORDER BY seq`,
    );
    expect(audit).toEqual([
      { action: 'poll.move', actor: 'staff:1' },
      { action: 'poll.close', actor: 'system' },
    ]);
  });

  it('earlier: its job closes it at the new date, not at the old one', async () => {
    const t = await start();
    const p = await poll(t);
    await t.app.commands.polls.moveEnd(p.id, at(t, 30 * 60_000), 'staff:1');
    await t.driver.advance!(30 * 60_000 + 1000);
    await t.app.settle();
    expect(await closedAt(t, p.id)).not.toBeNull();
    expect(await toldClosed(t)).toEqual(['r0', 'r1']);
    // The old date's job finds it closed: nobody is told again.
    await t.driver.advance!(2 * HOUR);
    await t.app.settle();
    expect(await toldClosed(t)).toEqual(['r0', 'r1']);
  });

  it('a poll without an end date gets one, and its job', async () => {
    const t = await start();
    const p = await t.app.commands.polls.create(
      { question: QUESTION, options: ['Ja', 'Nee'], districts: ['oud-rijswijk'] },
      'test',
    );
    await t.app.commands.polls.moveEnd(p.id, at(t, HOUR), 'staff:1');
    await t.driver.advance!(HOUR + 1000);
    await t.app.settle();
    expect(await closedAt(t, p.id)).not.toBeNull();
  });

  it('is refused into the past or before the opening, and once the poll closed or its end date passed', async () => {
    const t = await start();
    const p = await poll(t);
    expect(await code(t.app.commands.polls.moveEnd(p.id, at(t, -60_000), 'staff:1'))).toBe('poll.closes');
    expect(await code(t.app.commands.polls.moveEnd(p.id, at(t, 0), 'staff:1'))).toBe('poll.closes');
    expect(await code(t.app.commands.polls.moveEnd(p.id, new Date(NaN), 'staff:1'))).toBe('poll.closes');
    const planned = await t.app.commands.polls.create(
      {
        question: 'Later open?',
        options: ['Ja', 'Nee'],
        districts: ['oud-rijswijk'],
        opensAt: at(t, 3 * HOUR),
      },
      'test',
    );
    expect(await code(t.app.commands.polls.moveEnd(planned.id, at(t, 2 * HOUR), 'staff:1'))).toBe(
      'poll.closes',
    );
    expect(await code(t.app.commands.polls.moveEnd(planned.id, at(t, 4 * HOUR), 'staff:1'))).toBe('ok');
    expect((await t.app.commands.polls.get(p.id))?.closesAt).toEqual(p.closesAt);

    // Past its end date (closing under way) and closed: no longer.
    const over = await poll(t);
    await t.app.commands.polls.close(p.id, '', 'staff:1');
    await t.app.db.run((m) =>
      m.query(`UPDATE polls SET closes_at = ? WHERE id = ?`, [at(t, -1000).getTime(), over.id]),
    );
    expect(await code(t.app.commands.polls.moveEnd(p.id, at(t, HOUR), 'staff:1'))).toBe('poll.not_open');
    expect(await code(t.app.commands.polls.moveEnd(over.id, at(t, HOUR), 'staff:1'))).toBe('poll.not_open');
    expect(await code(t.app.commands.polls.moveEnd('nope', at(t, HOUR), 'staff:1'))).toBe('poll.not_found');
  });
});
