import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

const ms = { type: 'bigint' } as const;

/** Conversations, the inbound log, the outbox, and staff identities with their link codes. */
export class Conversations1764290000000 implements MigrationInterface {
  name = 'Conversations1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'conversations',
        columns: [
          { name: 'key', type: 'varchar', length: '200', isPrimary: true },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'user_id', type: 'varchar', length: '180' },
          { name: 'state', type: 'text', isNullable: true },
          { name: 'needs_human', type: 'integer', default: 0 },
          { name: 'created_at', ...ms },
          { name: 'updated_at', ...ms },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'inbound',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'dedupe_key', type: 'varchar', length: '300', isUnique: true },
          { name: 'conversation_key', type: 'varchar', length: '200' },
          { name: 'kind', type: 'varchar', length: '10' },
          { name: 'text', type: 'text' },
          { name: 'choice_id', type: 'varchar', length: '200', isNullable: true },
          { name: 'has_media', type: 'integer', default: 0 },
          { name: 'event', type: 'text', isNullable: true },
          { name: 'status', type: 'varchar', length: '10', default: "'pending'" },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'received_at', ...ms },
          { name: 'handled_at', ...ms, isNullable: true },
        ],
      }),
    );
    await q.createIndex(
      'inbound',
      new TableIndex({ name: 'inbound_pending', columnNames: ['conversation_key', 'status', 'id'] }),
    );
    await q.createTable(
      new Table({
        name: 'outbox',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'kind', type: 'varchar', length: '12' },
          { name: 'channel', type: 'varchar', length: '20', isNullable: true },
          { name: 'user_id', type: 'varchar', length: '180', isNullable: true },
          { name: 'body', type: 'text' },
          { name: 'cause_id', type: 'integer', isNullable: true },
          { name: 'status', type: 'varchar', length: '10', default: "'pending'" },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'claimed_until', ...ms },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'delivery_state', type: 'varchar', length: '12', isNullable: true },
          { name: 'created_at', ...ms },
          { name: 'delivered_at', ...ms, isNullable: true },
        ],
      }),
    );
    await q.createIndex(
      'outbox',
      new TableIndex({ name: 'outbox_due', columnNames: ['status', 'claimed_until'] }),
    );
    await q.createIndex('outbox', new TableIndex({ name: 'outbox_to', columnNames: ['channel', 'user_id'] }));
    await q.createTable(
      new Table({
        name: 'staff_identities',
        columns: [
          { name: 'channel', type: 'varchar', length: '20', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '180', isPrimary: true },
          { name: 'alderman_id', type: 'varchar', length: '100' },
          { name: 'linked_at', ...ms },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'staff_link_codes',
        columns: [
          { name: 'code_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'alderman_id', type: 'varchar', length: '100' },
          { name: 'expires_at', ...ms },
          { name: 'used_at', ...ms, isNullable: true },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['staff_link_codes', 'staff_identities', 'outbox', 'inbound', 'conversations']) {
      await q.dropTable(table);
    }
  }
}
