import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

/**
 * Wrong `koppel` tries from any chat, by time only (no address): the global limit counts them and
 * suspends every open link code when someone guesses from many chats at once.
 */
export class StaffLinkFailures1766200000000 implements MigrationInterface {
  name = 'StaffLinkFailures1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'staff_link_failures',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'failed_at', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'staff_link_failures',
      new TableIndex({ name: 'staff_link_failures_at', columnNames: ['failed_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('staff_link_failures');
  }
}
