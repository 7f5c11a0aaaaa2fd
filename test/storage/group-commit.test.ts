/**
 * Group commit (src/storage/group-commit.ts): the turns of many conversations written in one
 * statement. What the engine relies on: every call gets its own result, in any batch; calls for the
 * same conversation (or person) keep their order and never share a statement; one call's failure is
 * never its batch-mates'.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/storage/group-commit.js';

interface Call {
  key: string;
  value: number;
}

/** A group commit whose statements the test answers by hand, with what each batch held. */
function recorded(options: {
  maxBatch?: number;
  maxInFlight?: number;
  failMany?: (items: Call[]) => boolean | Error;
}) {
  const batches: Call[][] = [];
  const ones: Call[] = [];
  const open: (() => void)[] = [];
  const gate = () => new Promise<void>((resolve) => open.push(resolve));
  const commit = new GroupCommit<Call, string>({
    keys: (call) => [call.key],
    one: async (call) => {
      ones.push(call);
      await gate();
      if (call.value < 0) throw new Error(`refused ${call.value}`);
      return `${call.key}=${call.value}`;
    },
    many: async (items) => {
      batches.push(items);
      await gate();
      const fail = options.failMany?.(items);
      if (fail) throw fail instanceof Error ? fail : new Error('batch refused');
      return items.map((call) => `${call.key}=${call.value}`);
    },
    away: (error) => (error as Error).message === 'database away',
    maxBatch: options.maxBatch ?? 64,
    maxInFlight: options.maxInFlight ?? 1,
  });
  /** Lets every statement at the database now answer. */
  const answer = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    for (const resolve of open.splice(0)) resolve();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { commit, batches, ones, answer };
}

describe('group commit', () => {
  it('sends the calls made together as one batch, each getting its own result', async () => {
    const { commit, batches, ones, answer } = recorded({});
    const results = Promise.all([1, 2, 3].map((n) => commit.submit({ key: `k${n}`, value: n })));
    await answer();
    expect(await results).toEqual(['k1=1', 'k2=2', 'k3=3']);
    expect(batches.map((b) => b.map((c) => c.value))).toEqual([[1, 2, 3]]);
    expect(ones).toEqual([]);
    expect(commit.stats).toEqual({ batches: 1, calls: 3, fallbacks: 0 });
  });

  it('sends a lone call on its own statement, at once', async () => {
    const { commit, batches, ones, answer } = recorded({});
    const result = commit.submit({ key: 'a', value: 1 });
    await answer();
    expect(await result).toBe('a=1');
    expect(batches).toEqual([]);
    expect(ones.map((c) => c.value)).toEqual([1]);
  });

  it('gathers the calls that come while a batch is at the database into the next one', async () => {
    const { commit, batches, answer } = recorded({});
    const first = Promise.all([commit.submit({ key: 'a', value: 1 }), commit.submit({ key: 'b', value: 2 })]);
    await new Promise((resolve) => setImmediate(resolve));
    // The first batch is out and unanswered: these three wait for it, then go together.
    const second = Promise.all([3, 4, 5].map((n) => commit.submit({ key: `k${n}`, value: n })));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toHaveLength(1);
    await answer();
    await answer();
    await Promise.all([first, second]);
    expect(batches.map((b) => b.map((c) => c.value))).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('never puts two calls of the same key in one batch, and keeps their order across batches', async () => {
    const { commit, batches, ones, answer } = recorded({});
    const calls = [
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
      { key: 'a', value: 3 },
      // Shares no key with the first batch, but comes after a call of `a` that waits: it may go now.
      { key: 'c', value: 4 },
      { key: 'a', value: 5 },
    ];
    const results = Promise.all(calls.map((call) => commit.submit(call)));
    for (let i = 0; i < 4; i++) await answer();
    expect(await results).toEqual(['a=1', 'b=2', 'a=3', 'c=4', 'a=5']);
    const sent = [...batches.map((b) => b.map((c) => c.value)), ...ones.map((c) => [c.value])];
    expect(sent).toEqual([[1, 2, 4], [3], [5]]);
  });

  it('holds a batch to its largest size', async () => {
    const { commit, batches, answer } = recorded({ maxBatch: 2 });
    const results = Promise.all([1, 2, 3, 4, 5].map((n) => commit.submit({ key: `k${n}`, value: n })));
    for (let i = 0; i < 3; i++) await answer();
    await results;
    expect(batches.map((b) => b.length)).toEqual([2, 2]);
    expect(commit.stats).toEqual({ batches: 3, calls: 5, fallbacks: 0 });
  });

  it('tries a failed batch again call by call: the call at fault fails alone, the others are written', async () => {
    const { commit, ones, answer } = recorded({ failMany: (items) => items.some((c) => c.value < 0) });
    const settled = Promise.allSettled([1, -2, 3].map((value, n) => commit.submit({ key: `k${n}`, value })));
    for (let i = 0; i < 3; i++) await answer();
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]?.status === 'rejected' && (results[1].reason as Error).message).toBe('refused -2');
    expect(ones.map((c) => c.value)).toEqual([1, -2, 3]);
    expect(commit.stats.fallbacks).toBe(1);
  });

  it('gives every call of the batch the error when the database is away, without a try each', async () => {
    const { commit, ones, answer } = recorded({ failMany: () => new Error('database away') });
    const settled = Promise.allSettled([1, 2].map((value) => commit.submit({ key: `k${value}`, value })));
    await answer();
    const results = await settled;
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'database away',
      'database away',
    ]);
    expect(ones).toEqual([]);
  });

  it('with two batches at the database at once, a call waits while one of its key is out', async () => {
    const { commit, ones, answer } = recorded({ maxInFlight: 2 });
    const first = commit.submit({ key: 'a', value: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    // a=1 is out; a=2 must wait for it, b=3 may take the second place.
    const later = Promise.all([commit.submit({ key: 'a', value: 2 }), commit.submit({ key: 'b', value: 3 })]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ones.map((c) => c.value)).toEqual([1, 3]);
    await answer();
    await answer();
    await Promise.all([first, later]);
    expect(ones.map((c) => c.value)).toEqual([1, 3, 2]);
  });

  it('fails the call, and strands none, when a statement or the keys throw before any await', async () => {
    const commit = new GroupCommit<Call, string>({
      keys: (call) => {
        if (call.value === 0) throw new Error('no key');
        return [call.key];
      },
      one: (call) => {
        if (call.value < 0) throw new Error('thrown at once');
        return Promise.resolve('ok');
      },
      many: () => {
        throw new Error('batch thrown at once');
      },
      away: () => false,
      maxBatch: 64,
      maxInFlight: 1,
    });
    const settled = await Promise.allSettled([
      commit.submit({ key: 'a', value: -1 }),
      commit.submit({ key: 'b', value: 1 }),
      commit.submit({ key: 'c', value: 0 }),
    ]);
    expect(settled.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value))).toEqual([
      'thrown at once',
      'ok',
      'no key',
    ]);
    // The next call is not held up by the ones that failed.
    expect(await commit.submit({ key: 'a', value: 2 })).toBe('ok');
  });
});
