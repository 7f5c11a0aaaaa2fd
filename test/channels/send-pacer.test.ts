import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TelegramError } from 'telegraf';
import { SendPacer } from '../../bots/telegram/send-pacer.js';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The pacer on a manual clock: the times it starts each call, exact to the millisecond. */
describe('SendPacer on a manual clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at most globalPerSecond sends in any second over all chats', async () => {
    const pacer = new SendPacer(
      { perChatIntervalMs: 10, globalPerSecond: 4 },
      new AbortController().signal,
      quiet,
    );
    const starts: number[] = [];
    const all = Array.from({ length: 10 }, (_, i) =>
      pacer.run(`chat-${i}`, [async () => starts.push(Date.now())]),
    );
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(starts).toEqual([0, 0, 0, 0, 1000, 1000, 1000, 1000, 2000, 2000]);
  });

  it('a stop finishes a message whose first part went out, and refuses one that had not started', async () => {
    const stopping = new AbortController();
    const pacer = new SendPacer({ perChatIntervalMs: 1000, globalPerSecond: 30 }, stopping.signal, quiet);
    const sent: Array<[string, number]> = [];
    const call = (label: string) => async () => sent.push([label, Date.now()]);
    // Three parts of one reply, then a second reply to the same chat waiting behind it.
    const first = pacer.run('1', [call('a1'), call('a2'), call('a3')]);
    const second = pacer.run('1', [call('b1')]);
    const outcomes = Promise.allSettled([first, second]);
    await vi.advanceTimersByTimeAsync(10);
    expect(sent.map(([label]) => label)).toEqual(['a1']);
    // The service stops between parts: cut off here, the whole reply would be sent again after the
    // restart (the outbox never heard it went), so a1 would arrive twice.
    stopping.abort();
    await vi.runAllTimersAsync();
    const [a, b] = await outcomes;
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect(sent.map(([label]) => label)).toEqual(['a1', 'a2', 'a3']);
  });

  it('keeps one chat in order, perChatIntervalMs apart, while other chats go on', async () => {
    const pacer = new SendPacer(
      { perChatIntervalMs: 250, globalPerSecond: 30 },
      new AbortController().signal,
      quiet,
    );
    const sent: Array<[string, number]> = [];
    const call = (label: string) => async () => sent.push([label, Date.now()]);
    const one = pacer.run('1', [call('a1'), call('a2'), call('a3')]);
    const two = pacer.run('2', [call('b1')]);
    await vi.runAllTimersAsync();
    await Promise.all([one, two]);
    expect(sent).toEqual([
      ['a1', 0],
      ['b1', 0],
      ['a2', 250],
      ['a3', 500],
    ]);
  });

  it('sends up to perChatBurst messages to one chat at once, then one per interval, and bursts again once rested', async () => {
    const pacer = new SendPacer(
      { perChatIntervalMs: 1000, perChatBurst: 3, globalPerSecond: 30 },
      new AbortController().signal,
      quiet,
    );
    const sent: Array<[string, number]> = [];
    const call = (label: string) => async () => sent.push([label, Date.now()]);
    const one = pacer.run('1', ['a1', 'a2', 'a3', 'a4', 'a5'].map(call));
    const two = pacer.run('2', [call('b1'), call('b2')]);
    await vi.runAllTimersAsync();
    await Promise.all([one, two]);
    const of = (prefix: string) => sent.filter(([label]) => label.startsWith(prefix));
    expect(of('a')).toEqual([
      ['a1', 0],
      ['a2', 0],
      ['a3', 0],
      ['a4', 1000],
      ['a5', 2000],
    ]);
    expect(of('b')).toEqual([
      ['b1', 0],
      ['b2', 0],
    ]);
    // Three intervals without a message fill the allowance again.
    await vi.advanceTimersByTimeAsync(3000);
    sent.length = 0;
    const again = pacer.run('1', ['c1', 'c2', 'c3', 'c4'].map(call));
    await vi.runAllTimersAsync();
    await again;
    expect(sent).toEqual([
      ['c1', 5000],
      ['c2', 5000],
      ['c3', 5000],
      ['c4', 6000],
    ]);
  });

  it('after a 429 retries that chat alone after retry_after, then one per interval (no burst)', async () => {
    const pacer = new SendPacer(
      { perChatIntervalMs: 1000, perChatBurst: 3, globalPerSecond: 30 },
      new AbortController().signal,
      quiet,
    );
    const sent: Array<[string, number]> = [];
    let refusedAt: number | undefined;
    const call = (label: string) => async () => {
      if (refusedAt === undefined) {
        refusedAt = Date.now();
        throw new TelegramError({
          error_code: 429,
          description: 'Too Many Requests: retry after 5',
          parameters: { retry_after: 5 },
        });
      }
      sent.push([label, Date.now()]);
    };
    const one = pacer.run('1', ['a1', 'a2', 'a3'].map(call));
    await vi.advanceTimersByTimeAsync(100);
    const two = pacer.run('2', [call('b1')]);
    await vi.runAllTimersAsync();
    await Promise.all([one, two]);
    // Measured from when the 429 came back: a1 retried retry_after later, the others an interval apart.
    expect(sent).toEqual([
      ['b1', 100],
      ['a1', refusedAt! + 5000],
      ['a2', refusedAt! + 6000],
      ['a3', refusedAt! + 7000],
    ]);
  });
});
