import { PermanentDeliveryError } from '../../src/ports/channel.js';

/**
 * A send to someone who never wrote to this number. The service only answers people who wrote
 * first (WhatsApp bans numbers that message strangers); the outbox must not retry this.
 */
export class UnknownRecipientError extends PermanentDeliveryError {
  constructor() {
    super('whatsapp: refusing to write to an id that never wrote to this number');
    this.name = 'UnknownRecipientError';
  }
}
