import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
});
