import { randomUUID } from 'node:crypto';
import type { StaffAccountRecord } from '../../ports/account-repository.js';
import type { Repositories, UnitOfWork } from '../../ports/unit-of-work.js';
import { accountSubject } from '../../shared/audit-subjects.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { parseRole, type RoleReferences, type Role, type StaffAccount } from './roles.js';
import { hashPassword, newToken, passwordProblem, tokenHash } from './secrets.js';
import { newTotpSecret, totpUri } from './totp.js';

/** How long a set-password link works. */
export const PASSWORD_LINK_TTL_MS = 72 * 3_600_000;

/** An account as staff and the CLI see it (never the password hash). */
export interface AccountView extends StaffAccount {
  hasPassword: boolean;
  /** Whether sign-in asks for a code from an authenticator app after the password. */
  secondFactor: boolean;
  disabled: boolean;
  createdAt: Date;
}

/** Who does something to an account, for the audit log (`cli`, `staff:<id>`). */
export type Actor = string;

interface AccountDeps {
  uow: UnitOfWork;
  clock: Clock;
  refs: RoleReferences;
  /** Where set-password links point: `<publicUrl>/dashboard/set-password?token=…`. */
  publicUrl: string;
  /** The issuer authenticator apps show beside the code (`Spreekuur Rijswijk`). */
  issuer: string;
}

/** Reads a stored role; a role the municipality no longer knows (a removed department) grants nothing. */
export function toAccount(record: StaffAccountRecord, refs: RoleReferences): StaffAccount | null {
  const role = parseRole(record.role, refs);
  return role ? { id: record.id, email: record.email, name: record.name, role } : null;
}

function toView(record: StaffAccountRecord): AccountView {
  return {
    id: record.id,
    email: record.email,
    name: record.name,
    // Shown as stored, also when it no longer grants anything.
    role: record.role as Role,
    hasPassword: record.passwordHash !== null,
    secondFactor: record.totpSecret !== null,
    disabled: record.disabledAt !== null,
    createdAt: record.createdAt,
  };
}

