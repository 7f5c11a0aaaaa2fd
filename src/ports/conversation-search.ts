import type { TranscriptLine } from './booking-repository.js';
import type { Author } from './messages.js';
/**
 * Which conversations a staff account may read: operators and admins all; an alderman the
 * conversations of their bookings (live sessions), of the cases assigned to them, and their own
 * chat with the service; a department the conversations of the cases assigned to it.
 */
export type ConversationScope =
  { kind: 'all' } | { kind: 'alderman'; id: string } | { kind: 'department'; id: string };

/** What to look for; every filter given narrows the list. */
export interface ConversationQuery {
  /** Folded words (`queryWords` in src/shared/search-words.ts); every one must be in one message. */
  words: string[];
  channel?: string;
  /** Only conversations with a (matching) message at or after `from` and before `until`. */
  from?: Date;
  until?: Date;
  /** Only conversations of this district: the one the resident's chat remembers, or a case's. */
  districtId?: string;
  /** Only conversations where the resident asked for a person. */
  needsHuman?: boolean;
  /** A case or booking reference: that resident's conversation. */
  reference?: string;
  scope: ConversationScope;
  limit: number;
  offset: number;
}

/** One conversation in a result list. */
export interface ConversationHit {
  key: string;
  channel: string;
  needsHuman: boolean;
  /** The last message the person wrote in it. */
  lastMessageAt: Date | null;
  /** The latest matching message (the latest message without words), its text and time. */
  snippet: { text: string; at: Date } | null;
  /** How many of its messages match (all messages without words). */
  matches: number;
  /** Where the bot is now, as in `ConversationRecord`. */
  bot: ConversationRecord['bot'];
}

/** One line of a conversation's transcript, oldest first. */
export interface ConversationLine {
  side: 'in' | 'out';
  id: number;
  text: string;
  at: Date;
  /** For 'in': a photo or file came with it. */
  hasMedia?: boolean;
  /** For 'out': pending, sent, delivered, read, unconfirmed or failed, as far as the channel told. */
  delivery?: string;
  /** For 'out': who wrote it; absent for a message stored before authors were kept. */
  author?: Author;
}

/** A conversation with everything that came out of it. */
export interface ConversationRecord {
  key: string;
  channel: string;
  needsHuman: boolean;
  createdAt: Date;
  updatedAt: Date;
  /**
   * Where the bot is now: its mode (bot, human, live, stopped), the flow and step when in one, and
   * the flows it goes back to after it (`outer`, the first one started first), and the language
   * the chatbot writes in (`lang`: nl, en).
   */
  bot: {
    mode: string;
    flow: string | null;
    step: string | null;
    outer: string[];
    lang: string | null;
  } | null;
  /** Set when this is an alderman's own chat with the service (their messages are 'in'). */
  aldermanId: string | null;
  lines: ConversationLine[];
  cases: {
    reference: string;
    topic: string;
    status: string;
    createdAt: Date;
    assignee: { type: string; id: string } | null;
  }[];
  bookings: {
    reference: string;
    aldermanId: string;
    kind: string;
    status: string;
    slotStart: Date;
    transcript: TranscriptLine[];
  }[];
}

/** Search over stored conversations (SQLite FTS5, PostgreSQL full-text search) and one whole record. */
export interface ConversationSearchRepository {
  /** One page of conversations, the one with the latest match first; `limit` rows at most. */
  search(query: ConversationQuery): Promise<ConversationHit[]>;
  /** How many conversations the query finds on all its pages together. */
  count(query: Omit<ConversationQuery, 'limit' | 'offset'>): Promise<number>;
  /** A conversation with its transcript, cases and bookings, or null when there is none. */
  record(key: string, maxLines: number): Promise<ConversationRecord | null>;
  /** The channels conversations exist on, for the filter. */
  channels(): Promise<string[]>;
}
