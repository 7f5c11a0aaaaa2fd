import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie that holds a resident's random id; it is signed, so a page cannot make one up. */
export const COOKIE_NAME = 'spreekuur_chat';
const RESIDENT_ID = /^[A-Za-z0-9_-]{32}$/;
/** The id lives as long as the conversation may be kept (90 days), counted from the last visit. */
const MAX_AGE_SECONDS = 90 * 24 * 3600;
/** How many forgotten ids a process remembers (oldest dropped first). */
const FORGOTTEN_KEPT = 100_000;

/**
 * Who is chatting: a random id in a signed, HttpOnly cookie. Uses @fastify/cookie's parser and
 * signer with the web chat's own secret, so another part of the server may use the plugin with its own.
 */
export class ResidentCookie {
  private readonly signer: ReturnType<typeof fastifyCookie.signerFactory>;
  /**
   * Ids a device asked to forget. A page that was open still holds the old cookie until the forget
   * answer reaches the browser; were that cookie taken again, a reconnect in that moment would bring
   * the conversation back on the device. A forgotten id is read as no cookie: a new one is made.
   */
  private readonly forgotten = new Set<string>();

  constructor(private readonly secret: string) {
    this.signer = fastifyCookie.signerFactory(secret);
  }

  /** The resident id in the request's cookie, or null when there is none or it was tampered with. */
  read(request: FastifyRequest): string | null {
    const header = request.headers.cookie;
    if (!header) return null;
    const raw = fastifyCookie.parse(header)[COOKIE_NAME];
    if (!raw) return null;
    const unsigned = this.signer.unsign(raw);
    if (!unsigned.valid || !RESIDENT_ID.test(unsigned.value) || this.forgotten.has(unsigned.value))
      return null;
    return unsigned.value;
  }

  /**
   * Sets (or renews) the cookie. Over https it is `SameSite=None; Partitioned`, so the widget on the
   * municipality's own site keeps it (per site); over plain http (development) `SameSite=Lax`.
   */
  keep(request: FastifyRequest, reply: FastifyReply, residentId: string): void {
    const secure = request.protocol === 'https';
    reply.header(
      'Set-Cookie',
      fastifyCookie.serialize(COOKIE_NAME, this.signer.sign(residentId), {
        httpOnly: true,
        path: '/chat',
        maxAge: MAX_AGE_SECONDS,
        secure,
        sameSite: secure ? 'none' : 'lax',
        ...(secure ? { partitioned: true } : {}),
      }),
    );
  }

  /** Removes the cookie: this device forgets the conversation, and its id is never taken again. */
  forget(request: FastifyRequest, reply: FastifyReply): void {
    const id = this.read(request);
    if (id) {
      this.forgotten.add(id);
      if (this.forgotten.size > FORGOTTEN_KEPT) this.forgotten.delete(this.forgotten.values().next().value!);
    }
    const secure = request.protocol === 'https';
    reply.header(
      'Set-Cookie',
      fastifyCookie.serialize(COOKIE_NAME, '', {
        httpOnly: true,
        path: '/chat',
        expires: new Date(0),
        secure,
        sameSite: secure ? 'none' : 'lax',
        ...(secure ? { partitioned: true } : {}),
      }),
    );
  }

  /** The no-JavaScript form's token: only a page we served to this resident can post as them. */
  formToken(residentId: string): string {
    return createHmac('sha256', this.secret).update(`form:${residentId}`).digest('base64url');
  }

  /** Compares a posted form token in constant time. */
  formTokenMatches(residentId: string, posted: unknown): boolean {
    if (typeof posted !== 'string') return false;
    const expected = Buffer.from(this.formToken(residentId));
    const given = Buffer.from(posted);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** A new resident: 24 random bytes, nothing about the person. */
export function newResidentId(): string {
  return randomBytes(24).toString('base64url');
}
