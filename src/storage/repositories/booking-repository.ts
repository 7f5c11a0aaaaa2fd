import type { EntityManager, FindOptionsWhere, SelectQueryBuilder } from 'typeorm';
import { Brackets, In } from '../typeorm.js';
import type { Booking, BookingStatus, TranscriptLine } from '../../ports/booking-repository.js';
import type {
  BookingRepository,
  InsertBookingResult,
  CancelledDay,
  StoredCancelledDay,
} from '../../ports/booking-repository.js';
import { BookingEntity, CancelledDayEntity, type BookingRow } from '../entities/booking.js';
import { byteOrder, inTransaction, isUniqueViolation, sql } from '../sql.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import { placeholders, rowsOf } from '../personal-data.js';

/** The resident key of a booking whose resident is no longer known (retention, erasure). */
const ANONYMOUS = 'anonymous';

/** The TypeORM BookingRepository, bound to one entity manager (a transaction's or the plain one). */
export class SqlBookingRepository implements BookingRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  async insert(booking: Booking): Promise<InsertBookingResult> {
    // A failed statement aborts a whole PostgreSQL transaction; a savepoint keeps the caller's
    // transaction usable after a refused insert. SQLite only undoes the failed statement anyway.
    const savepoint = this.kind === 'postgres' && this.inTransaction();
    if (savepoint) await this.manager.query('SAVEPOINT booking_insert');
    try {
      await this.manager.getRepository(BookingEntity).insert(toRow(booking));
    } catch (error) {
      if (savepoint) await this.manager.query('ROLLBACK TO SAVEPOINT booking_insert');
      const conflict = conflictOf(error);
      if (conflict) return { ok: false, conflict };
      throw error;
    }
    if (savepoint) await this.manager.query('RELEASE SAVEPOINT booking_insert');
    return { ok: true };
  }

  async findById(id: string): Promise<Booking | undefined> {
    return this.findOne({ id });
  }

  async findByReference(reference: string): Promise<Booking | undefined> {
    return this.findOne({ reference });
  }

  async findByIcsToken(token: string): Promise<Booking | undefined> {
    return this.findOne({ ics_token: token });
  }

  async activeForResident(residentKey: string, endsAfter: Date, aldermanId?: string): Promise<Booking[]> {
    const query = this.select()
      .where('b.resident_key = :residentKey', { residentKey })
      .andWhere("b.status = 'active'")
      .andWhere('b.slot_end > :endsAfter', { endsAfter: endsAfter.getTime() });
    if (aldermanId !== undefined) query.andWhere('b.alderman_id = :aldermanId', { aldermanId });
    return this.list(query);
  }

  async listByStart(q: {
    from: Date;
    until: Date;
    aldermanId?: string;
    statuses?: readonly BookingStatus[];
  }): Promise<Booking[]> {
    const query = this.select()
      .where('b.slot_start >= :from', { from: q.from.getTime() })
      .andWhere('b.slot_start < :until', { until: q.until.getTime() });
    if (q.aldermanId !== undefined)
      query.andWhere('b.alderman_id = :aldermanId', { aldermanId: q.aldermanId });
    if (q.statuses) query.andWhere(new Brackets((w) => w.where({ status: In([...q.statuses!]) })));
    return this.list(query);
  }

  async changedSince(q: { since: Date; startsAfter: Date }): Promise<Booking[]> {
    const query = this.select()
      .where('b.slot_start > :startsAfter', { startsAfter: q.startsAfter.getTime() })
      .andWhere('b.updated_at >= :since', { since: q.since.getTime() })
      .andWhere('b.resident_key <> :anonymous', { anonymous: ANONYMOUS });
    return this.list(query);
  }

  async transition(id: string, from: BookingStatus, to: BookingStatus, now: Date): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .update(BookingEntity)
      .set({ status: to, updated_at: now.getTime() })
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async appendTranscript(id: string, line: TranscriptLine, now: Date): Promise<boolean> {
    // Appended inside one UPDATE, so the resident's and the alderman's lines, written by
    // different conversations at the same moment, never overwrite each other.
    const append =
      this.kind === 'postgres'
        ? '(transcript::jsonb || jsonb_build_array(CAST(:line AS jsonb)))::text'
        : "json_insert(transcript, '$[#]', json(:line))";
    const result = await this.manager
      .createQueryBuilder()
      .update(BookingEntity)
      .set({ transcript: () => append, updated_at: now.getTime() })
      .where('id = :id', { id })
      .setParameter('line', JSON.stringify(line))
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async setRating(id: string, rating: number, status: BookingStatus, now: Date): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .update(BookingEntity)
      .set({ rating, updated_at: now.getTime() })
      .where('id = :id AND status = :status', { id, status })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async lock(key: string, mode: 'shared' | 'exclusive'): Promise<void> {
    // SQLite runs one write transaction at a time already; PostgreSQL needs an advisory lock.
    if (this.kind !== 'postgres' || !this.inTransaction()) return;
    const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    await sql(this.manager, this.kind, `SELECT ${fn}(hashtextextended(?, 0))`, [key]);
  }

  async addCancelledDay(day: StoredCancelledDay): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      this.kind,
      `INSERT INTO cancelled_days (alderman_id, local_date, reason, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (alderman_id, local_date) DO NOTHING`,
      [day.aldermanId, day.date, day.reason, day.createdAt.getTime()],
    );
    return affected > 0;
  }

  async removeCancelledDay(day: CancelledDay): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      this.kind,
      `DELETE FROM cancelled_days WHERE alderman_id = ? AND local_date = ?`,
      [day.aldermanId, day.date],
    );
    return affected > 0;
  }

  async cancelledDays(q: {
    fromDate: string;
    untilDate: string;
    aldermanId?: string;
  }): Promise<StoredCancelledDay[]> {
    const query = this.manager
      .getRepository(CancelledDayEntity)
      .createQueryBuilder('c')
      .where('c.local_date >= :fromDate AND c.local_date <= :untilDate', q)
      .orderBy('c.local_date', 'ASC')
      .addOrderBy(byteOrder(this.kind, 'c.alderman_id'), 'ASC');
    if (q.aldermanId !== undefined)
      query.andWhere('c.alderman_id = :aldermanId', { aldermanId: q.aldermanId });
    const rows = await query.getMany();
    return rows.map((r) => ({
      aldermanId: r.alderman_id,
      date: r.local_date,
      reason: r.reason,
      createdAt: new Date(r.created_at),
    }));
  }

  private inTransaction(): boolean {
    return inTransaction(this.manager);
  }

  private select(): SelectQueryBuilder<BookingRow> {
    return this.manager.getRepository(BookingEntity).createQueryBuilder('b');
  }

  private async list(query: SelectQueryBuilder<BookingRow>): Promise<Booking[]> {
    const rows = await query.orderBy('b.slot_start', 'ASC').addOrderBy('b.created_at', 'ASC').getMany();
    return rows.map(fromRow);
  }

  private async findOne(where: FindOptionsWhere<BookingRow>): Promise<Booking | undefined> {
    const row = await this.manager.getRepository(BookingEntity).findOneBy(where);
    return row ? fromRow(row) : undefined;
  }

  async idsOfResident(residentKey: string): Promise<string[]> {
    const { rows } = await sql<{ id: string }>(
      this.manager,
      this.kind,
      `SELECT id FROM bookings WHERE resident_key = ?`,
      [residentKey],
    );
    return rows.map((r) => r.id);
  }

  async anonymisePast(batch: PurgeBatch): Promise<number> {
    const where = `slot_end < ? AND resident_key <> '${ANONYMOUS}'`;
    if (batch.dryRun) {
      const { rows } = await sql<{ n: unknown }>(
        this.manager,
        this.kind,
        `SELECT COUNT(*) AS n FROM bookings WHERE ${where}`,
        [batch.before.getTime()],
      );
      return Number(rows[0]?.n ?? 0);
    }
    const { rows } = await sql<{ id: string }>(
      this.manager,
      this.kind,
      `SELECT id FROM bookings WHERE ${where} ORDER BY slot_end LIMIT ?`,
      [batch.before.getTime(), batch.limit],
    );
    return this.anonymise(rows.map((r) => r.id));
  }

  async personalData(subject: DataSubject): Promise<StoredRows> {
    const where = 'resident_key = ? ORDER BY slot_start';
    return { bookings: await rowsOf(this.manager, this.kind, 'bookings', where, [subject.key]) };
  }

  async erasePersonalData(subject: DataSubject): Promise<Counts> {
    const ids = await this.idsOfResident(subject.key);
    // Nobody is left to meet: an upcoming appointment is called off, which frees its slot.
    await sql(
      this.manager,
      this.kind,
      `UPDATE bookings SET status = 'cancelled' WHERE id IN (${placeholders(ids)}) AND status = 'active'`,
      ids,
    );
    return { bookings: await this.anonymise(ids) };
  }

  /** Clears the personal columns of these bookings; the calendar link stops working. */
  private async anonymise(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { affected } = await sql(
      this.manager,
      this.kind,
      `UPDATE bookings SET resident_key = '${ANONYMOUS}', resident_first_name = NULL, topic = '',
         transcript = '[]', ics_token = '${ANONYMOUS}-' || id WHERE id IN (${placeholders(ids)})`,
      ids,
    );
    return affected;
  }
}

