import type { EntityManager } from 'typeorm';
import { sql } from '../sql.js';

/** SQLite adds stored messages to the word index this many at a time (and before every search). */
export const SEARCH_INDEX_BATCH = 64;

/**
 * Adds every SQLite message not yet in the word index (`inbound_fts`) to it, in one statement: the
 * trigger `inbound_fts_catch_up` indexes the messages between the old and the new `indexed_upto`
 * (migration SearchIndexInBatches). FTS5 writes an index segment per transaction, so a batch costs
 * about what one message did.
 */
export async function indexSearchWords(manager: EntityManager): Promise<void> {
  await sql(
    manager,
    'sqlite',
    `UPDATE inbound_fts_state SET indexed_upto = (SELECT COALESCE(MAX(id), 0) FROM inbound)
      WHERE indexed_upto < (SELECT COALESCE(MAX(id), 0) FROM inbound)`,
  );
}
