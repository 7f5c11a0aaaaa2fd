import type { Clock } from '../../src/shared/clock.js';
import { BoundedMap } from '../common/bounded.js';

/** The customer-service window: free-form messages only within 24 h of the person's last message. */
export const WINDOW_MS = 24 * 3600_000;

/**
 * Each resident's window: open from their last message (remembered here, read from the database
 * after a restart) for 24 h less a margin, and closed at once when WhatsApp says so (131047).
 */
export class CustomerWindows {
  private readonly lastInbound = new BoundedMap<string, number>(200_000);
  /** Residents WhatsApp said are outside the window, until they write again. */
  private readonly closedByWhatsApp = new BoundedMap<string, true>(200_000);

  constructor(
    private readonly clock: Clock,
    private readonly lastMessageAt: (userId: string) => Promise<Date | null>,
    private readonly marginMs: number,
  ) {}

  /** The resident wrote now: the window opens. */
  wrote(userId: string): void {
    this.lastInbound.set(userId, this.clock.now().getTime());
    this.closedByWhatsApp.delete(userId);
  }

  /** WhatsApp refused a free-form message with 131047: closed until they write. */
  close(userId: string): void {
    this.closedByWhatsApp.set(userId, true);
  }

  async isOpen(userId: string): Promise<boolean> {
    if (this.closedByWhatsApp.has(userId)) return false;
    let last = this.lastInbound.get(userId);
    if (last === undefined) {
      last = (await this.lastMessageAt(userId))?.getTime();
      if (last !== undefined) this.lastInbound.set(userId, last);
    }
    return last !== undefined && this.clock.now().getTime() - last < WINDOW_MS - this.marginMs;
  }
}
