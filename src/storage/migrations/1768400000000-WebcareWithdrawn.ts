import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A resident who wrote "laat maar, hoeft niet meer" while waiting for a person withdrew the request:
 * `withdrawn_at` says when. A waiting request then leaves the queue (no operator can take it); a
 * takeover stays with its operator, who sees that the resident no longer needs them. The same DDL on
 * both databases.
 */
export class WebcareWithdrawn1768400000000 implements MigrationInterface {
  name = 'WebcareWithdrawn1768400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webcare_requests ADD COLUMN withdrawn_at bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webcare_requests DROP COLUMN withdrawn_at`);
  }
}
