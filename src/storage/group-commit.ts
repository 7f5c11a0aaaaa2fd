/**
 * Group commit: calls of one kind of write that come in while an earlier batch of them is at the
 * database wait for it, and then go together, in one statement and one commit. Under load each
 * statement then carries the writes of many conversations, where a statement of its own each cost
 * a round trip, a commit and the database's per-statement work for every one. A lone call still goes
 * out at once (on the next tick, with the calls made in the same turn of the event loop).
 *
 * Calls that share a key (the same conversation, the same person written to) never share a batch,
 * nor go while one of them is at the database: the later one waits for the next batch after the
 * earlier one's, so their order holds as if each went on its own. A batch that
 * fails (a value the database refuses, a deadlock between two processes' batches, a lost connection)
 * is tried again as single calls, so that one call's failure is its own and never its batch-mates',
 * unless the database itself is away (`away`): then every call gets that error at once, as it would
 * after its own try.
 */
export interface GroupCommitOptions<I, O> {
  /** The keys that may not share a batch: a call whose key is in the batch waits for the next. */
  keys: (item: I) => readonly string[];
  /** One call on its own (also the fallback when its batch failed). */
  one: (item: I) => Promise<O>;
  /** Several calls in one statement: one result each, in order. */
  many: (items: I[]) => Promise<O[]>;
  /** Errors that are no call's fault (the database is away): not tried again call by call. */
  away: (error: unknown) => boolean;
  /** The largest batch. */
  maxBatch: number;
  /** Batches at the database at the same time. */
  maxInFlight: number;
}

interface Waiting<I, O> {
  item: I;
  keys: readonly string[];
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private inFlight = 0;
  /** The keys of the calls at the database now, with how many calls hold each. */
  private readonly busyKeys = new Map<string, number>();
  private scheduled = false;
  /** Batches sent and the calls in them (for tests and the benchmark). */
  readonly stats = { batches: 0, calls: 0, fallbacks: 0 };

  constructor(private readonly o: GroupCommitOptions<I, O>) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      // Here, so that keys that cannot be made fail this call alone.
      const keys = this.o.keys(item);
      this.waiting.push({ item, keys, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.o.maxInFlight || !this.waiting.length) return;
    this.scheduled = true;
    process.nextTick(() => {
      this.scheduled = false;
      while (this.inFlight < this.o.maxInFlight && this.waiting.length) {
        const batch = this.take();
        // Everything waiting shares a key with a call at the database: it goes when that one is back.
        if (!batch.length) break;
        this.send(batch);
      }
    });
  }

  /**
   * The next batch: the oldest calls, up to maxBatch, none sharing a key with one taken before it
   * or with a call still at the database (another batch in flight).
   */
  private take(): Waiting<I, O>[] {
    const batch: Waiting<I, O>[] = [];
    const left: Waiting<I, O>[] = [];
    const taken = new Set<string>();
    for (const call of this.waiting) {
      const blocked = call.keys.some((key) => taken.has(key) || this.busyKeys.has(key));
      // Once a call waits, so does every later call that shares one of its keys (order per key).
      if (batch.length >= this.o.maxBatch || blocked) left.push(call);
      else batch.push(call);
      for (const key of call.keys) taken.add(key);
    }
    this.waiting = left;
    return batch;
  }

  private send(batch: Waiting<I, O>[]): void {
    this.inFlight++;
    this.stats.batches++;
    this.stats.calls += batch.length;
    for (const call of batch)
      for (const key of call.keys) this.busyKeys.set(key, (this.busyKeys.get(key) ?? 0) + 1);
    void this.run(batch).finally(() => {
      for (const call of batch)
        for (const key of call.keys) {
          const left = (this.busyKeys.get(key) ?? 1) - 1;
          if (left > 0) this.busyKeys.set(key, left);
          else this.busyKeys.delete(key);
        }
      this.inFlight--;
      this.schedule();
    });
  }

  private async run(batch: Waiting<I, O>[]): Promise<void> {
    if (batch.length > 1) {
      let results: O[] | undefined;
      try {
        // Also a throw before the first await of `many` is the batch's failure, not a stranded batch.
        results = await Promise.resolve().then(() => this.o.many(batch.map((call) => call.item)));
      } catch (error) {
        if (this.o.away(error)) {
          for (const call of batch) call.reject(error);
          return;
        }
        this.stats.fallbacks++;
      }
      if (results) {
        batch.forEach((call, i) => call.resolve(results[i] as O));
        return;
      }
    }
    await Promise.all(
      batch.map((call) =>
        Promise.resolve()
          .then(() => this.o.one(call.item))
          .then(
            (value) => call.resolve(value),
            (error: unknown) => call.reject(error),
          ),
      ),
    );
  }
}
