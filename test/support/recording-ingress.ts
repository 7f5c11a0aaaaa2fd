import type { Ingress } from '../../src/ports/channel.js';
import type { InboundMessage } from '../../src/ports/messages.js';

/** An Ingress that records what a channel adapter hands in; can be told to fail the next calls. */
export class RecordingIngress implements Ingress {
  readonly received: InboundMessage[] = [];
  private failures = 0;

  async receive(message: InboundMessage): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('ingress: database unavailable (simulated)');
    }
    this.received.push(message);
  }

  /** The next `count` calls throw, as a store that is briefly down would. */
  failNext(count: number): void {
    this.failures = count;
  }

  /** Waits until at least `count` messages arrived and returns them all. */
  async waitForCount(count: number, timeoutMs = 20_000): Promise<InboundMessage[]> {
    await waitFor(
      () => this.received.length >= count,
      timeoutMs,
      `${count} inbound messages (have ${this.received.length})`,
    );
    return this.received;
  }
}

/** Polls `probe` every 5 ms until it returns something truthy; fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
