import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A poll's outcome text can be written or corrected after the poll closed: `outcome_version` counts
 * those changes. Each change is saved only when the poll is still at the version staff saw (two staff
 * at once: one saves it), and the residents who answered hear each version once (its event id). The
 * same DDL on both databases.
 */
export class PollOutcomeVersion1768300000000 implements MigrationInterface {
  name = 'PollOutcomeVersion1768300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE polls ADD COLUMN outcome_version integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE polls DROP COLUMN outcome_version`);
  }
}
