import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn, TableIndex } from '../typeorm.js';

/** The resident's first name, the person handling a case, the moment it started waiting for the resident, and an inbox index. */
export class CaseInbox1765450000000 implements MigrationInterface {
  name = 'CaseInbox1765450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.addColumns('cases', [
      new TableColumn({ name: 'handler_id', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'handler_name', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'waiting_since', type: ts, isNullable: true }),
      new TableColumn({ name: 'resident_name', type: 'varchar', length: '100', isNullable: true }),
    ]);
    // The inbox lists the earliest answer-by first, whatever else it filters on.
    await queryRunner.createIndex(
      'cases',
      new TableIndex({ name: 'IDX_cases_answer_by', columnNames: ['answer_by', 'created_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'IDX_cases_answer_by');
    await queryRunner.dropColumn('cases', 'resident_name');
    await queryRunner.dropColumn('cases', 'waiting_since');
    await queryRunner.dropColumn('cases', 'handler_name');
    await queryRunner.dropColumn('cases', 'handler_id');
  }
}
