import type { InboundMessage, OutboundMessage } from './messages.js';

/** The state a channel reports in /healthz. */
export type ChannelState = 'starting' | 'needs-qr' | 'ready' | 'disconnected' | 'stopped';

/** What the engine gives an adapter: a way to hand in what a person wrote. */
export interface Ingress {
  /**
   * Stores the message (deduplicated by channel + messageId) and gets it handled. `stored` is called
   * once it is stored (or set aside), before it is handled: a webhook may answer then.
   */
  receive(message: InboundMessage, progress?: { stored?: () => void }): Promise<void>;
}

/**
 * A chat channel (`bots/`). It turns SDK events into InboundMessages for the ingress and renders
 * OutboundMessages in its own idiom. `send` resolves only once the network accepted the message:
 * until then the outbox keeps it, so a crash or a wait loses nothing.
 */
export interface ChannelAdapter {
  readonly name: string;
  state(): ChannelState;
  start(ingress: Ingress): Promise<void>;
  send(message: OutboundMessage): Promise<void>;
  stop(): Promise<void>;
}

/** A send that can never succeed (a recipient who never wrote, a wiring mistake): not retried. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
