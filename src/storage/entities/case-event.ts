import { EntitySchema } from '../typeorm.js';

/** A row of `case_events`: one entry in a case's history. `detail` is JSON text. */
export interface CaseEventRow {
  id: number;
  case_id: string;
  at: Date;
  actor: string;
  type: string;
  detail: string;
}

export const CaseEventEntity = new EntitySchema<CaseEventRow>({
  name: 'CaseEvent',
  tableName: 'case_events',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    case_id: { type: 'varchar', length: 36 },
    at: { type: Date },
    actor: { type: 'varchar', length: 100 },
    type: { type: 'varchar', length: 32 },
    detail: { type: 'text' },
  },
});
