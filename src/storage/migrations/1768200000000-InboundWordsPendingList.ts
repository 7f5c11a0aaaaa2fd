import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL's word index (`inbound_search_words`) collects new entries in a small pending list
 * again (`fastupdate`, at most 64 kB) instead of adding each message's words to its tree at once.
 * Handling a message rewrites its row (`status` is in `inbound_pending`, so the update is not HOT),
 * and every new row version went word by word into the tree: with two inbound writes per message
 * that was the largest part of the server's work per message. The list is merged in bulk when it
 * outgrows its limit; a search reads the list as well, so it finds the same messages, and 64 kB
 * (not the 4 MB default that made a rare word as slow as a common one, 1766400000000) keeps that
 * read short. SQLite is not changed (FTS5 takes messages in batches already).
 */
export class InboundWordsPendingList1768200000000 implements MigrationInterface {
  name = 'InboundWordsPendingList1768200000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`ALTER INDEX inbound_search_words SET (fastupdate = on, gin_pending_list_limit = 64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`ALTER INDEX inbound_search_words SET (fastupdate = off)`);
    await q.query(`ALTER INDEX inbound_search_words RESET (gin_pending_list_limit)`);
    await q.query(`SELECT gin_clean_pending_list('inbound_search_words'::regclass)`);
  }
}