/** E-mail addresses compare without case and surrounding space. */
export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Managing accounts: add, list, disable, change a role, set a password (CLI and admin pages). */
export function accountCommands(deps: AccountDeps) {
  const { uow, clock, refs } = deps;

  async function find(repos: Pick<Repositories, 'accounts'>, email: string): Promise<StaffAccountRecord> {
    const record = await repos.accounts.byEmail(normalEmail(email));
    if (!record) throw new DomainError('account-unknown', `No account with e-mail address ${email}`);
    return record;
  }

  async function passwordLink(repos: Pick<Repositories, 'accounts'>, accountId: string) {
    const token = newToken();
    const expiresAt = new Date(clock.now().getTime() + PASSWORD_LINK_TTL_MS);
    await repos.accounts.addPasswordToken(tokenHash(token), accountId, expiresAt);
    return { url: `${deps.publicUrl}/dashboard/set-password?token=${token}`, expiresAt };
  }

  return {
    /** Adds an account; with a password it can sign in at once, else the result holds a one-time link. */
    async add(
      input: { email: string; name: string; role: string; password?: string },
      actor: Actor,
    ): Promise<{ account: AccountView; link?: { url: string; expiresAt: Date } }> {
      const email = normalEmail(input.email);
      if (!EMAIL.test(email) || email.length > 254) throw new DomainError('email-invalid');
      const name = input.name.trim();
      if (!name || name.length > 200) throw new DomainError('name-invalid');
      const role = parseRole(input.role, refs);
      if (!role) throw new DomainError('role-unknown');
      const problem = input.password === undefined ? null : passwordProblem(input.password);
      if (problem) throw new DomainError(`password-${problem}`);
      const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
      return uow.transaction(async (repos) => {
        const now = clock.now();
        const id = randomUUID();
        if (!(await repos.accounts.insert({ id, email, name, role, createdAt: now })))
          throw new DomainError('email-taken');
        if (passwordHash) await repos.accounts.update(id, { passwordHash }, now);
        await repos.audit.append(
          { actor, action: 'account.add', subject: accountSubject(id), detail: { email, role } },
          now,
        );
        const account = toView((await repos.accounts.byId(id))!);
        return passwordHash ? { account } : { account, link: await passwordLink(repos, id) };
      });
    },

    /** Every account. */
    list: (): Promise<AccountView[]> => uow.run(async (repos) => (await repos.accounts.list()).map(toView)),

    /** Disables an account and ends its sessions at once. */
    disable: (email: string, actor: Actor): Promise<AccountView> =>
      uow.transaction(async (repos) => {
        const now = clock.now();
        const record = await find(repos, email);
        await repos.accounts.update(record.id, { disabledAt: now }, now);
        await repos.accounts.endSessionsOf(record.id, now);
        await repos.audit.append(
          { actor, action: 'account.disable', subject: accountSubject(record.id) },
          now,
        );
        return toView((await repos.accounts.byId(record.id))!);
      }),

    /** Changes an account's role; its open sessions end, so the new role applies at the next sign-in. */
    setRole: (email: string, roleText: string, actor: Actor): Promise<AccountView> =>
      uow.transaction(async (repos) => {
        const now = clock.now();
        const role = parseRole(roleText, refs);
        if (!role) throw new DomainError('role-unknown');
        const record = await find(repos, email);
        await repos.accounts.update(record.id, { role }, now);
        await repos.accounts.endSessionsOf(record.id, now);
        await repos.audit.append(
          {
            actor,
            action: 'account.set-role',
            subject: accountSubject(record.id),
            detail: { from: record.role, to: role },
          },
          now,
        );
        return toView((await repos.accounts.byId(record.id))!);
      }),

    /** A new one-time set-password link (a forgotten password, or a link that expired). */
    passwordLink: (email: string, actor: Actor) =>
      uow.transaction(async (repos) => {
        const record = await find(repos, email);
        const link = await passwordLink(repos, record.id);
        await repos.audit.append(
          { actor, action: 'account.password-link', subject: accountSubject(record.id) },
          clock.now(),
        );
        return link;
      }),

    /**
     * Gives an account a second factor (a new TOTP secret; an old one stops working) and ends its
     * sessions; returns the secret and the `otpauth://` address for the person's authenticator app.
     */
    setSecondFactor: (email: string, actor: Actor) =>
      uow.transaction(async (repos) => {
        const now = clock.now();
        const record = await find(repos, email);
        const secret = newTotpSecret();
        await repos.accounts.update(record.id, { totpSecret: secret }, now);
        await repos.accounts.endSessionsOf(record.id, now);
        await repos.audit.append(
          { actor, action: 'account.second-factor-on', subject: accountSubject(record.id) },
          now,
        );
        return { secret, uri: totpUri(record.email, deps.issuer, secret) };
      }),

    /** Removes an account's second factor (a lost phone); its sessions end. */
    removeSecondFactor: (email: string, actor: Actor): Promise<AccountView> =>
      uow.transaction(async (repos) => {
        const now = clock.now();
        const record = await find(repos, email);
        await repos.accounts.update(record.id, { totpSecret: null }, now);
        await repos.accounts.endSessionsOf(record.id, now);
        await repos.audit.append(
          { actor, action: 'account.second-factor-off', subject: accountSubject(record.id) },
          now,
        );
        return toView((await repos.accounts.byId(record.id))!);
      }),

    /** The account a set-password link is for, while it is valid and unused. */
    linkAccount: (token: string): Promise<AccountView | null> =>
      uow.run(async (repos) => {
        const id = await repos.accounts.passwordTokenAccount(tokenHash(token), clock.now());
        const record = id ? await repos.accounts.byId(id) : null;
        return record && record.disabledAt === null ? toView(record) : null;
      }),

    /** Sets a password through a one-time link (used once); ends the account's open sessions. */
    async setPasswordWithLink(token: string, password: string): Promise<AccountView> {
      const problem = passwordProblem(password);
      if (problem) throw new DomainError(`password-${problem}`);
      const passwordHash = await hashPassword(password);
      return uow.transaction(async (repos) => {
        const now = clock.now();
        const id = await repos.accounts.usePasswordToken(tokenHash(token), now);
        const record = id ? await repos.accounts.byId(id) : null;
        if (!record || record.disabledAt !== null) throw new DomainError('link-invalid');
        await repos.accounts.update(record.id, { passwordHash }, now);
        await repos.accounts.endSessionsOf(record.id, now);
        await repos.audit.append(
          { actor: `staff:${record.id}`, action: 'account.set-password', subject: accountSubject(record.id) },
          now,
        );
        return toView(record);
      });
    },
  };
}

export type AccountCommands = ReturnType<typeof accountCommands>;
