/** Spaces requests evenly at `perSecond` over the whole number (WhatsApp's throughput limit). */
export class Pacer {
  private next = 0;

  constructor(private readonly perSecond: number) {}

  /** Resolves when the next request may go. */
  async take(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  /** After a 130429 the whole number waits. */
  holdFor(ms: number): void {
    this.next = Math.max(this.next, Date.now() + ms);
  }
}
