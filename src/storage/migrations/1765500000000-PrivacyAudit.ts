import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

/** The privacy log: one row per purge run, export and erasure (who, when, about whom as a keyed hash, counts). */
export class PrivacyAudit1765500000000 implements MigrationInterface {
  name = 'PrivacyAudit1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'privacy_audit',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'at', type: 'bigint' },
          { name: 'action', type: 'varchar', length: '16' },
          { name: 'actor', type: 'varchar', length: '100' },
          { name: 'subject', type: 'varchar', length: '64', isNullable: true },
          { name: 'dry_run', type: 'integer', default: 0 },
          { name: 'counts', type: 'text' },
        ],
        indices: [new TableIndex({ name: 'IDX_privacy_audit_at', columnNames: ['at'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('privacy_audit');
  }
}
