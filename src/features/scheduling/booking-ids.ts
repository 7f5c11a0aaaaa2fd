import { randomBytes, randomInt, randomUUID } from 'node:crypto';

// No 0/O, 1/I/L: a reference is read aloud on the phone and typed over from a screen.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A readable booking reference such as "AFS-K7M2QX" (afspraak). */
export function newReference(): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `AFS-${code}`;
}

/** An unguessable token for the calendar link: 24 random bytes, base64url. */
export function newIcsToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A new booking id. */
export function newBookingId(): string {
  return randomUUID();
}
