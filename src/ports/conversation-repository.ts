import type { Language } from '../i18n/translator.js';
import type { Address, Author, Choice } from './messages.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';

/** A stored inbound item: a person's message, or an event (timer, notice) for the conversation. */
export interface StoredInbound {
  id: number;
  conversationKey: string;
  kind: 'message' | 'event';
  text: string;
  choiceId?: string;
  hasMedia: boolean;
  /** The first name the channel gave, if any. */
  firstName?: string;
  /** For events: its name and payload. */
  event?: { name: string; payload: Record<string, unknown> };
  attempts: number;
}

/** A conversation as stored. */
export interface StoredConversation {
  key: string;
  channel: string;
  userId: string;
  state: unknown;
  needsHuman: boolean;
}

/**
 * Something to deliver after the turn commits: a message, or a queue job. A message's `author` is
 * the chatbot when not given; it is stored with every message, so a stored message without one was
 * written before authors were kept (the chatbot's or an operator's, nobody can tell).
 */
export type OutboxItem =
  | { kind: 'message'; to: Address; text: string; choices?: Choice[]; author?: Author; causeId?: number }
  | { kind: 'job'; name: string; data: unknown; jobId?: string; runAt?: Date; causeId?: number }
  | { kind: 'cancel-job'; jobId: string; causeId?: number };

/** A stored outbox item with its id. */
export type StoredOutboxItem = OutboxItem & { id: number; attempts: number };

/** What a conversation's next turn needs, read in one statement. */
export interface TurnStart {
  conversation: StoredConversation;
  /** How many turns the conversation saved: the turn is written only while it is still this. */
  version: number;
  /** The oldest pending item, and whether more wait behind it. */
  item: StoredInbound;
  more: boolean;
  /** The alderman linked to this chat address (a staff identity), if any. */
  aldermanId?: string;
  /** The messages to this person not delivered yet, oldest first (as `undeliveredTo`). */
  undelivered: number[];
}

/** A turn's result, written in one statement. */
export interface TurnEnd {
  key: string;
  /** The version the turn was read at (`TurnStart.version`). */
  version: number;
  state: unknown;
  flags: { needsHuman?: boolean };
  inboundId: number;
  /**
   * The pending items after `inboundId` that the same turn took in (a chat's waiting events, oldest
   * first): saved only if each is still pending too, and marked handled with it.
   */
  alsoHandled?: readonly number[];
  now: Date;
  items: OutboxItem[];
  /** Until when this process holds the items it delivers itself. */
  claimUntil: Date;
  /**
   * The people (conversation keys) this process sends its messages to directly, each with the
   * undelivered messages to them it knows are on their way here. Their messages are claimed until
   * `claimUntil`, unless another undelivered message to them exists by the time of the write; then,
   * and for everyone else, they are left to the sweep. Jobs are always claimed.
   */
  direct: ReadonlyMap<string, readonly number[]>;
}