/** Which unique index refused an insert, if it was one of ours. */
function conflictOf(error: unknown): 'slot' | 'reference' | undefined {
  if (!isUniqueViolation(error)) return undefined;
  const e = error as { constraint?: string; driverError?: { constraint?: string }; message?: string };
  // PostgreSQL names the index; SQLite lists its columns in the message.
  const where = `${e.driverError?.constraint ?? e.constraint ?? ''} ${e.message ?? ''}`;
  if (/UQ_bookings_active_slot|bookings\.slot_start/.test(where)) return 'slot';
  if (/UQ_bookings_reference|bookings\.reference/.test(where)) return 'reference';
  return undefined;
}

function toRow(b: Booking): BookingRow {
  return {
    id: b.id,
    reference: b.reference,
    alderman_id: b.aldermanId,
    slot_start: b.slotStart.getTime(),
    slot_end: b.slotEnd.getTime(),
    resident_key: b.residentKey,
    resident_first_name: b.residentFirstName,
    topic: b.topic,
    kind: b.kind,
    place: b.place,
    status: b.status,
    ics_token: b.icsToken,
    transcript: JSON.stringify(b.transcript),
    rating: b.rating,
    created_at: b.createdAt.getTime(),
    updated_at: b.updatedAt.getTime(),
  };
}

function fromRow(r: BookingRow): Booking {
  return {
    id: r.id,
    reference: r.reference,
    aldermanId: r.alderman_id,
    slotStart: new Date(r.slot_start),
    slotEnd: new Date(r.slot_end),
    residentKey: r.resident_key,
    residentFirstName: r.resident_first_name,
    topic: r.topic,
    kind: r.kind as Booking['kind'],
    place: r.place,
    status: r.status as BookingStatus,
    icsToken: r.ics_token,
    transcript: JSON.parse(r.transcript) as TranscriptLine[],
    rating: r.rating,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}
