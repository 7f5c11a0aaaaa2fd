/** A dashboard account as stored; the accounts feature reads `role` into its `Role` type. */
export interface StaffAccountRecord {
  id: string;
  /** Lower case; unique. */
  email: string;
  name: string;
  role: string;
  /** Argon2id (PHC string), or null until the account's owner sets a password. */
  passwordHash: string | null;
  disabledAt: Date | null;
  /** The TOTP secret (base32) when the account has a second factor. */
  totpSecret: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A signed-in session, found by the hash of its cookie's token. */
export interface StaffSessionRecord {
  accountId: string;
  createdAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
  /** The password was right; the second factor's code is still to come. */
  pendingSecondFactor: boolean;
}

/** What may change on an account. */
export interface StaffAccountChanges {
  name?: string;
  role?: string;
  passwordHash?: string;
  disabledAt?: Date | null;
  totpSecret?: string | null;
}

/** Dashboard accounts, their sessions, one-time set-password links and the sign-in throttle. */
export interface StaffAccountRepository {
  /** Adds an account; false when the e-mail address is taken. */
  insert(
    account: Omit<StaffAccountRecord, 'passwordHash' | 'disabledAt' | 'totpSecret' | 'updatedAt'>,
  ): Promise<boolean>;
  byId(id: string): Promise<StaffAccountRecord | null>;
  byEmail(email: string): Promise<StaffAccountRecord | null>;
  /** Every account, by e-mail address. */
  list(): Promise<StaffAccountRecord[]>;
  /** Changes an account; false when there is no such account. */
  update(id: string, changes: StaffAccountChanges, now: Date): Promise<boolean>;

  addSession(tokenHash: string, accountId: string, now: Date, pendingSecondFactor?: boolean): Promise<void>;
  /** Marks a session's second factor given. */
  confirmSession(tokenHash: string, now: Date): Promise<void>;
  /** Records a TOTP time step as used; false when it (or a later one) was used before: a code works once. */
  useTotpStep(accountId: string, step: number): Promise<boolean>;
  session(tokenHash: string): Promise<StaffSessionRecord | null>;
  touchSession(tokenHash: string, now: Date): Promise<void>;
  endSession(tokenHash: string, now: Date): Promise<void>;
  /** Ends every open session of an account (disabled, role or password changed); returns how many. */
  endSessionsOf(accountId: string, now: Date): Promise<number>;

  addPasswordToken(tokenHash: string, accountId: string, expiresAt: Date): Promise<void>;
  /** The account of a valid, unused, unexpired token, without using it. */
  passwordTokenAccount(tokenHash: string, now: Date): Promise<string | null>;
  /** Marks a valid token used (atomically) and returns its account. */
  usePasswordToken(tokenHash: string, now: Date): Promise<string | null>;

  /** Failed sign-ins counted under `key` since `windowStart` (older ones are forgotten). */
  failures(key: string, windowStart: Date): Promise<number>;
  /** Counts a failed sign-in under `key`; a count older than `windowStart` starts again at 1. */
  addFailure(key: string, now: Date, windowStart: Date): Promise<number>;
  clearFailures(key: string): Promise<void>;
}
