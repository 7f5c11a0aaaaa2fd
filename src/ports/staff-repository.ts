import type { Address } from '../shared/address.js';

/** Staff identities linked by one-time codes. */
export interface StaffRepository {
  findIdentity(address: Address): Promise<{ aldermanId: string } | null>;
  /** Stores a code's hash; returns nothing. */
  addLinkCode(codeHash: string, aldermanId: string, expiresAt: Date): Promise<void>;
  /** Marks a valid, unused, unexpired code used (atomically) and returns its alderman. */
  useLinkCode(codeHash: string, now: Date): Promise<string | null>;
  linkIdentity(address: Address, aldermanId: string, now: Date): Promise<void>;
  identitiesOf(aldermanId: string): Promise<Address[]>;
  listIdentities(): Promise<{ aldermanId: string; channel: string; userId: string; linkedAt: Date }[]>;
}
