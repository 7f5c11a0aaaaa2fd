import { createHash, randomInt } from 'node:crypto';
import type { Repositories } from '../../ports/unit-of-work.js';
import type { Address } from '../../ports/messages.js';
import { DomainError } from '../../shared/errors.js';

/** How long a link code is valid. */
export const LINK_CODE_TTL_MS = 10 * 60_000;

/** Codes are stored hashed: a database reader cannot use one. */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(`spreekuur-link:${code}`).digest('hex');
}

/** Makes a 6-digit one-time code for an alderman, valid for 10 minutes. */
export async function createLinkCode(
  repos: Pick<Repositories, 'staff'>,
  aldermanId: string,
  now: Date,
): Promise<{ code: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  // A code drawn again while it is still live is refused by the store; another draw settles it.
  for (let attempt = 1; attempt <= 20; attempt++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    if (await repos.staff.addLinkCode(hashLinkCode(code), aldermanId, expiresAt, now))
      return { code, expiresAt };
  }
  throw new Error('could not draw an unused link code in 20 tries');
}

/** Links a chat identity to the alderman whose valid, unused code it sent; throws `link-invalid` otherwise. */
export async function linkWithCode(
  repos: Pick<Repositories, 'staff'>,
  address: Address,
  code: string,
  now: Date,
): Promise<string> {
  const aldermanId = await repos.staff.useLinkCode(hashLinkCode(code), now);
  if (!aldermanId) throw new DomainError('link-invalid');
  await repos.staff.linkIdentity(address, aldermanId, now);
  return aldermanId;
}
