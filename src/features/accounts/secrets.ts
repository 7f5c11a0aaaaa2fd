import { createHash, randomBytes } from 'node:crypto';
import type * as Argon2 from '@node-rs/argon2';

/** Argon2id with the OWASP-recommended minimum cost (19 MiB, 2 passes). */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The shortest and longest password accepted. */
export const PASSWORD_LENGTH = { min: 12, max: 200 } as const;

/** Why a new password is refused, or null when it is fine. */
export function passwordProblem(password: string): 'too-short' | 'too-long' | null {
  if ([...password].length < PASSWORD_LENGTH.min) return 'too-short';
  if ([...password].length > PASSWORD_LENGTH.max) return 'too-long';
  return null;
}

/** The native Argon2 binding, loaded at the first password: most commands and turns check none. */
function argon2(): Promise<typeof Argon2> {
  return import('@node-rs/argon2');
}

/** Hashes a password with Argon2id (a PHC string with its own salt). */
export async function hashPassword(password: string): Promise<string> {
  return (await argon2()).hash(password, ARGON2);
}

// A hash of nothing anyone knows: checking an unknown e-mail costs the same as a known one.
let decoy: Promise<string> | undefined;

/** True when `password` matches `stored`; with no stored hash it still spends the same effort. */
export async function checkPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    decoy ??= hashPassword(randomBytes(16).toString('hex'));
    const { verify } = await argon2();
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  const { verify } = await argon2();
  return verify(stored, password).catch(() => false);
}

/** A random token for a cookie or a link (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored hashed: someone who reads the database cannot use one. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(`spreekuur-staff:${token}`).digest('hex');
}
