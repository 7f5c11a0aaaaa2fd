import { PermanentDeliveryError } from '../../src/ports/channel.js';

/** The adapter was stopped; a send still waiting is handed back to the outbox, which keeps it. */
export class ChannelStoppedError extends Error {
  constructor(readonly channel: string) {
    super(`${channel} adapter stopped`);
    this.name = 'ChannelStoppedError';
  }
}

/** A message for another channel reached this adapter: a wiring bug, never retried. */
export class WrongChannelError extends PermanentDeliveryError {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`message for channel '${actual}' sent to the ${expected} adapter`);
    this.name = 'WrongChannelError';
  }
}
