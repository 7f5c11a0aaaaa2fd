import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from '../typeorm.js';
import { searchText } from '../../shared/search-words.js';

const BATCH = 1000;

/**
 * Full-text search over the messages people wrote (`inbound`, kind 'message'). Each row gets a
 * `search_text` column, filled by the app on insert with the words as `src/shared/search-words.ts`
 * folds them, and an index over it: on SQLite an FTS5 table with external content kept in step by
 * triggers (deleting a message removes it from the index), on PostgreSQL a GIN index over
 * `to_tsvector('simple', search_text)`. On both, a change of `text` without a new `search_text`
 * empties `search_text`, so text erased for privacy can no longer be found.
 */
export class ConversationSearch1765800000000 implements MigrationInterface {
  name = 'ConversationSearch1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('inbound', new TableColumn({ name: 'search_text', type: 'text', isNullable: true }));
    const sqlite = q.connection.options.type !== 'postgres';
    if (sqlite) {
      await q.query(
        `CREATE VIRTUAL TABLE inbound_fts USING fts5(search_text, content='inbound', content_rowid='id')`,
      );
      // A deleted message's words leave the index's pages at once, not at the next merge (privacy).
      await q.query(`INSERT INTO inbound_fts(inbound_fts, rank) VALUES ('secure-delete', 1)`);
      await q.query(
        `CREATE TRIGGER inbound_fts_insert AFTER INSERT ON inbound WHEN new.search_text IS NOT NULL BEGIN
           INSERT INTO inbound_fts(rowid, search_text) VALUES (new.id, new.search_text);
         END`,
      );
      await q.query(
        `CREATE TRIGGER inbound_fts_delete AFTER DELETE ON inbound WHEN old.search_text IS NOT NULL BEGIN
           INSERT INTO inbound_fts(inbound_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
         END`,
      );
      await q.query(
        `CREATE TRIGGER inbound_fts_update AFTER UPDATE OF search_text ON inbound BEGIN
           INSERT INTO inbound_fts(inbound_fts, rowid, search_text)
             SELECT 'delete', old.id, old.search_text WHERE old.search_text IS NOT NULL;
           INSERT INTO inbound_fts(rowid, search_text)
             SELECT new.id, new.search_text WHERE new.search_text IS NOT NULL;
         END`,
      );
      await q.query(
        `CREATE TRIGGER inbound_text_erased AFTER UPDATE OF text ON inbound
           WHEN new.text IS NOT old.text AND new.search_text IS old.search_text AND new.search_text IS NOT NULL BEGIN
           UPDATE inbound SET search_text = NULL WHERE id = new.id;
         END`,
      );
    } else {
      await q.query(
        `CREATE INDEX inbound_search ON inbound USING GIN (to_tsvector('simple', COALESCE(search_text, '')))`,
      );
      await q.query(
        `CREATE FUNCTION inbound_text_erased() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF NEW.text IS DISTINCT FROM OLD.text AND NEW.search_text IS NOT DISTINCT FROM OLD.search_text THEN
             NEW.search_text := NULL;
           END IF;
           RETURN NEW;
         END $$`,
      );
      await q.query(
        `CREATE TRIGGER inbound_text_erased BEFORE UPDATE OF text ON inbound
           FOR EACH ROW EXECUTE FUNCTION inbound_text_erased()`,
      );
    }
    // Messages stored before this migration get their words now.
    const p = (n: number) => (sqlite ? '?' : `$${n}`);
    let after = 0;
    for (;;) {
      const rows = (await q.query(
        `SELECT id, text FROM inbound WHERE kind = 'message' AND id > ${p(1)} ORDER BY id LIMIT ${BATCH}`,
        [after],
      )) as { id: number | string; text: string }[];
      if (rows.length === 0) break;
      for (const row of rows)
        await q.query(`UPDATE inbound SET search_text = ${p(1)} WHERE id = ${p(2)}`, [
          searchText(row.text),
          row.id,
        ]);
      after = Number(rows.at(-1)?.id ?? after);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') {
      for (const trigger of [
        'inbound_text_erased',
        'inbound_fts_update',
        'inbound_fts_delete',
        'inbound_fts_insert',
      ])
        await q.query(`DROP TRIGGER IF EXISTS ${trigger}`);
      await q.query(`DROP TABLE IF EXISTS inbound_fts`);
    } else {
      await q.query(`DROP TRIGGER IF EXISTS inbound_text_erased ON inbound`);
      await q.query(`DROP FUNCTION IF EXISTS inbound_text_erased()`);
      await q.query(`DROP INDEX IF EXISTS inbound_search`);
    }
    await q.dropColumn('inbound', 'search_text');
  }
}
