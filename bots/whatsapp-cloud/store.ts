import type { Language } from '../../src/i18n/translator.js';
import type { HeldMessage, NoticeCause } from '../../src/ports/held-message-repository.js';
import type { Choice } from '../../src/ports/messages.js';

/**
 * What the Cloud API adapter reads and keeps in the database (made in src/app from the unit of
 * work): the resident's last message, the notice behind a message, held messages, delivery states.
 */
export interface CloudStore {
  lastMessageAt(userId: string): Promise<Date | null>;
  noticeOf(outboxId: number): Promise<NoticeCause | null>;
  languageOf(userId: string): Promise<Language | null>;
  hold(userId: string, outboxId: number | null, message: { text: string; choices?: Choice[] }): Promise<void>;
  heldFor(userId: string): Promise<HeldMessage[]>;
  release(heldId: number): Promise<void>;
  /** Records a message's delivery state (sent, delivered, read, failed, template) on its outbox item. */
  deliveryState(outboxId: number, state: string): Promise<void>;
}
