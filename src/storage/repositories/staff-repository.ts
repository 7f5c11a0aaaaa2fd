import type { EntityManager } from 'typeorm';
import type { StaffRepository } from '../../ports/staff-repository.js';
import type { Address } from '../../shared/address.js';
import { byteOrder, num, sql } from '../sql.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import { deleteBatch, rowsOf } from '../personal-data.js';

/** Staff identities and one-time link codes. */
export class SqlStaffRepository implements StaffRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  async findIdentity(address: Address): Promise<{ aldermanId: string } | null> {
    const { rows } = await sql<{ alderman_id: string }>(
      this.m,
      this.kind,
      `SELECT alderman_id FROM staff_identities WHERE channel = ? AND user_id = ?`,
      [address.channel, address.userId],
    );
    return rows[0] ? { aldermanId: rows[0].alderman_id } : null;
  }

  async addLinkCode(codeHash: string, aldermanId: string, expiresAt: Date, now: Date): Promise<boolean> {
    // One statement, so two codes drawn alike at the same moment cannot both win; a live code is
    // never taken over (its holder would be linked to someone else).
    const { affected } = await sql(
      this.m,
      this.kind,
      `INSERT INTO staff_link_codes (code_hash, alderman_id, expires_at, used_at) VALUES (?, ?, ?, NULL)
       ON CONFLICT (code_hash) DO UPDATE
         SET alderman_id = excluded.alderman_id, expires_at = excluded.expires_at, used_at = NULL
         WHERE staff_link_codes.used_at IS NOT NULL OR staff_link_codes.expires_at <= ?`,
      [codeHash, aldermanId, expiresAt.getTime(), now.getTime()],
    );
    return affected > 0;
  }

  async useLinkCode(codeHash: string, now: Date): Promise<string | null> {
    const { rows } = await sql<{ alderman_id: string }>(
      this.m,
      this.kind,
      `UPDATE staff_link_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING alderman_id`,
      [now.getTime(), codeHash, now.getTime()],
    );
    return rows[0]?.alderman_id ?? null;
  }

  async revokeLinkCodes(now: Date, aldermanId?: string): Promise<number> {
    const { affected } = await sql(
      this.m,
      this.kind,
      `UPDATE staff_link_codes SET used_at = ? WHERE used_at IS NULL AND expires_at > ?${aldermanId === undefined ? '' : ' AND alderman_id = ?'}`,
      [now.getTime(), now.getTime(), ...(aldermanId === undefined ? [] : [aldermanId])],
    );
    return affected;
  }

  async recordLinkFailure(now: Date, since: Date): Promise<number> {
    await sql(this.m, this.kind, `INSERT INTO staff_link_failures (failed_at) VALUES (?)`, [now.getTime()]);
    const { rows } = await sql<{ n: unknown }>(
      this.m,
      this.kind,
      `SELECT COUNT(*) AS n FROM staff_link_failures WHERE failed_at > ?`,
      [since.getTime()],
    );
    return num(rows[0]?.n ?? 0);
  }

  async unlinkIdentity(address: Address): Promise<string | null> {
    const { rows } = await sql<{ alderman_id: string }>(
      this.m,
      this.kind,
      `DELETE FROM staff_identities WHERE channel = ? AND user_id = ? RETURNING alderman_id`,
      [address.channel, address.userId],
    );
    return rows[0]?.alderman_id ?? null;
  }

  async linkIdentity(address: Address, aldermanId: string, now: Date): Promise<void> {
    await sql(
      this.m,
      this.kind,
      `INSERT INTO staff_identities (channel, user_id, alderman_id, linked_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (channel, user_id) DO UPDATE SET alderman_id = excluded.alderman_id, linked_at = excluded.linked_at`,
      [address.channel, address.userId, aldermanId, now.getTime()],
    );
  }

  async identitiesOf(aldermanId: string): Promise<Address[]> {
    const { rows } = await sql<{ channel: string; user_id: string }>(
      this.m,
      this.kind,
      `SELECT channel, user_id FROM staff_identities WHERE alderman_id = ?
       ORDER BY linked_at, ${byteOrder(this.kind, 'channel')}, ${byteOrder(this.kind, 'user_id')}`,
      [aldermanId],
    );
    return rows.map((r) => ({ channel: r.channel, userId: r.user_id }));
  }

  async listIdentities(): Promise<{ aldermanId: string; channel: string; userId: string; linkedAt: Date }[]> {
    const { rows } = await sql<{ alderman_id: string; channel: string; user_id: string; linked_at: unknown }>(
      this.m,
      this.kind,
      `SELECT alderman_id, channel, user_id, linked_at FROM staff_identities
       ORDER BY ${byteOrder(this.kind, 'alderman_id')}, linked_at, ${byteOrder(this.kind, 'channel')}, ${byteOrder(this.kind, 'user_id')}`,
    );
    return rows.map((r) => ({
      aldermanId: r.alderman_id,
      channel: r.channel,
      userId: r.user_id,
      linkedAt: new Date(num(r.linked_at)),
    }));
  }

  purgeLinkCodes(batch: PurgeBatch): Promise<number> {
    const select = `SELECT code_hash FROM staff_link_codes WHERE expires_at < ? ORDER BY expires_at`;
    return deleteBatch(
      this.m,
      this.kind,
      'staff_link_codes',
      'code_hash',
      select,
      [batch.before.getTime()],
      batch,
    );
  }

  async purgeLinkFailures(batch: PurgeBatch): Promise<number> {
    const select = `SELECT id FROM staff_link_failures WHERE failed_at < ? ORDER BY failed_at`;
    return deleteBatch(
      this.m,
      this.kind,
      'staff_link_failures',
      'id',
      select,
      [batch.before.getTime()],
      batch,
    );
  }

  async personalData(subject: DataSubject): Promise<StoredRows> {
    const { channel, userId } = subject.address;
    const where = 'channel = ? AND user_id = ?';
    return {
      staff_identities: await rowsOf(this.m, this.kind, 'staff_identities', where, [channel, userId]),
    };
  }

  async erasePersonalData(subject: DataSubject): Promise<Counts> {
    const { channel, userId } = subject.address;
    const { affected } = await sql(
      this.m,
      this.kind,
      `DELETE FROM staff_identities WHERE channel = ? AND user_id = ?`,
      [channel, userId],
    );
    return { staff_identities: affected };
  }
}
