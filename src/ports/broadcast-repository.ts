import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';

/** One message to every subscriber of some districts: an update, a poll invitation. */
export interface Broadcast {
  id: number;
  /** What it is ('update', 'poll'), and the id of that update or poll. */
  kind: string;
  subjectId: string;
  /** The conversation event each subscriber's conversation gets (its handler says the message). */
  event: { name: string; payload: Record<string, unknown> };
  districts: string[];
  /** Only subscribers of this topic (and those of every topic); null: every subscriber. */
  topic: string | null;
  /** Whether it counts towards, and is held back by, the per-resident weekly limit. */
  capped: boolean;
  createdAt: Date;
}

/**
 * What became of one recipient. `telling`: claimed under the weekly limit and being told; it counts
 * towards the limit like `sent`, and a batch that died before marking it tells it again (the
 * conversation event is idempotent per broadcast), so a crash neither loses nor doubles it.
 */
export type DeliveryStatus = 'queued' | 'telling' | 'sent' | 'held' | 'capped';

/** One subscriber a broadcast is for. */
export interface BroadcastRecipient {
  id: number;
  conversationKey: string;
  channel: string;
  userId: string;
}

/** A broadcast's figures: recipients by status, and its messages by what the channel reported. */
export interface BroadcastCounts {
  recipients: number;
  /** queued (not yet sent, or being told), sent, held (told at their next message), capped (weekly limit). */
  byStatus: Record<Exclude<DeliveryStatus, 'telling'>, number>;
  /** Messages the channels took (`accepted`), that reached the phone and that were read (where a channel tells). */
  accepted: number;
  delivered: number;
  read: number;
  /** WhatsApp Cloud API, outside the 24-hour window: the approved template went, the text waits for a reply. */
  templates: number;
  /** Recipients per channel. */
  byChannel: Record<string, number>;
}

/** Broadcasts and their recipients: the fan-out and its progress. */
export interface BroadcastRepository {
  /**
   * Stores the broadcast and one recipient per subscribed conversation of its districts (and topic)
   * in one statement; returns its id and the channels it reaches with how many each.
   */
  create(
    b: Omit<Broadcast, 'id' | 'createdAt'>,
    now: Date,
  ): Promise<{ id: number; channels: Record<string, number> }>;
  get(id: number): Promise<Broadcast | null>;
  /**
   * The next `limit` recipients on one channel still to tell, in order: first those a batch claimed
   * and did not finish (`telling`), then `queued` ones. `claimed` says which is which.
   */
  nextQueued(
    broadcastId: number,
    channel: string,
    limit: number,
  ): Promise<(BroadcastRecipient & { claimed: boolean })[]>;
  /**
   * Within a transaction: waits until no other transaction counts or claims for these conversations
   * (PostgreSQL: advisory locks in one order; SQLite: takes the write lock), so counting a resident's
   * week and claiming their delivery is one step across processes.
   */
  lockResidents(keys: readonly string[]): Promise<void>;
  /** Records what became of recipients (by their row id). */
  mark(ids: readonly number[], status: Exclude<DeliveryStatus, 'queued'>, now: Date): Promise<void>;
  /** Per conversation: how many capped broadcasts it was sent, held or is being told since `since` (other broadcasts). */
  recentCounts(keys: readonly string[], since: Date, except: number): Promise<Map<string, number>>;
  /** Per conversation: when the person last wrote (their own message, not an event). */
  lastWrote(keys: readonly string[]): Promise<Map<string, Date>>;
  /** Broadcasts with recipients still queued or being told that made no progress since `before` (a lost job). */
  stalled(before: Date): Promise<{ id: number; channel: string }[]>;
  /** Figures of one broadcast: recipients by status, and what the channels reported of its messages. */
  counts(broadcastId: number): Promise<BroadcastCounts>;
  purge(batch: PurgeBatch): Promise<number>;
  personalData(subject: DataSubject): Promise<StoredRows>;
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}

/** How broadcasts may be sent: the configured rates and limits, and which WhatsApp runs. */
export interface BroadcastSettings {
  /** Broadcast messages per second per channel (BROADCAST_PER_SECOND); `*` for any other channel. */
  perSecond: Record<string, number>;
  /** At most this many (capped) broadcasts reach one resident in 7 days (UPDATES_PER_RESIDENT_PER_WEEK). */
  perResidentPerWeek: number;
  /** whatsapp-web.js never starts a conversation; the Cloud API sends a template outside the window. */
  whatsapp: 'web-js' | 'cloud' | 'none';
}

/** The conversation event every broadcast delivers carries these, beside its own payload. */
export interface BroadcastMark {
  broadcastId: number;
  /** The channel may not start a conversation now: the conversation says it at the person's next message. */
  hold?: boolean;
}
