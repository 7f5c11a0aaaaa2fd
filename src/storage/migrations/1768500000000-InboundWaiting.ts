import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The messages and events not yet handled, by the time they came in. Two reads want only those: the
 * safety-net sweep (`conversationsWithPending`, every SWEEP_SECONDS in each process) and the backlog
 * that /metrics reports at every scrape. With no index that starts at `status`, both read the whole
 * table (on SQLite the whole `inbound_pending` index): 24 ms and 16 ms at 300,000 messages, on the
 * one thread that also answers residents in embedded mode, and growing with every message kept.
 * A partial index holds only the items that wait, so both reads stay as small as the backlog. The
 * same DDL on SQLite and PostgreSQL.
 *
 * `received_at IS NOT NULL` is always true (the column is NOT NULL); it is in the predicate so that
 * only reads that mention `received_at` can use the index. The engine's turn looks items up by id
 * with `status = 'pending'`, and PostgreSQL, planning that generically on empty tables, chose to
 * walk this whole index with a filter on the id instead of the primary key: a turn's cost would
 * then grow with the backlog (test/storage/prepared-statements.test.ts).
 */
export class InboundWaiting1768500000000 implements MigrationInterface {
  name = 'InboundWaiting1768500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX inbound_waiting ON inbound (received_at)
       WHERE status = 'pending' AND received_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inbound_waiting`);
  }
}
