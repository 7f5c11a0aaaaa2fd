import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The people's messages by the time they came in, newest first. Chat-log search walks this index
 * from the newest message and stops as soon as a page of conversations is full, instead of
 * grouping every match of a common word (or every message of a date range) per conversation.
 * Partial: only kind 'message' is ever searched. The same DDL on SQLite and PostgreSQL.
 *
 * On PostgreSQL the word index stops collecting new rows in a pending list (`fastupdate`): every
 * search read that whole list (up to 4 MB) until a vacuum merged it, which made a rare word cost
 * as much as a common one. Messages come in at the pace people type, so adding each to the index
 * at once costs little.
 */
export class InboundByTime1766400000000 implements MigrationInterface {
  name = 'InboundByTime1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX inbound_received ON inbound (received_at, id) WHERE kind = 'message'`);
    if (q.connection.options.type === 'postgres') {
      await q.query(`ALTER INDEX inbound_search SET (fastupdate = off)`);
      await q.query(`SELECT gin_clean_pending_list('inbound_search'::regclass)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres')
      await q.query(`ALTER INDEX inbound_search RESET (fastupdate)`);
    await q.query(`DROP INDEX inbound_received`);
  }
}
