import { createHmac } from 'node:crypto';

/**
 * A keyed hash that stands for a person (a conversation key holds a phone number or chat id) in
 * logs and the privacy log: HMAC-SHA256 under a secret key, so nobody without the key can test
 * guesses against it (an unkeyed hash of a phone number is reversed by trying every number).
 */
export function pseudonymizer(secret: string): (value: string) => string {
  if (secret.length < 32) throw new RangeError('a pseudonym key needs at least 32 characters');
  return (value) => createHmac('sha256', secret).update(value).digest('base64url').slice(0, 22);
}
