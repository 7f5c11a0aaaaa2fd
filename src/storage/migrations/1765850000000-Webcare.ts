import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

const ms = { type: 'bigint' } as const;

/** Residents who asked for a person, and which operator took each one over. */
export class Webcare1765850000000 implements MigrationInterface {
  name = 'Webcare1765850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'webcare_requests',
        columns: [
          // One row per conversation: taking it is an update that only one operator can win.
          { name: 'conversation_key', type: 'varchar', length: '200', isPrimary: true },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'user_id', type: 'varchar', length: '180' },
          { name: 'promise', type: 'text' },
          { name: 'closed', type: 'integer', default: 0 },
          { name: 'asked_at', ...ms },
          { name: 'operator_id', type: 'varchar', length: '100', isNullable: true },
          { name: 'taken_at', ...ms, isNullable: true },
          { name: 'active_at', ...ms, isNullable: true },
          { name: 'released_from', type: 'varchar', length: '100', isNullable: true },
        ],
      }),
    );
    await q.createIndex(
      'webcare_requests',
      new TableIndex({ name: 'webcare_requests_asked', columnNames: ['asked_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('webcare_requests');
  }
}