/** The engine's storage port: conversations, the inbound log and the outbox. */
export interface ConversationRepository {
  /**
   * Stores an inbound item once per dedupe key and makes sure its conversation exists, atomically
   * (also outside a transaction). Returns the new id, or null when the key was seen before.
   */
  storeInbound(item: {
    dedupeKey: string;
    address: Address;
    kind: 'message' | 'event';
    text: string;
    choiceId?: string;
    hasMedia?: boolean;
    firstName?: string;
    event?: { name: string; payload: Record<string, unknown> };
    /** The state a conversation this store creates starts with (stored as JSON); none: no state yet. */
    initialState?: unknown;
    now: Date;
  }): Promise<number | null>;
  /**
   * Stores a message as `storeInbound` does and reads the conversation's turn (as `readTurn`) with
   * it: on PostgreSQL in the same statement, so a message costs one round trip less. `turn` is null
   * when nothing was stored (a repeat) or the turn could not be read with it; `readTurn` then reads it.
   */
  storeAndReadTurn(
    item: Parameters<ConversationRepository['storeInbound']>[0],
  ): Promise<{ id: number | null; turn: TurnStart | null }>;
  /** Locks the conversation row for this transaction (PostgreSQL) and reads it. */
  lockConversation(key: string): Promise<StoredConversation | null>;
  /** The oldest unhandled inbound item of a conversation, and whether more wait behind it. */
  nextPending(key: string): Promise<{ item: StoredInbound; more: boolean } | null>;
  /**
   * The conversation's pending items after the one with id `afterId`, oldest first, at most `limit`,
   * and whether more wait behind them (a turn that takes in several waiting events at once).
   */
  pendingAfter(
    key: string,
    afterId: number,
    limit: number,
  ): Promise<{ items: StoredInbound[]; more: boolean }>;
  /**
   * Reads the conversation and its oldest pending item with everything the turn needs (no lock:
   * `finishTurn` checks the version). Null when there is no conversation or nothing is pending.
   */
  readTurn(key: string): Promise<TurnStart | null>;
  /**
   * Saves a turn atomically (state, the item handled, the outbox) if the conversation is still at
   * `version` and the item still pending; otherwise writes nothing and returns null (another process
   * moved the conversation on). Returns the outbox items this process now holds and delivers.
   */
  finishTurn(turn: TurnEnd): Promise<StoredOutboxItem[] | null>;
  /**
   * Keys of conversations with unhandled inbound items (recovery after a restart); with
   * `storedUpTo`, only those with an item stored at or before that moment.
   */
  conversationsWithPending(limit: number, storedUpTo?: Date): Promise<string[]>;
  saveState(key: string, state: unknown, now: Date, flags: { needsHuman?: boolean }): Promise<void>;
  markHandled(inboundId: number, now: Date): Promise<void>;
  /**
   * Counts a failed try; after too many the item is set aside as failed (kept, never deleted).
   * False when the item is no longer pending: the turn did commit, only its acknowledgement was lost.
   */
  markAttemptFailed(inboundId: number, error: string, giveUp: boolean): Promise<boolean>;
  /** Puts an item that was set aside back in its conversation's queue, with its tries reset. */
  requeueInbound(inboundId: number): Promise<void>;
  /**
   * Ids of the messages to this person that are not delivered yet (nor set aside), oldest first: a
   * new message may only go out directly when each of them is on its way in the same process.
   */
  undeliveredTo(address: Address): Promise<number[]>;
  /** Stores outbox items, claimed by this process until `claimUntil` (`now`: for the sweep to deliver). */
  addToOutbox(items: OutboxItem[], now: Date, claimUntil: Date): Promise<StoredOutboxItem[]>;
  /**
   * Claims undelivered items whose claim has run out (another process died, or a retry is due). A
   * message is not claimed while an earlier one to the same person still waits: order per person.
   * A claim that ran out within `held` (after `from`, up to `to`) counts as still held; an item
   * written for the sweep (claimed until it was written) does not.
   */
  claimDueOutbox(
    now: Date,
    claimUntil: Date,
    serves: { channels: string[]; jobs: boolean },
    limit: number,
    held?: { from: Date; to: Date },
  ): Promise<StoredOutboxItem[]>;
  /**
   * Moves the claims of items still being delivered on to `until` (a send that waits longer than a
   * claim lasts: a rate limit, a long backlog to one chat). Only pending items whose claim would run
   * out earlier; the others are left as they are.
   */
  renewOutboxClaims(outboxIds: number[], until: Date): Promise<void>;
  /** Marks items delivered (one statement for many). */
  markDelivered(outboxIds: number[], now: Date): Promise<void>;
  /** Puts an item back for a later try at `retryAt`. */
  markDeliveryFailed(outboxId: number, error: string, retryAt: Date): Promise<void>;
  /** Sets an item aside for good (kept for the log, never retried). */
  markUndeliverable(outboxId: number, error: string): Promise<void>;
  /** Holds an item back, untried, until `until` (an earlier message to the same person waits for a retry). */
  postponeOutbox(outboxId: number, until: Date): Promise<void>;
  /** Gives an item back at once, untried (this process does not serve its channel). */
  releaseOutbox(outboxId: number, now: Date): Promise<void>;
  /** Records what the channel reported about a delivered message (delivered, read, unconfirmed). */
  setDeliveryState(outboxId: number, state: string): Promise<void>;
  /** The language the conversation with this key is held in, or null when there is none. */
  languageOf(key: string): Promise<Language | null>;
  /** True when this address wrote to us before (we only ever write to people who wrote first). */
  hasConversation(address: Address): Promise<boolean>;
  /**
   * The latest `limit` messages to and from one address, oldest first, in causal order: each
   * message the person wrote, then what it caused (a channel that shows history reads this).
   */
  transcript(address: Address, limit: number): Promise<TranscriptEntry[]>;
  /** Undelivered outbox items (for settling and health). */
  countUndelivered(): Promise<number>;
  /** Retention: handled inbound items received before the batch's moment. */
  purgeInbound(batch: PurgeBatch): Promise<number>;
  /** Retention: settled outbox messages, or other outbox items, made before the batch's moment. */
  purgeOutbox(which: 'messages' | 'deliveries', batch: PurgeBatch): Promise<number>;
  /** Retention: conversations idle since before the batch's moment, with nothing waiting. */
  purgeConversations(batch: PurgeBatch): Promise<number>;
  /** Every row of the resident in conversations, inbound and outbox (AVG access request). */
  personalData(subject: DataSubject): Promise<StoredRows>;
  /** Deletes every row of the resident in conversations, inbound and outbox (AVG erasure). */
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}

/** One message of a conversation's transcript, as the person read or wrote it. */
export interface TranscriptEntry {
  /** 'in': the person wrote it (its dedupe key tells the channel's message id); 'out': the service sent it. */
  side: 'in' | 'out';
  /** The inbound or outbox id. */
  id: number;
  /** For 'in': the channel's message id (the dedupe key without the channel). */
  messageId?: string;
  text: string;
  choices?: Choice[];
  /** For 'out': who wrote it; absent for a message stored before authors were kept. */
  author?: Author;
  at: Date;
}
