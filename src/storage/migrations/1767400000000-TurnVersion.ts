import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A turn in two statements. Each conversation counts its saved turns (`version`): a turn read
 * without a lock is written only when the conversation is still at the version it read, so two
 * processes that both read it cannot both save it (the loser reads again, under a lock).
 * The messages not yet delivered to a person are read every turn: a partial index holds only them,
 * so the read does not grow with everything ever sent to the person. The same DDL on both databases.
 */
export class TurnVersion1767400000000 implements MigrationInterface {
  name = 'TurnVersion1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversations ADD COLUMN version integer NOT NULL DEFAULT 0`);
    await q.query(
      `CREATE INDEX outbox_undelivered ON outbox (channel, user_id, id) WHERE status = 'pending' AND kind = 'message'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_undelivered`);
    await q.query(`ALTER TABLE conversations DROP COLUMN version`);
  }
}
