/** The channel-neutral message types. Every adapter translates to and from these at its edge. */

export { conversationKey, type Address } from '../shared/address.js';
import type { Address } from '../shared/address.js';
import type { Language } from '../i18n/translator.js';

/** One choice offered with a message; `id` is stable, `label` is what a person reads. */
export interface Choice {
  id: string;
  label: string;
  /** The yes (or the no) of the question: a typed "klopt" or "nee dank je" picks it. */
  means?: 'yes' | 'no';
  /** Picking it books, cancels, sends or stops: never on a guess, only on its button, label, number or a clear yes. */
  acts?: boolean;
  /**
   * The intent this acting yes confirms ("book" at "Klopt dit?" of a booking): its words beside a
   * yes are consent too ("ja, boek maar"), not a wish to start over.
   */
  confirms?: string;
}

/** A message a person sent, as the engine sees it. */
export interface InboundMessage extends Address {
  /** The channel's id for this message (Telegram update id, WhatsApp message id): the dedupe key. */
  messageId: string;
  /** The text; '' for an attachment without a caption. */
  text: string;
  /** Set when a pressed button (rather than typed text) carries the answer. */
  choiceId?: string;
  /** True when the message carried a photo, file, voice note or other media. */
  hasMedia?: boolean;
  /** Display name given by the channel. Informational only: it never grants any right. */
  displayName?: string;
  /**
   * The language the resident chose on the channel itself (the web chat page they write from): a
   * new conversation starts in it. Ignored once the conversation exists: the resident switches there.
   */
  language?: Language;
}

/**
 * Who wrote a message the service sends: the chatbot, or a person through it (an operator's webcare
 * reply, an alderman's line in a live session): the operator's account id (left out for a reply
 * queued before replies carried it) or the alderman's id. Names are looked up where
 * staff read them, so a resident's rows never hold a colleague's name.
 */
export type Author = { role: 'bot' } | { role: 'operator'; id?: string } | { role: 'alderman'; id: string };

/** A message the service sends: text plus optional choices, rendered per channel. */
export interface OutboundMessage {
  /** Store id, set once the message is stored in the outbox. */
  id?: string;
  to: Address;
  text: string;
  choices?: Choice[];
}
