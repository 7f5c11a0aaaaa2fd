import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import { accountSubject } from '../../shared/audit-subjects.js';
import type { Clock } from '../../shared/clock.js';
import { normalEmail, toAccount } from './accounts.js';
import { parseRole, type RoleReferences, type StaffAccount } from './roles.js';
import { checkPassword, newToken, tokenHash } from './secrets.js';
import { totpStep } from './totp.js';

/** How long the code page waits after the password was right. */
export const SECOND_FACTOR_WAIT_MS = 5 * 60_000;

/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 8 * 3_600_000;
/** A session's last-seen time is written at most this often (not at every request). */
const TOUCH_EVERY_MS = 60_000;

/** Failed sign-ins allowed per window: per e-mail address tried, and per network address. */
export const SIGN_IN_LIMITS = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 20 } as const;

/** What a sign-in gave. `invalid` is the same for an unknown e-mail and a wrong password. */
export type SignInResult =
  /** With `secondFactor`, the session only opens once `giveCode` accepted the account's code. */
  | { ok: true; token: string; account: StaffAccount; secondFactor: boolean }
  | { ok: false; reason: 'invalid' | 'throttled' };

/** What a sign-in through the municipality's OpenID Connect provider gave. */
export type ProviderSignInResult =
  | { ok: true; token: string; account: StaffAccount; created: boolean }
  | { ok: false; reason: 'no-role' | 'no-email' | 'disabled' };

/** The verified claims of an OpenID Connect sign-in, as the edge read them from the ID token. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  /** The role the provider's claim maps to (text, checked here), or null when it maps to none. */
  role: string | null;
  /** The claim's values as given, for the audit log. */
  claim: string[];
  address: string;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a second-factor code gave. */
export type CodeResult = 'ok' | 'invalid' | 'throttled' | 'expired';

interface SignInDeps {
  uow: UnitOfWork;
  clock: Clock;
  refs: RoleReferences;
}

