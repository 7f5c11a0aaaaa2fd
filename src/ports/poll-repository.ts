import type { Address } from '../shared/address.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';

/** A poll (peiling) as stored: staff wrote it, residents of its districts answer it in the chat. */
export interface Poll {
  id: string;
  question: string;
  /** The choices' labels in order; for a scale, '1' … '5'. */
  options: string[];
  /** A 1–5 scale instead of options. */
  scale: boolean;
  districts: string[];
  /** One optional free-text question asked after the answer. */
  followUp: string | null;
  opensAt: Date;
  /** When it closes by itself; null: only when staff close it. */
  closesAt: Date | null;
  /** When staff (or the clock) closed it; null while open. */
  closedAt: Date | null;
  /** What the municipality will do with the outcome (staff write it at closing, or after). */
  outcome: string | null;
  /** How often the outcome text was written or corrected after closing (0: as at closing). */
  outcomeVersion: number;
  createdBy: string;
  createdAt: Date;
}

/** One resident's answer to one poll. */
export interface PollAnswer {
  pollId: string;
  address: Address;
  districtId: string;
  /** The option's index (0-based); on a scale, the value 1–5 minus one. */
  choice: number;
  followUp: string | null;
  answeredAt: Date;
}

/** How many answered each option, per district (no resident in it). */
export interface PollCount {
  districtId: string;
  choice: number;
  count: number;
}

/** The polls' storage. */
export interface PollRepository {
  insert(poll: Poll): Promise<void>;
  get(id: string): Promise<Poll | null>;
  /** Polls, newest first. */
  list(limit: number): Promise<Poll[]>;
  /** Polls open at `now` that include the district (not closed, opened, not past their closing time). */
  openFor(districtId: string, now: Date): Promise<Poll[]>;
  /** Polls past their closing time that nobody closed yet. */
  due(now: Date): Promise<Poll[]>;
  /**
   * Closes an open poll with its outcome text; false when it was closed already. `atEnd`: only
   * when its end date has passed by `now` (an end date moved meanwhile keeps it open).
   */
  close(id: string, outcome: string, now: Date, atEnd?: boolean): Promise<boolean>;
  /**
   * Writes a closed poll's outcome text when it is still at `version` (then version + 1); false when
   * it is not closed or another change came first.
   */
  setOutcome(id: string, outcome: string, version: number): Promise<boolean>;
  /**
   * Moves the end date of a poll not over at `now` (not closed, its end date not
   * passed); false otherwise.
   */
  moveEnd(id: string, closesAt: Date, now: Date): Promise<boolean>;
  /** Stores or replaces the resident's answer (the follow-up text is kept unless given). */
  answer(answer: Omit<PollAnswer, 'followUp'>): Promise<void>;
  /** Stores the resident's free-text follow-up on their answer; false when they have no answer. */
  followUp(pollId: string, address: Address, text: string): Promise<boolean>;
  /** The resident's answer, or null. */
  answerOf(pollId: string, address: Address): Promise<PollAnswer | null>;
  counts(pollId: string): Promise<PollCount[]>;
  /** The free-text follow-ups (staff only), oldest first, without who wrote them. */
  followUps(pollId: string): Promise<{ districtId: string; text: string }[]>;
  /** Everyone who answered (to tell them the outcome). */
  answerers(pollId: string): Promise<Address[]>;
  purge(batch: PurgeBatch): Promise<number>;
  personalData(subject: DataSubject): Promise<StoredRows>;
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}
