import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `promised_by`: the later date a resident was told when their question's answer-by date passed
 * (the delay notice), so their status and the case page say the date they were promised. Null
 * until then. timestamptz on PostgreSQL, datetime on SQLite, as `answer_by`.
 */
export class CasePromisedBy1768600000000 implements MigrationInterface {
  name = 'CasePromisedBy1768600000000';

  async up(q: QueryRunner): Promise<void> {
    const ts = q.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await q.query(`ALTER TABLE cases ADD COLUMN promised_by ${ts}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN promised_by`);
  }
}
