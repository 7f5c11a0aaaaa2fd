import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

/** Cases, their event history and the per (prefix, year) reference counters. */
export class Cases1764300002000 implements MigrationInterface {
  name = 'Cases1764300002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // timestamptz keeps the instant on PostgreSQL whatever the server's zone; SQLite has datetime.
    const ts = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'cases',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'reference', type: 'varchar', length: '32', isUnique: true },
          { name: 'resident_key', type: 'varchar', length: '200' },
          { name: 'channel', type: 'varchar', length: '32' },
          { name: 'language', type: 'varchar', length: '8' },
          { name: 'district_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'topic', type: 'varchar', length: '64' },
          { name: 'text', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'assignee_type', type: 'varchar', length: '16', isNullable: true },
          { name: 'assignee_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'assignee_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'answer_by', type: ts },
          { name: 'answer', type: 'text', isNullable: true },
          { name: 'answered_at', type: ts, isNullable: true },
          { name: 'reopened_count', type: 'integer', default: 0 },
          { name: 'rating', type: 'integer', isNullable: true },
          { name: 'escalated', type: 'boolean', default: false },
          { name: 'idempotency_key', type: 'varchar', length: '200', isUnique: true },
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
        ],
        indices: [
          new TableIndex({ name: 'IDX_cases_resident', columnNames: ['resident_key', 'created_at'] }),
          new TableIndex({
            name: 'IDX_cases_assignee',
            columnNames: ['assignee_type', 'assignee_id', 'status', 'answer_by'],
          }),
          new TableIndex({ name: 'IDX_cases_overdue', columnNames: ['status', 'escalated', 'answer_by'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'case_events',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'case_id', type: 'varchar', length: '36' },
          { name: 'at', type: ts },
          { name: 'actor', type: 'varchar', length: '100' },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'detail', type: 'text' },
        ],
        foreignKeys: [
          // Purging a case (retention, erasure) takes its history with it.
          {
            columnNames: ['case_id'],
            referencedTableName: 'cases',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [new TableIndex({ name: 'IDX_case_events_case', columnNames: ['case_id', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'case_counters',
        columns: [
          { name: 'prefix', type: 'varchar', length: '8', isPrimary: true },
          { name: 'year', type: 'integer', isPrimary: true },
          { name: 'value', type: 'integer' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('case_counters');
    await queryRunner.dropTable('case_events');
    await queryRunner.dropTable('cases');
  }
}
