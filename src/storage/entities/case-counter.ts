import { EntitySchema } from '../typeorm.js';

/**
 * A row of `case_counters`: the last reference number handed out per (prefix, year) on SQLite. On
 * PostgreSQL the numbers come from sequences; a row there is where an older version stopped
 * counting, and the year's sequence starts after it (src/storage/repositories/case-numbers.ts).
 */
export interface CaseCounterRow {
  prefix: string;
  year: number;
  value: number;
}

export const CaseCounterEntity = new EntitySchema<CaseCounterRow>({
  name: 'CaseCounter',
  tableName: 'case_counters',
  columns: {
    prefix: { type: 'varchar', length: 8, primary: true },
    year: { type: 'integer', primary: true },
    value: { type: 'integer' },
  },
});
