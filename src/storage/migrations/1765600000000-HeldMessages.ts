import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

/** Messages a channel holds until the person writes again (WhatsApp's 24-hour customer-service window). */
export class HeldMessages1765600000000 implements MigrationInterface {
  name = 'HeldMessages1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'held_messages',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'user_id', type: 'varchar', length: '180' },
          { name: 'outbox_id', type: 'integer', isNullable: true, isUnique: true },
          { name: 'body', type: 'text' },
          { name: 'held_at', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'held_messages',
      new TableIndex({ name: 'held_messages_to', columnNames: ['channel', 'user_id', 'id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('held_messages');
  }
}
