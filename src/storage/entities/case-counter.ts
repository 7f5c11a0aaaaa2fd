import { EntitySchema } from 'typeorm';

/** A row of `case_counters`: the last reference number handed out per (prefix, year). */
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
