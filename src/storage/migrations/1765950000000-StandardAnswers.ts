import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table } from '../typeorm.js';

/** Standard answers admins add or edit in the dashboard, over data/standard-answers.json. */
export class StandardAnswers1765950000000 implements MigrationInterface {
  name = 'StandardAnswers1765950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'standard_answers',
        columns: [
          { name: 'id', type: 'varchar', length: '100', isPrimary: true },
          // Topic ids as a JSON array; null = every topic.
          { name: 'topics', type: 'text', isNullable: true },
          // { title: { nl, en }, text: { nl, en } } as JSON.
          { name: 'body', type: 'text' },
          // 1: hidden (a deleted answer, also hiding the data file's answer with this id).
          { name: 'deleted', type: 'integer', default: 0 },
          { name: 'updated_at', type: 'bigint' },
          { name: 'updated_by', type: 'varchar', length: '200' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('standard_answers');
  }
}
