import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

const ms = { type: 'bigint' } as const;

/** Inbound items that could not be stored or handled: kept aside with the error for operators. */
export class DeadLetters1765700000000 implements MigrationInterface {
  name = 'DeadLetters1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'dead_letters',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          // 'store': it never reached the inbound log; 'handle': stored, but every turn failed.
          { name: 'stage', type: 'varchar', length: '10' },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'user_id', type: 'varchar', length: '180' },
          { name: 'dedupe_key', type: 'varchar', length: '300' },
          { name: 'inbound_id', type: 'integer', isNullable: true },
          // The item as JSON (control characters escaped, so any database takes it).
          { name: 'payload', type: 'text' },
          { name: 'error', type: 'text' },
          { name: 'attempts', type: 'integer' },
          { name: 'status', type: 'varchar', length: '10', default: "'open'" },
          { name: 'created_at', ...ms },
          { name: 'resolved_at', ...ms, isNullable: true },
        ],
      }),
    );
    await q.createIndex(
      'dead_letters',
      new TableIndex({ name: 'dead_letters_status', columnNames: ['status', 'id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('dead_letters');
  }
}
