import { createRequire } from 'node:module';
import type * as Otplib from 'otplib';

// otplib is loaded at the first code (it is CommonJS, so synchronously): most commands need none.
const require = createRequire(import.meta.url);
let loaded: typeof Otplib.authenticator | undefined;
function authenticator(): typeof Otplib.authenticator {
  loaded ??= (require('otplib') as typeof Otplib).authenticator;
  return loaded;
}

/** Codes last 30 seconds; one step either side is accepted for a clock that is a little off. */
const PERIOD_S = 30;
const WINDOW = 1;

/** A new TOTP secret (160 bits, base32), as authenticator apps expect. */
export function newTotpSecret(): string {
  return authenticator().generateSecret(20);
}

/** The `otpauth://` address an authenticator app reads (typed in, or as a QR code). */
export function totpUri(email: string, issuer: string, secret: string): string {
  return authenticator().keyuri(email, issuer, secret);
}

/** The time step a 6-digit code belongs to at `now`, or null when it is not a valid code now. */
export function totpStep(secret: string, code: string, now: Date): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const at = authenticator().clone({ epoch: now.getTime(), window: WINDOW, step: PERIOD_S });
  const delta = at.checkDelta(token, secret);
  return delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD_S) + delta;
}

/** The code for `now` (tests, and nothing else: the person's app makes it). */
export function totpCode(secret: string, now: Date): string {
  return authenticator().clone({ epoch: now.getTime(), step: PERIOD_S }).generate(secret);
}