/** Signing in and out, and finding the account of a session. */
export function signInCommands(deps: SignInDeps) {
  const { uow, clock, refs } = deps;
  const windowStart = () => new Date(clock.now().getTime() - SIGN_IN_LIMITS.windowMs);

  return {
    /**
     * Checks an e-mail address and password, throttled per account and per address; every try is
     * in the audit log. On success the result holds the session's token (for the cookie only).
     */
    async signIn(input: { email: string; password: string; address: string }): Promise<SignInResult> {
      const email = normalEmail(input.email).slice(0, 254);
      const accountKey = `account:${email}`;
      const addressKey = `address:${input.address}`;
      const blocked = await uow.run(
        async (r) =>
          (await r.accounts.failures(accountKey, windowStart())) >= SIGN_IN_LIMITS.perAccount ||
          (await r.accounts.failures(addressKey, windowStart())) >= SIGN_IN_LIMITS.perAddress,
      );
      const record = blocked ? null : await uow.run((r) => r.accounts.byEmail(email));
      // The password is checked (or a decoy is) whether or not the account exists.
      const matches = !blocked && (await checkPassword(record?.passwordHash ?? null, input.password));
      const account = matches && record && record.disabledAt === null ? toAccount(record, refs) : null;
      return uow.transaction(async (r) => {
        const now = clock.now();
        const detail = { email, address: input.address };
        if (!account) {
          if (!blocked) {
            await r.accounts.addFailure(accountKey, now, windowStart());
            await r.accounts.addFailure(addressKey, now, windowStart());
          }
          const action = blocked ? 'auth.sign-in-throttled' : 'auth.sign-in-failed';
          await r.audit.append({ actor: 'anonymous', action, subject: `email:${email}`, detail }, now);
          return { ok: false, reason: blocked ? 'throttled' : 'invalid' };
        }
        const token = newToken();
        const secondFactor = record?.totpSecret != null;
        await r.accounts.addSession(tokenHash(token), account.id, now, secondFactor);
        await r.audit.append(
          {
            actor: `staff:${account.id}`,
            action: secondFactor ? 'auth.password-ok' : 'auth.sign-in',
            subject: accountSubject(account.id),
            detail,
          },
          now,
        );
        // The throttle is cleared only once the whole sign-in succeeded.
        if (!secondFactor) await r.accounts.clearFailures(accountKey);
        return { ok: true, token, account, secondFactor };
      });
    },

    /**
     * Signs in someone the municipality's OpenID Connect provider vouched for. The provider's role
     * claim must map to a role, else the sign-in is refused. An existing account with the same
     * e-mail address signs in with the role it has here (an admin's choice is not overruled by the
     * provider); a disabled one is refused. Without an account, one is made with the mapped role.
     * No password and no TOTP code: the provider did the authentication. Every outcome is audited.
     */
    signInWithProvider: (identity: ProviderIdentity): Promise<ProviderSignInResult> =>
      uow.transaction(async (r) => {
        const now = clock.now();
        const email = identity.email === null ? null : normalEmail(identity.email).slice(0, 254);
        const role = identity.role === null ? null : parseRole(identity.role, refs);
        const detail = {
          method: 'oidc',
          issuer: identity.issuer,
          subject: identity.subject,
          email,
          claim: identity.claim.slice(0, 20),
          address: identity.address,
        };
        const refuse = async (reason: 'no-role' | 'no-email' | 'disabled') => {
          await r.audit.append(
            {
              actor: 'anonymous',
              action: 'auth.oidc-refused',
              subject: email ? `email:${email}` : `oidc:${identity.subject}`,
              detail: { ...detail, reason },
            },
            now,
          );
          return { ok: false as const, reason };
        };
        if (!email || !EMAIL_SHAPE.test(email)) return refuse('no-email');
        if (!role) return refuse('no-role');
        let record = await r.accounts.byEmail(email);
        let created = false;
        if (!record) {
          const id = randomUUID();
          const name = (identity.name ?? '').trim().slice(0, 200) || email;
          await r.accounts.insert({ id, email, name, role, createdAt: now });
          await r.audit.append(
            {
              actor: 'oidc',
              action: 'account.add',
              subject: accountSubject(id),
              detail: { email, role, method: 'oidc' },
            },
            now,
          );
          record = await r.accounts.byId(id);
          created = true;
        }
        const account = record && record.disabledAt === null ? toAccount(record, refs) : null;
        if (!account) return refuse('disabled');
        const token = newToken();
        await r.accounts.addSession(tokenHash(token), account.id, now, false);
        await r.audit.append(
          {
            actor: `staff:${account.id}`,
            action: 'auth.sign-in',
            subject: accountSubject(account.id),
            detail: { ...detail, role: account.role, created },
          },
          now,
        );
        return { ok: true as const, token, account, created };
      }),

    /** The signed-in account of a session token, or null (unknown, ended, idle too long, disabled). */
    session: (token: string): Promise<StaffAccount | null> =>
      uow.run(async (r) => {
        const now = clock.now();
        const hash = tokenHash(token);
        const session = await r.accounts.session(hash);
        if (!session || session.endedAt || session.pendingSecondFactor) return null;
        if (now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
        const record = await r.accounts.byId(session.accountId);
        if (!record || record.disabledAt !== null) return null;
        if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS)
          await r.accounts.touchSession(hash, now);
        return toAccount(record, refs);
      }),

    /** The account whose password was right and whose code the session still waits for. */
    pending: (token: string): Promise<StaffAccount | null> =>
      uow.run(async (r) => {
        const session = await r.accounts.session(tokenHash(token));
        if (!session?.pendingSecondFactor || session.endedAt) return null;
        if (clock.now().getTime() - session.createdAt.getTime() > SECOND_FACTOR_WAIT_MS) return null;
        const record = await r.accounts.byId(session.accountId);
        return record && record.disabledAt === null ? toAccount(record, refs) : null;
      }),

    /**
     * Checks the second factor's code for a waiting session: the session opens, or the try counts
     * toward the account's throttle (which ends the waiting session). A code works only once.
     */
    giveCode: (token: string, code: string, address: string): Promise<CodeResult> =>
      uow.transaction(async (r) => {
        const now = clock.now();
        const hash = tokenHash(token);
        const session = await r.accounts.session(hash);
        const record = session ? await r.accounts.byId(session.accountId) : null;
        const waiting =
          session?.pendingSecondFactor === true &&
          !session.endedAt &&
          now.getTime() - session.createdAt.getTime() <= SECOND_FACTOR_WAIT_MS;
        if (!session || !record?.totpSecret || record.disabledAt !== null || !waiting) return 'expired';
        const accountKey = `account:${record.email}`;
        const subject = accountSubject(record.id);
        const actor = `staff:${record.id}`;
        if ((await r.accounts.failures(accountKey, windowStart())) >= SIGN_IN_LIMITS.perAccount) {
          await r.accounts.endSession(hash, now);
          await r.audit.append(
            { actor, action: 'auth.sign-in-throttled', subject, detail: { address } },
            now,
          );
          return 'throttled';
        }
        const step = totpStep(record.totpSecret, code, now);
        if (step === null || !(await r.accounts.useTotpStep(record.id, step))) {
          await r.accounts.addFailure(accountKey, now, windowStart());
          await r.audit.append(
            { actor, action: 'auth.second-factor-failed', subject, detail: { address } },
            now,
          );
          return 'invalid';
        }
        await r.accounts.confirmSession(hash, now);
        await r.accounts.clearFailures(accountKey);
        await r.audit.append(
          {
            actor,
            action: 'auth.sign-in',
            subject,
            detail: { email: record.email, address, secondFactor: 'totp' },
          },
          now,
        );
        return 'ok';
      }),

    /** Ends a session (sign-out). */
    signOut: (token: string, account: StaffAccount): Promise<void> =>
      uow.transaction(async (r) => {
        const now = clock.now();
        await r.accounts.endSession(tokenHash(token), now);
        await r.audit.append(
          { actor: `staff:${account.id}`, action: 'auth.sign-out', subject: accountSubject(account.id) },
          now,
        );
      }),
  };
}

export type SignInCommands = ReturnType<typeof signInCommands>;
