import { EntitySchema } from '../typeorm.js';

/** A row of `cases`, named as the columns are. */
export interface CaseRow {
  id: string;
  reference: string;
  resident_key: string;
  channel: string;
  language: string;
  district_id: string | null;
  topic: string;
  kind: string;
  text: string;
  /** A proposal's where, who and help as JSON; null for a question. */
  proposal: string | null;
  stage: string | null;
  status: string;
  assignee_type: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  handler_id: string | null;
  handler_name: string | null;
  waiting_since: Date | null;
  resident_name: string | null;
  answer_by: Date;
  promised_by: Date | null;
  answer: string | null;
  answered_at: Date | null;
  reopened_count: number;
  rating: number | null;
  escalated: boolean;
  idempotency_key: string;
  created_at: Date;
  updated_at: Date;
}

// Timestamps are `Date` here; the migration makes them timestamptz on PostgreSQL, datetime on SQLite.
export const CaseEntity = new EntitySchema<CaseRow>({
  name: 'Case',
  tableName: 'cases',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    reference: { type: 'varchar', length: 32, unique: true },
    resident_key: { type: 'varchar', length: 200 },
    channel: { type: 'varchar', length: 32 },
    language: { type: 'varchar', length: 8 },
    district_id: { type: 'varchar', length: 64, nullable: true },
    topic: { type: 'varchar', length: 64 },
    kind: { type: 'varchar', length: 16, default: 'question' },
    text: { type: 'text' },
    proposal: { type: 'text', nullable: true },
    stage: { type: 'varchar', length: 16, nullable: true },
    status: { type: 'varchar', length: 16 },
    assignee_type: { type: 'varchar', length: 16, nullable: true },
    assignee_id: { type: 'varchar', length: 64, nullable: true },
    assignee_name: { type: 'varchar', length: 200, nullable: true },
    handler_id: { type: 'varchar', length: 64, nullable: true },
    handler_name: { type: 'varchar', length: 200, nullable: true },
    waiting_since: { type: Date, nullable: true },
    resident_name: { type: 'varchar', length: 100, nullable: true },
    answer_by: { type: Date },
    promised_by: { type: Date, nullable: true },
    answer: { type: 'text', nullable: true },
    answered_at: { type: Date, nullable: true },
    reopened_count: { type: 'integer', default: 0 },
    rating: { type: 'integer', nullable: true },
    escalated: { type: 'boolean', default: false },
    idempotency_key: { type: 'varchar', length: 200, unique: true },
    created_at: { type: Date },
    updated_at: { type: Date },
  },
});
