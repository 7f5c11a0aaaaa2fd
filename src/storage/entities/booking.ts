import type { ValueTransformer } from 'typeorm';
import { EntitySchema } from '../typeorm.js';

/** One row of `bookings`. Instants are epoch milliseconds (see below); transcript is JSON text. */
export interface BookingRow {
  id: string;
  reference: string;
  alderman_id: string;
  slot_start: number;
  slot_end: number;
  resident_key: string;
  resident_first_name: string | null;
  topic: string;
  kind: string;
  place: string;
  status: string;
  ics_token: string;
  transcript: string;
  rating: number | null;
  created_at: number;
  updated_at: number;
}

/** One row of `cancelled_days`: an alderman called off all sessions of a local date. */
export interface CancelledDayRow {
  alderman_id: string;
  local_date: string;
  reason: string | null;
  created_at: number;
}

/** node-pg returns bigint as text; read it back as a number on both databases. */
export const epochMs: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

/**
 * A booking. Slot times are bigint epoch milliseconds rather than timestamp columns: numbers
 * compare and match exactly the same way on SQLite and PostgreSQL, which the unique index on
 * (alderman_id, slot_start) relies on; ISO text would depend on every writer formatting alike.
 */
export const BookingEntity = new EntitySchema<BookingRow>({
  name: 'Booking',
  tableName: 'bookings',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    reference: { type: 'varchar', length: 16 },
    alderman_id: { type: 'varchar', length: 100 },
    slot_start: { type: 'bigint', transformer: epochMs },
    slot_end: { type: 'bigint', transformer: epochMs },
    resident_key: { type: 'varchar', length: 200 },
    resident_first_name: { type: 'varchar', length: 100, nullable: true },
    topic: { type: 'text' },
    kind: { type: 'varchar', length: 16 },
    place: { type: 'varchar', length: 200 },
    status: { type: 'varchar', length: 16 },
    ics_token: { type: 'varchar', length: 64 },
    transcript: { type: 'text', default: '[]' },
    rating: { type: 'integer', nullable: true },
    created_at: { type: 'bigint', transformer: epochMs },
    updated_at: { type: 'bigint', transformer: epochMs },
  },
  indices: [
    {
      name: 'UQ_bookings_active_slot',
      columns: ['alderman_id', 'slot_start'],
      unique: true,
      where: "status = 'active'",
    },
    { name: 'UQ_bookings_reference', columns: ['reference'], unique: true },
    { name: 'UQ_bookings_ics_token', columns: ['ics_token'], unique: true },
    { name: 'IDX_bookings_resident', columns: ['resident_key', 'status'] },
    { name: 'IDX_bookings_alderman_start', columns: ['alderman_id', 'slot_start'] },
  ],
});

/** Days an alderman called off at run time; their slots are not offered again. */
export const CancelledDayEntity = new EntitySchema<CancelledDayRow>({
  name: 'CancelledDay',
  tableName: 'cancelled_days',
  columns: {
    alderman_id: { type: 'varchar', length: 100, primary: true },
    local_date: { type: 'varchar', length: 10, primary: true },
    reason: { type: 'text', nullable: true },
    created_at: { type: 'bigint', transformer: epochMs },
  },
});
