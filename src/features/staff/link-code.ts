import { createHash, randomInt } from 'node:crypto';
import type { Repositories } from '../../ports/unit-of-work.js';
import type { Address } from '../../ports/messages.js';
import { DomainError } from '../../shared/errors.js';

/** How long a link code is valid. */
export const LINK_CODE_TTL_MS = 10 * 60_000;
/**
 * Wrong `koppel` tries from all chats together within GLOBAL_FAILURE_WINDOW_MS that suspend every
 * open code. One chat is blocked after five (flows/staff-link.ts); this stops guessing from many chats.
 */
export const GLOBAL_FAILURE_LIMIT = 20;
export const GLOBAL_FAILURE_WINDOW_MS = 60 * 60_000;

type StaffRepos = Pick<Repositories, 'staff' | 'audit'>;

/** Codes are stored hashed: a database reader cannot use one. */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(`spreekuur-link:${code}`).digest('hex');
}

/**
 * Makes a 6-digit one-time code for an alderman, valid for 10 minutes. Their older open codes stop
 * working (only the newest code given out can link), and the audit log records who asked.
 */
export async function createLinkCode(
  repos: StaffRepos,
  aldermanId: string,
  now: Date,
  actor: string,
): Promise<{ code: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  const revoked = await repos.staff.revokeLinkCodes(now, aldermanId);
  // A code drawn again while it is still live is refused by the store; another draw settles it.
  for (let attempt = 1; attempt <= 20; attempt++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    if (await repos.staff.addLinkCode(hashLinkCode(code), aldermanId, expiresAt, now)) {
      await repos.audit.append(
        { actor, action: 'staff.link-code', subject: `alderman:${aldermanId}`, detail: { revoked } },
        now,
      );
      return { code, expiresAt };
    }
  }
  throw new Error('could not draw an unused link code in 20 tries');
}

/**
 * Links a chat identity to the alderman whose valid, unused code it sent; throws `link-invalid`
 * otherwise. Every link and every wrong try is audited (a wrong try without the chat's address: it
 * may be a resident's); the GLOBAL_FAILURE_LIMIT-th wrong try within the window suspends all open codes.
 */
export async function linkWithCode(
  repos: StaffRepos,
  address: Address,
  code: string,
  now: Date,
): Promise<string> {
  const aldermanId = await repos.staff.useLinkCode(hashLinkCode(code), now);
  if (aldermanId) {
    await repos.staff.linkIdentity(address, aldermanId, now);
    await repos.audit.append(
      {
        actor: `alderman:${aldermanId}`,
        action: 'staff.link',
        subject: `alderman:${aldermanId}`,
        detail: { channel: address.channel, userId: address.userId },
      },
      now,
    );
    return aldermanId;
  }
  const failures = await repos.staff.recordLinkFailure(
    now,
    new Date(now.getTime() - GLOBAL_FAILURE_WINDOW_MS),
  );
  await repos.audit.append(
    {
      actor: 'system',
      action: 'staff.link-failed',
      subject: 'staff-link',
      detail: { channel: address.channel },
    },
    now,
  );
  if (failures >= GLOBAL_FAILURE_LIMIT) {
    const suspended = await repos.staff.revokeLinkCodes(now);
    // Audited when the limit is reached, and again whenever a code given out since is suspended.
    if (failures === GLOBAL_FAILURE_LIMIT || suspended > 0)
      await repos.audit.append(
        {
          actor: 'system',
          action: 'staff.link-suspended',
          subject: 'staff-link',
          detail: { failures, windowMinutes: GLOBAL_FAILURE_WINDOW_MS / 60_000, suspended },
        },
        now,
      );
  }
  throw new DomainError('link-invalid');
}

/** Removes a linked chat identity (`staff unlink`); audited. False when the address was not linked. */
export async function unlinkIdentity(
  repos: StaffRepos,
  address: Address,
  now: Date,
  actor: string,
): Promise<boolean> {
  const aldermanId = await repos.staff.unlinkIdentity(address);
  if (!aldermanId) return false;
  await repos.audit.append(
    {
      actor,
      action: 'staff.unlink',
      subject: `alderman:${aldermanId}`,
      detail: { channel: address.channel, userId: address.userId },
    },
    now,
  );
  return true;
}
