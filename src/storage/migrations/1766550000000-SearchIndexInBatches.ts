import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite's word index (`inbound_fts`) takes new messages in batches instead of one at a time.
 * FTS5 writes a new index segment at the end of every transaction that adds to it, which made each
 * stored message's commit cost about twice as much. Now `inbound_fts_state.indexed_upto` says up to
 * which message id the index holds the words; one statement (`UPDATE inbound_fts_state SET
 * indexed_upto = …`) adds every message after it at once, through the trigger `inbound_fts_catch_up`.
 * The app runs it every 64 stored messages and before every search, so a search still finds every
 * message stored before it. A message deleted or erased before its batch was never indexed: the
 * triggers only take out of the index what is in it, and its words never go in. PostgreSQL is not
 * changed (its GIN index takes each message in its own transaction cheaply).
 */
export class SearchIndexInBatches1766550000000 implements MigrationInterface {
  name = 'SearchIndexInBatches1766550000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    await q.query(`CREATE TABLE inbound_fts_state (indexed_upto integer NOT NULL)`);
    // Every message so far went into the index as it was stored.
    await q.query(`INSERT INTO inbound_fts_state (indexed_upto) SELECT COALESCE(MAX(id), 0) FROM inbound`);
    for (const trigger of ['inbound_fts_insert', 'inbound_fts_delete', 'inbound_fts_update'])
      await q.query(`DROP TRIGGER ${trigger}`);
    await q.query(
      `CREATE TRIGGER inbound_fts_catch_up AFTER UPDATE OF indexed_upto ON inbound_fts_state
         WHEN new.indexed_upto > old.indexed_upto BEGIN
         INSERT INTO inbound_fts(rowid, search_text)
           SELECT id, search_text FROM inbound
            WHERE id > old.indexed_upto AND id <= new.indexed_upto AND search_text IS NOT NULL
            ORDER BY id;
       END`,
    );
    await q.query(
      `CREATE TRIGGER inbound_fts_delete AFTER DELETE ON inbound
         WHEN old.search_text IS NOT NULL AND old.id <= (SELECT indexed_upto FROM inbound_fts_state) BEGIN
         INSERT INTO inbound_fts(inbound_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
       END`,
    );
    await q.query(
      `CREATE TRIGGER inbound_fts_update AFTER UPDATE OF search_text ON inbound
         WHEN old.id <= (SELECT indexed_upto FROM inbound_fts_state) BEGIN
         INSERT INTO inbound_fts(inbound_fts, rowid, search_text)
           SELECT 'delete', old.id, old.search_text WHERE old.search_text IS NOT NULL;
         INSERT INTO inbound_fts(rowid, search_text)
           SELECT new.id, new.search_text WHERE new.search_text IS NOT NULL;
       END`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    // Index the messages of the last batch first: the old triggers expect every message indexed.
    await q.query(`UPDATE inbound_fts_state SET indexed_upto = (SELECT COALESCE(MAX(id), 0) FROM inbound)`);
    for (const trigger of ['inbound_fts_catch_up', 'inbound_fts_delete', 'inbound_fts_update'])
      await q.query(`DROP TRIGGER ${trigger}`);
    await q.query(`DROP TABLE inbound_fts_state`);
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
  }
}
