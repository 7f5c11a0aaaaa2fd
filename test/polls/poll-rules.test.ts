import { describe, expect, it } from 'vitest';
import { newPoll, pollResults, SCALE } from '../../src/features/polls/poll.js';
import { mayWriteFirst } from '../../src/features/participation/broadcast.js';
import type { PollCount } from '../../src/ports/poll-repository.js';

const now = new Date('2026-12-01T09:00:00Z');
const o = { id: 'p1', now, createdBy: 'cli', knownDistricts: ['a', 'b', 'c'] };
const base = { question: '  Meer   bankjes? ', options: ['Ja', 'Nee'], districts: ['a', 'b'] };
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('a new poll', () => {
  it('is cleaned and checked: 2–6 distinct options or a 1–5 scale, known districts, a closing time ahead', () => {
    const poll = newPoll(base, o);
    expect(poll).toMatchObject({
      question: 'Meer bankjes?',
      options: ['Ja', 'Nee'],
      opensAt: now,
      closedAt: null,
    });
    expect(newPoll({ ...base, options: [], scale: true }, o).options).toEqual([...SCALE]);
    expect(code(() => newPoll({ ...base, options: ['Ja'] }, o))).toBe('poll.options');
    expect(code(() => newPoll({ ...base, options: ['Ja', 'ja'] }, o))).toBe('poll.options');
    expect(code(() => newPoll({ ...base, options: ['1', '2', '3', '4', '5', '6', '7'] }, o))).toBe(
      'poll.options',
    );
    expect(code(() => newPoll({ ...base, scale: true }, o))).toBe('poll.options');
    expect(code(() => newPoll({ ...base, districts: ['a', 'x'] }, o))).toBe('poll.districts');
    expect(code(() => newPoll({ ...base, districts: [] }, o))).toBe('poll.districts');
    expect(code(() => newPoll({ ...base, question: ' ' }, o))).toBe('poll.question');
    expect(code(() => newPoll({ ...base, closesAt: new Date('2026-11-30T00:00:00Z') }, o))).toBe(
      'poll.closes',
    );
    expect(code(() => newPoll({ ...base, closesAt: new Date('not a date') }, o))).toBe('poll.closes');
  });
});

describe('poll results', () => {
  const poll = newPoll({ ...base, districts: ['a', 'b', 'c'] }, o);
  const counts = (rows: [string, number, number][]): PollCount[] =>
    rows.map(([districtId, choice, count]) => ({ districtId, choice, count }));

  it('show figures per option and district, none for a district below 5 answers', () => {
    const r = pollResults(
      poll,
      counts([
        ['a', 0, 4],
        ['a', 1, 2],
        ['b', 0, 2],
        ['b', 1, 2],
        ['c', 0, 3],
        ['c', 1, 2],
      ]),
    );
    expect(r.districts.find((d) => d.districtId === 'a')).toMatchObject({
      answers: 6,
      options: [
        { label: 'Ja', count: 4, percent: 67 },
        { label: 'Nee', count: 2, percent: 33 },
      ],
    });
    expect(r.districts.find((d) => d.districtId === 'b')).toEqual({
      districtId: 'b',
      answers: null,
      options: [
        { label: 'Ja', count: null, percent: null },
        { label: 'Nee', count: null, percent: null },
      ],
    });
    // a and c shown, b (4 answers) hidden: a total with b in it would give b away by subtraction.
    expect(r.total).toMatchObject({ answers: 11, partial: true });
  });

  it('count the hidden districts in the total when together they are 5 or more', () => {
    const r = pollResults(
      poll,
      counts([
        ['a', 0, 5],
        ['b', 0, 3],
        ['c', 1, 2],
      ]),
    );
    expect(r.total).toMatchObject({ answers: 10, partial: false });
    expect(r.districts.map((d) => d.answers)).toEqual([5, null, null]);
  });

  it('show nothing at all below 5 answers in total', () => {
    const r = pollResults(poll, counts([['a', 0, 3]]));
    expect(r.total.answers).toBeNull();
    expect(r.total.options.every((x) => x.count === null && x.percent === null)).toBe(true);
  });
});

describe('writing first after a poll closes', () => {
  const wa = { channel: 'whatsapp', userId: '31612345678@c.us' };
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
  it('whatsapp-web.js: only within 24 hours of their last message; never when unknown', () => {
    expect(mayWriteFirst(wa, hoursAgo(23), now, 'web-js')).toBe(true);
    expect(mayWriteFirst(wa, hoursAgo(25), now, 'web-js')).toBe(false);
    expect(mayWriteFirst(wa, null, now, 'web-js')).toBe(false);
    // Not configured: the stricter rule.
    expect(mayWriteFirst(wa, hoursAgo(25), now, 'none')).toBe(false);
  });
  it('Cloud API (its adapter sends a template outside the window) and other channels: yes', () => {
    expect(mayWriteFirst(wa, hoursAgo(100), now, 'cloud')).toBe(true);
    expect(mayWriteFirst({ channel: 'telegram', userId: '1' }, null, now, 'web-js')).toBe(true);
  });
});
