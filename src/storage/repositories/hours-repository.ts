import type { EntityManager } from 'typeorm';
import type {
  HoursEntry,
  HoursEntryKind,
  HoursRepository,
  StoredHoursEntry,
} from '../../ports/hours-repository.js';
import { byteOrder, num, sql } from '../sql.js';

interface Row {
  kind: string;
  id: string;
  alderman_id: string;
  body: string | null;
  deleted: unknown;
  updated_at: unknown;
  updated_by: string;
}

function fromRow(row: Row): StoredHoursEntry {
  return {
    kind: row.kind as HoursEntryKind,
    id: row.id,
    aldermanId: row.alderman_id,
    entry: row.body === null ? null : (JSON.parse(row.body) as HoursEntry),
    deleted: num(row.deleted) === 1,
    updatedAt: new Date(num(row.updated_at)),
    updatedBy: row.updated_by,
  };
}

/** Consultation hours changed in the dashboard, in `hours_entries`. */
export class SqlHoursRepository implements HoursRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  async all(): Promise<StoredHoursEntry[]> {
    const { rows } = await sql<Row>(
      this.m,
      this.kind,
      `SELECT kind, id, alderman_id, body, deleted, updated_at, updated_by FROM hours_entries
       ORDER BY ${byteOrder(this.kind, 'kind')}, ${byteOrder(this.kind, 'id')}`,
    );
    return rows.map(fromRow);
  }

  async save(e: StoredHoursEntry): Promise<void> {
    await sql(
      this.m,
      this.kind,
      `INSERT INTO hours_entries (kind, id, alderman_id, body, deleted, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET alderman_id = excluded.alderman_id, body = excluded.body,
         deleted = excluded.deleted, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [
        e.kind,
        e.id,
        e.aldermanId,
        e.entry === null ? null : JSON.stringify(e.entry),
        e.deleted ? 1 : 0,
        e.updatedAt.getTime(),
        e.updatedBy,
      ],
    );
  }
}
