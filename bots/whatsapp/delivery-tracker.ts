import { BoundedMap } from '../common/bounded.js';
import { loggableError, type ChannelLogger } from '../common/logger.js';
import { Ack } from './client.js';

/** What is known of a sent message: at WhatsApp's server, on the phone, read, or no news in time. */
export type DeliveryState = 'sent' | 'delivered' | 'read' | 'unconfirmed';

interface Tracked {
  outboundId: string;
  level: number;
  timer: NodeJS.Timeout | undefined;
}

export interface DeliveryTrackerOptions {
  unconfirmedAfterMs: number;
  onDelivery?: (outboundId: string, state: DeliveryState) => void;
  logger: ChannelLogger;
  capacity?: number;
}

/**
 * Follows `message_ack` events for sent messages and reports each step up once. A message with no
 * ack after `unconfirmedAfterMs` is reported 'unconfirmed' (a later ack is still reported).
 */
export class DeliveryTracker {
  private readonly tracked: BoundedMap<string, Tracked>;
  /** Acks that overtook sendMessage's answer; applied when the message is tracked. */
  private readonly early = new BoundedMap<string, number>(500);

  constructor(private readonly options: DeliveryTrackerOptions) {
    this.tracked = new BoundedMap(options.capacity ?? 10_000, (_id, entry) => clearTimeout(entry.timer));
  }

  /** Starts following a message WhatsApp accepted; `outboundId` is the outbox id. */
  track(whatsappId: string, outboundId: string | undefined): void {
    if (outboundId === undefined) return;
    const entry: Tracked = { outboundId, level: Ack.PENDING, timer: undefined };
    entry.timer = setTimeout(() => this.expire(entry), this.options.unconfirmedAfterMs);
    entry.timer.unref();
    this.tracked.set(whatsappId, entry);
    const early = this.early.get(whatsappId);
    if (early !== undefined) this.ack(whatsappId, early);
  }

  /** Applies an ack from whatsapp-web.js's `message_ack` event. */
  ack(whatsappId: string, ack: number): void {
    const entry = this.tracked.get(whatsappId);
    if (!entry) {
      this.early.set(whatsappId, Math.max(ack, this.early.get(whatsappId) ?? ack));
      return;
    }
    if (ack <= entry.level) return;
    clearTimeout(entry.timer);
    entry.level = ack;
    this.report(entry.outboundId, ack >= Ack.READ ? 'read' : ack === Ack.DEVICE ? 'delivered' : 'sent');
    if (ack >= Ack.READ) this.tracked.delete(whatsappId);
  }

  /** Forgets everything and clears the timers. */
  stop(): void {
    for (const entry of this.tracked.values()) clearTimeout(entry.timer);
    this.tracked.clear();
    this.early.clear();
  }

  private expire(entry: Tracked): void {
    if (entry.level === Ack.PENDING) this.report(entry.outboundId, 'unconfirmed');
  }

  private report(outboundId: string, state: DeliveryState): void {
    try {
      this.options.onDelivery?.(outboundId, state);
    } catch (err) {
      this.options.logger.error({ err: loggableError(err) }, 'whatsapp: onDelivery callback failed');
    }
  }
}
