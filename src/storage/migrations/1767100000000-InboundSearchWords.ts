import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL keeps each message's words as a stored `tsvector` (`inbound.search_words`), a column
 * generated from `search_text`, with the GIN word index on it instead of on the expression
 * `to_tsvector('simple', search_text)`. A search that walks the messages newest first (a word with a
 * channel, "asked for a person" or a date range) tests the words of every message it passes; with
 * the expression PostgreSQL parsed each message's text again for that test, now it reads the
 * stored words. Generated, so it follows `search_text` on every insert and update, also when the
 * trigger `inbound_text_erased` empties it (generated columns are computed after BEFORE triggers).
 *
 * The configuration stays 'simple': the Dutch folding (stop words, stemmer) is done once in
 * src/shared/search-words.ts for both databases, so PostgreSQL and SQLite's FTS5 see the same
 * words; PostgreSQL's own 'dutch' stemmer and stop list on top would make it find other messages
 * than SQLite. SQLite is not changed (FTS5 stores its own index).
 */
export class InboundSearchWords1767100000000 implements MigrationInterface {
  name = 'InboundSearchWords1767100000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(
      `ALTER TABLE inbound ADD COLUMN search_words tsvector
         GENERATED ALWAYS AS (to_tsvector('simple', COALESCE(search_text, ''))) STORED`,
    );
    await q.query(
      `CREATE INDEX inbound_search_words ON inbound USING GIN (search_words) WITH (fastupdate = off)`,
    );
    await q.query(`DROP INDEX inbound_search`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(
      `CREATE INDEX inbound_search ON inbound USING GIN (to_tsvector('simple', COALESCE(search_text, '')))
         WITH (fastupdate = off)`,
    );
    await q.query(`DROP INDEX inbound_search_words`);
    await q.query(`ALTER TABLE inbound DROP COLUMN search_words`);
  }
}
