import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from '../typeorm.js';

const ms = { type: 'bigint' } as const;

/** Polls (peilingen) staff create, and residents' answers to them. */
export class Polls1766100000000 implements MigrationInterface {
  name = 'Polls1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'polls',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'question', type: 'text' },
          // The option labels as a JSON array.
          { name: 'options', type: 'text' },
          { name: 'scale', type: 'integer', default: 0 },
          // District ids as a JSON array.
          { name: 'districts', type: 'text' },
          { name: 'follow_up', type: 'text', isNullable: true },
          { name: 'opens_at', ...ms },
          { name: 'closes_at', ...ms, isNullable: true },
          { name: 'closed_at', ...ms, isNullable: true },
          { name: 'outcome', type: 'text', isNullable: true },
          { name: 'created_by', type: 'varchar', length: '200' },
          { name: 'created_at', ...ms },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'poll_answers',
        columns: [
          // One answer per resident per poll: a second answer replaces the first.
          { name: 'poll_id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'conversation_key', type: 'varchar', length: '200', isPrimary: true },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'user_id', type: 'varchar', length: '180' },
          { name: 'district_id', type: 'varchar', length: '100' },
          { name: 'choice', type: 'integer' },
          { name: 'follow_up', type: 'text', isNullable: true },
          { name: 'answered_at', ...ms },
        ],
      }),
    );
    await q.createIndex(
      'poll_answers',
      new TableIndex({ name: 'poll_answers_key', columnNames: ['conversation_key'] }),
    );
    await q.createIndex(
      'poll_answers',
      new TableIndex({ name: 'poll_answers_answered', columnNames: ['answered_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('poll_answers');
    await q.dropTable('polls');
  }
}
