import type { Address } from '../shared/address.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';

/** Staff identities linked by one-time codes. */
export interface StaffRepository {
  /** The alderman an address (channel and exact user id) is linked to, or null. */
  findIdentity(address: Address): Promise<{ aldermanId: string } | null>;
  /**
   * Stores a code's hash for an alderman. False (and nothing changed) when a live code, unused and
   * unexpired at `now`, already has this hash: the caller draws another code. A used or expired
   * code's hash is taken over.
   */
  addLinkCode(codeHash: string, aldermanId: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** Marks a valid, unused code that expires after `now` used (atomically) and returns its alderman. */
  useLinkCode(codeHash: string, now: Date): Promise<string | null>;
  /**
   * Marks every live code (unused, unexpired at `now`) used, of one alderman or of all when
   * `aldermanId` is absent; returns how many. A new code revokes the older ones; the global limit
   * on wrong tries suspends them all.
   */
  revokeLinkCodes(now: Date, aldermanId?: string): Promise<number>;
  /** Records a wrong code from any chat and returns how many were recorded since `since` (this one too). */
  recordLinkFailure(now: Date, since: Date): Promise<number>;
  /** Removes the link of this address; the alderman it was linked to, or null when there was none. */
  unlinkIdentity(address: Address): Promise<string | null>;
  /** Links an address to an alderman; an address linked before moves to this alderman. */
  linkIdentity(address: Address, aldermanId: string, now: Date): Promise<void>;
  /** An alderman's linked addresses, earliest linked first. */
  identitiesOf(aldermanId: string): Promise<Address[]>;
  /** Every link, by alderman id (in code point order, whatever the database's collation), then earliest first. */
  listIdentities(): Promise<{ aldermanId: string; channel: string; userId: string; linkedAt: Date }[]>;
  /** Retention: link codes that expired before the batch's moment. */
  purgeLinkCodes(batch: PurgeBatch): Promise<number>;
  /** Retention: wrong-try records from before the batch's moment. */
  purgeLinkFailures(batch: PurgeBatch): Promise<number>;
  /** The staff link of this address, if it is one (AVG access request). */
  personalData(subject: DataSubject): Promise<StoredRows>;
  /** Removes the staff link of this address (AVG erasure). */
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}
