import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

/** The `jobs` table of the SQL queue driver (see entities/job.ts). */
export class Jobs1764300000000 implements MigrationInterface {
  name = 'Jobs1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'jobs',
        columns: [
          { name: 'queue_name', type: 'varchar', length: '100', isPrimary: true },
          { name: 'id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'data', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'run_at', type: 'bigint' },
          { name: 'attempts_made', type: 'integer' },
          { name: 'max_attempts', type: 'integer' },
          { name: 'backoff_ms', type: 'integer' },
          { name: 'locked_by', type: 'varchar', length: '200', isNullable: true },
          { name: 'locked_until', type: 'bigint', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
    // The claim query walks due jobs of one queue in run_at order; the purge walks finished ones.
    await queryRunner.createIndex(
      'jobs',
      new TableIndex({ name: 'IDX_jobs_due', columnNames: ['queue_name', 'status', 'run_at'] }),
    );
    await queryRunner.createIndex(
      'jobs',
      new TableIndex({ name: 'IDX_jobs_finished', columnNames: ['queue_name', 'status', 'updated_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('jobs');
  }
}
