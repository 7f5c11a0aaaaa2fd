import type { EntityManager } from 'typeorm';
import type {
  StaffAccountChanges,
  StaffAccountRecord,
  StaffAccountRepository,
  StaffSessionRecord,
} from '../../ports/account-repository.js';
import { isUniqueViolation, num, sql } from '../sql.js';

interface AccountRow {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  disabled_at: unknown;
  totp_secret: string | null;
  created_at: unknown;
  updated_at: unknown;
}

const ACCOUNT_COLUMNS =
  'id, email, name, role, password_hash, disabled_at, totp_secret, created_at, updated_at';

function toAccount(r: AccountRow): StaffAccountRecord {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    passwordHash: r.password_hash,
    disabledAt: r.disabled_at === null ? null : new Date(num(r.disabled_at)),
    totpSecret: r.totp_secret,
    createdAt: new Date(num(r.created_at)),
    updatedAt: new Date(num(r.updated_at)),
  };
}

/** Dashboard accounts, sessions, set-password tokens and the sign-in throttle. */
export class SqlStaffAccountRepository implements StaffAccountRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  /** SQLite binds a boolean column as 0 or 1. */
  private bool(value: boolean): boolean | number {
    return this.kind === 'sqlite' ? Number(value) : value;
  }

  private q<R = Record<string, unknown>>(text: string, params: unknown[] = []) {
    return sql<R>(this.m, this.kind, text, params);
  }

  async insert(
    a: Omit<StaffAccountRecord, 'passwordHash' | 'disabledAt' | 'totpSecret' | 'updatedAt'>,
  ): Promise<boolean> {
    try {
      await this.q(
        `INSERT INTO staff_accounts (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
        [a.id, a.email, a.name, a.role, a.createdAt.getTime(), a.createdAt.getTime()],
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async byId(id: string): Promise<StaffAccountRecord | null> {
    const { rows } = await this.q<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM staff_accounts WHERE id = ?`, [
      id,
    ]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async byEmail(email: string): Promise<StaffAccountRecord | null> {
    const { rows } = await this.q<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM staff_accounts WHERE email = ?`,
      [email],
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async list(): Promise<StaffAccountRecord[]> {
    const { rows } = await this.q<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM staff_accounts ORDER BY email`);
    return rows.map(toAccount);
  }

  async update(id: string, changes: StaffAccountChanges, now: Date): Promise<boolean> {
    const sets: string[] = ['updated_at = ?'];
    const params: unknown[] = [now.getTime()];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      params.push(value);
    };
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.role !== undefined) set('role', changes.role);
    if (changes.passwordHash !== undefined) set('password_hash', changes.passwordHash);
    if (changes.disabledAt !== undefined) set('disabled_at', changes.disabledAt?.getTime() ?? null);
    if (changes.totpSecret !== undefined) {
      set('totp_secret', changes.totpSecret);
      set('totp_last_step', null);
    }
    const { affected } = await this.q(`UPDATE staff_accounts SET ${sets.join(', ')} WHERE id = ?`, [
      ...params,
      id,
    ]);
    return affected > 0;
  }

  async addSession(
    tokenHash: string,
    accountId: string,
    now: Date,
    pendingSecondFactor = false,
  ): Promise<void> {
    await this.q(
      `INSERT INTO staff_sessions (token_hash, account_id, created_at, last_seen_at, pending_second_factor) VALUES (?, ?, ?, ?, ?)`,
      [tokenHash, accountId, now.getTime(), now.getTime(), this.bool(pendingSecondFactor)],
    );
  }

  async confirmSession(tokenHash: string, now: Date): Promise<void> {
    await this.q(
      `UPDATE staff_sessions SET pending_second_factor = ?, last_seen_at = ? WHERE token_hash = ? AND ended_at IS NULL`,
      [this.bool(false), now.getTime(), tokenHash],
    );
  }

  async useTotpStep(accountId: string, step: number): Promise<boolean> {
    const { affected } = await this.q(
      `UPDATE staff_accounts SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)`,
      [step, accountId, step],
    );
    return affected > 0;
  }

  async session(tokenHash: string): Promise<StaffSessionRecord | null> {
    const { rows } = await this.q<{
      account_id: string;
      created_at: unknown;
      last_seen_at: unknown;
      ended_at: unknown;
      pending_second_factor: unknown;
    }>(
      `SELECT account_id, created_at, last_seen_at, ended_at, pending_second_factor FROM staff_sessions WHERE token_hash = ?`,
      [tokenHash],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      accountId: r.account_id,
      createdAt: new Date(num(r.created_at)),
      lastSeenAt: new Date(num(r.last_seen_at)),
      endedAt: r.ended_at === null ? null : new Date(num(r.ended_at)),
      // SQLite keeps a boolean as 0 or 1.
      pendingSecondFactor: r.pending_second_factor === true || Number(r.pending_second_factor) === 1,
    };
  }

  async touchSession(tokenHash: string, now: Date): Promise<void> {
    await this.q(`UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ? AND ended_at IS NULL`, [
      now.getTime(),
      tokenHash,
    ]);
  }

  async endSession(tokenHash: string, now: Date): Promise<void> {
    await this.q(`UPDATE staff_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL`, [
      now.getTime(),
      tokenHash,
    ]);
  }

  async endSessionsOf(accountId: string, now: Date): Promise<number> {
    const { affected } = await this.q(
      `UPDATE staff_sessions SET ended_at = ? WHERE account_id = ? AND ended_at IS NULL`,
      [now.getTime(), accountId],
    );
    return affected;
  }

  async addPasswordToken(tokenHash: string, accountId: string, expiresAt: Date): Promise<void> {
    await this.q(`INSERT INTO staff_password_tokens (token_hash, account_id, expires_at) VALUES (?, ?, ?)`, [
      tokenHash,
      accountId,
      expiresAt.getTime(),
    ]);
  }

  async passwordTokenAccount(tokenHash: string, now: Date): Promise<string | null> {
    const { rows } = await this.q<{ account_id: string }>(
      `SELECT account_id FROM staff_password_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`,
      [tokenHash, now.getTime()],
    );
    return rows[0]?.account_id ?? null;
  }

  async usePasswordToken(tokenHash: string, now: Date): Promise<string | null> {
    const { rows } = await this.q<{ account_id: string }>(
      `UPDATE staff_password_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING account_id`,
      [now.getTime(), tokenHash, now.getTime()],
    );
    return rows[0]?.account_id ?? null;
  }

  async failures(key: string, windowStart: Date): Promise<number> {
    const { rows } = await this.q<{ failures: unknown }>(
      `SELECT failures FROM staff_sign_in_throttle WHERE key = ? AND window_start >= ?`,
      [key, windowStart.getTime()],
    );
    return rows[0] ? num(rows[0].failures) : 0;
  }

  async addFailure(key: string, now: Date, windowStart: Date): Promise<number> {
    const { rows } = await this.q<{ failures: unknown }>(
      `INSERT INTO staff_sign_in_throttle (key, failures, window_start) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN staff_sign_in_throttle.window_start < ? THEN 1 ELSE staff_sign_in_throttle.failures + 1 END,
         window_start = CASE WHEN staff_sign_in_throttle.window_start < ? THEN excluded.window_start ELSE staff_sign_in_throttle.window_start END
       RETURNING failures`,
      [key, now.getTime(), windowStart.getTime(), windowStart.getTime()],
    );
    return rows[0] ? num(rows[0].failures) : 1;
  }

  async clearFailures(key: string): Promise<void> {
    await this.q(`DELETE FROM staff_sign_in_throttle WHERE key = ?`, [key]);
  }
}
