import { BoundedSet } from '../common/bounded.js';

/**
 * Lets each Telegram update through once. Telegram redelivers an update until it was accepted, and
 * a webhook may see the same update several times at once: repeats wait for the first attempt,
 * and an update whose handling failed may be tried again. The engine dedupes by messageId as well,
 * which also covers restarts (this memory is bounded and in-process).
 */
export class UpdateGate {
  private readonly done: BoundedSet<number>;
  private readonly running = new Map<number, Promise<void>>();

  constructor(capacity = 10_000) {
    this.done = new BoundedSet(capacity);
  }

  /** Runs `handle` unless this update was handled; concurrent repeats share the first attempt. */
  once(updateId: number, handle: () => Promise<void>): Promise<void> {
    if (this.done.has(updateId)) return Promise.resolve();
    const running = this.running.get(updateId);
    if (running) return running;
    const attempt = Promise.resolve()
      .then(handle)
      .then(() => this.done.add(updateId))
      .finally(() => this.running.delete(updateId));
    this.running.set(updateId, attempt);
    return attempt;
  }
}
