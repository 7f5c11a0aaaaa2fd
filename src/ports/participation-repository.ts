import type { Address } from '../shared/address.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';

/** A resident's consent to get updates for a district (and optionally one topic). */
export interface Subscription {
  conversationKey: string;
  address: Address;
  districtId: string;
  /** null: every topic. */
  topic: string | null;
  /** When the resident said yes (the consent). */
  consentedAt: Date;
}

/** The rungs of the participation ladder, from least to most influence. */
export const LADDER = ['informeren', 'raadplegen', 'adviseren', 'coproduceren', 'meebeslissen'] as const;
export type Level = (typeof LADDER)[number];

/** A project update as staff wrote it. */
export interface ProjectUpdate {
  id: number;
  title: string;
  text: string;
  link: string | null;
  districts: string[];
  topic: string | null;
  level: Level;
  /** One sentence: what residents can still influence. */
  influence: string | null;
  /** Until when (YYYY-MM-DD), or null. */
  until: string | null;
  /** Who wrote it: `staff:<account id>` or `cli`. */
  author: string;
  createdAt: Date;
  /** The broadcast that sends it. */
  broadcastId: number | null;
}

/** Subscriptions and project updates. */
export interface ParticipationRepository {
  /** Adds (or renews, with a new consent time) a subscription. */
  subscribe(s: Subscription): Promise<void>;
  /** Removes the resident's subscriptions (of one district, or all); returns how many. */
  unsubscribe(key: string, districtId?: string): Promise<number>;
  subscriptionsOf(key: string): Promise<Subscription[]>;
  addUpdate(u: Omit<ProjectUpdate, 'id' | 'createdAt' | 'broadcastId'>, now: Date): Promise<number>;
  setBroadcast(updateId: number, broadcastId: number): Promise<void>;
  getUpdate(id: number): Promise<ProjectUpdate | null>;
  /** The newest updates first (of these districts only, when given). */
  listUpdates(limit: number, districts?: readonly string[]): Promise<ProjectUpdate[]>;
  /** Retention: consents given before the batch's moment (asked again after the term). */
  purge(batch: PurgeBatch): Promise<number>;
  personalData(subject: DataSubject): Promise<StoredRows>;
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}
