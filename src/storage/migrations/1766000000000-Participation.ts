import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

const ms = { type: 'bigint' } as const;
const id = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
} as const;

/** Residents' subscriptions to district updates, project updates, and broadcasts with their recipients. */
export class Participation1766000000000 implements MigrationInterface {
  name = 'Participation1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'participation_subscriptions',
        columns: [
          { name: 'conversation_key', type: 'varchar', length: '200', isPrimary: true },
          { name: 'district_id', type: 'varchar', length: '100', isPrimary: true },
          // '' stands for every topic (a primary key column cannot be NULL).
          { name: 'topic', type: 'varchar', length: '100', isPrimary: true },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'user_id', type: 'varchar', length: '180' },
          { name: 'consented_at', ...ms },
        ],
      }),
    );
    await q.createIndex(
      'participation_subscriptions',
      new TableIndex({ name: 'participation_subscriptions_district', columnNames: ['district_id', 'topic'] }),
    );
    await q.createTable(
      new Table({
        name: 'participation_updates',
        columns: [
          id,
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'body', type: 'text' },
          { name: 'link', type: 'varchar', length: '500', isNullable: true },
          { name: 'districts', type: 'text' },
          { name: 'topic', type: 'varchar', length: '100', isNullable: true },
          { name: 'level', type: 'varchar', length: '20' },
          { name: 'influence', type: 'text', isNullable: true },
          { name: 'until_date', type: 'varchar', length: '10', isNullable: true },
          { name: 'author', type: 'varchar', length: '120' },
          { name: 'created_at', ...ms },
          { name: 'broadcast_id', type: 'integer', isNullable: true },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'broadcasts',
        columns: [
          id,
          { name: 'kind', type: 'varchar', length: '20' },
          { name: 'subject_id', type: 'varchar', length: '100' },
          { name: 'event', type: 'text' },
          { name: 'districts', type: 'text' },
          { name: 'topic', type: 'varchar', length: '100', isNullable: true },
          { name: 'capped', type: 'integer', default: 1 },
          { name: 'created_at', ...ms },
          { name: 'progress_at', ...ms },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'broadcast_deliveries',
        columns: [
          id,
          { name: 'broadcast_id', type: 'integer' },
          { name: 'conversation_key', type: 'varchar', length: '200' },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'user_id', type: 'varchar', length: '180' },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'capped', type: 'integer', default: 1 },
          { name: 'created_at', ...ms },
          { name: 'done_at', ...ms, isNullable: true },
        ],
      }),
    );
    await q.createIndex(
      'broadcast_deliveries',
      new TableIndex({
        name: 'broadcast_deliveries_next',
        columnNames: ['broadcast_id', 'channel', 'status', 'id'],
      }),
    );
    await q.createIndex(
      'broadcast_deliveries',
      new TableIndex({ name: 'broadcast_deliveries_resident', columnNames: ['conversation_key', 'done_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'broadcast_deliveries',
      'broadcasts',
      'participation_updates',
      'participation_subscriptions',
    ])
      await q.dropTable(table);
  }
}
