import type { EntityManager } from 'typeorm';
import type {
  StandardAnswerRepository,
  StoredStandardAnswer,
} from '../../ports/standard-answer-repository.js';
import { num, sql } from '../sql.js';

interface Row {
  id: string;
  topics: string | null;
  body: string;
  deleted: unknown;
  updated_at: unknown;
  updated_by: string;
}

function fromRow(row: Row): StoredStandardAnswer {
  const body = JSON.parse(row.body) as Pick<StoredStandardAnswer, 'title' | 'text'>;
  return {
    id: row.id,
    topics: row.topics === null ? null : (JSON.parse(row.topics) as string[]),
    title: body.title,
    text: body.text,
    deleted: num(row.deleted) === 1,
    updatedAt: new Date(num(row.updated_at)),
    updatedBy: row.updated_by,
  };
}

/** Standard answers edited in the dashboard, in `standard_answers`. */
export class SqlStandardAnswerRepository implements StandardAnswerRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  async all(): Promise<StoredStandardAnswer[]> {
    const { rows } = await sql<Row>(
      this.m,
      this.kind,
      `SELECT id, topics, body, deleted, updated_at, updated_by FROM standard_answers ORDER BY id`,
    );
    return rows.map(fromRow);
  }

  async get(id: string): Promise<StoredStandardAnswer | null> {
    const { rows } = await sql<Row>(
      this.m,
      this.kind,
      `SELECT id, topics, body, deleted, updated_at, updated_by FROM standard_answers WHERE id = ?`,
      [id],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async save(a: StoredStandardAnswer): Promise<void> {
    await sql(
      this.m,
      this.kind,
      `INSERT INTO standard_answers (id, topics, body, deleted, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET topics = excluded.topics, body = excluded.body,
         deleted = excluded.deleted, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [
        a.id,
        a.topics === null ? null : JSON.stringify(a.topics),
        JSON.stringify({ title: a.title, text: a.text }),
        a.deleted ? 1 : 0,
        a.updatedAt.getTime(),
        a.updatedBy,
      ],
    );
  }
}
