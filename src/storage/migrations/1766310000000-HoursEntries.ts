import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table } from '../typeorm.js';

/** Consultation hours staff change in the dashboard, over data/hours.json. */
export class HoursEntries1766310000000 implements MigrationInterface {
  name = 'HoursEntries1766310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'hours_entries',
        columns: [
          // recurring | extra | cancelled
          { name: 'kind', type: 'varchar', length: '10', isPrimary: true },
          // The session's id; for a cancelled date `<session id>@<date>`.
          { name: 'id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'alderman_id', type: 'varchar', length: '100' },
          // The entry as JSON (the same shape as in hours.json); null when deleted.
          { name: 'body', type: 'text', isNullable: true },
          { name: 'deleted', type: 'integer', default: 0 },
          { name: 'updated_at', type: 'bigint' },
          { name: 'updated_by', type: 'varchar', length: '200' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('hours_entries');
  }
}
