import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spreekuur, startJsonlChat } from '../support/processes.js';
import { sqliteUrl } from '../support/services.js';

/**
 * `spreekuur dead-letters list|retry|drop` as an operator runs them, beside `chat --jsonl`, on one
 * SQLite file. The fault is the database's own: a trigger refuses to store one message, as a
 * constraint or a full disk would; the operator removes the cause, then retries.
 */
describe('spreekuur dead-letters', { timeout: 600_000 }, () => {
  it('lists a message that could not be stored, retries it once the cause is gone, and drops only an open one', async () => {
    const url = sqliteUrl();
    const env = { DATABASE_URL: url, RATE_LIMIT_PER_MINUTE: '1000' };
    expect(spreekuur(['migrate'], env).status).toBe(0);
    const file = url.slice('sqlite:'.length);
    const refuse = (on: boolean) => {
      const db = new Sqlite(file);
      db.exec(
        on
          ? `CREATE TRIGGER refuse_kapot BEFORE INSERT ON inbound WHEN NEW.text LIKE '%kapot%'
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`
          : 'DROP TRIGGER refuse_kapot',
      );
      db.close();
    };
    refuse(true);

    const chat = startJsonlChat(env);
    try {
      const apology = await chat.send('anna', 'de lift is kapot');
      expect(apology.map((l) => l.text)).toEqual([expect.stringMatching(/iets mis.*14 ?070/)]);
      // The next message is answered: the one that failed holds nothing up.
      expect((await chat.send('anna', 'hallo')).map((l) => l.text).join('\n')).toMatch(/Welkom/);
    } finally {
      await chat.close();
    }

    const list = spreekuur(['dead-letters', 'list'], env);
    expect(list.status).toBe(0);
    const [header, row, ...rest] = list.stdout.trimEnd().split('\n');
    expect(header).toBe('id\tcreated\tstatus\tstage\tchannel\ttries\terror');
    expect(row?.split('\t')).toEqual([
      '1',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'open',
      'store',
      'console',
      '3 tries',
      expect.stringMatching(/refused by the test/),
    ]);
    expect(rest).toEqual([]);
    const json = JSON.parse(spreekuur(['dead-letters', 'list', '--json'], env).stdout) as {
      id: number;
      payload: { text: string };
    }[];
    expect(json.map((l) => [l.id, l.payload.text])).toEqual([[1, 'de lift is kapot']]);

    // The cause is gone: the retry hands the message in again, it is stored and the letter closed.
    refuse(false);
    const retried = spreekuur(['dead-letters', 'retry', '1'], env);
    expect(retried).toMatchObject({ status: 0, stdout: 'Dead letter 1 handed in again.\n' });
    expect(spreekuur(['dead-letters', 'list'], env).stdout).toBe('No dead letters.\n');
    const db = new Sqlite(file, { readonly: true });
    const stored = db.prepare(`SELECT text FROM inbound WHERE text LIKE '%kapot%'`).all();
    db.close();
    expect(stored).toEqual([{ text: 'de lift is kapot' }]);

    // One the operator gives up on: dropped, it stays in the table as dropped; a retried one cannot be.
    refuse(true);
    const again = startJsonlChat(env);
    try {
      await again.send('bram', 'nog steeds kapot');
    } finally {
      await again.close();
    }
    expect(spreekuur(['dead-letters', 'drop', '2'], env)).toMatchObject({
      status: 0,
      stdout: 'Dead letter 2 dropped.\n',
    });
    const all = spreekuur(['dead-letters', 'list', '--all'], env).stdout.trimEnd().split('\n');
    expect(all.slice(1).map((line) => line.split('\t').slice(0, 3))).toEqual([
      ['2', expect.any(String), 'dropped'],
      ['1', expect.any(String), 'retried'],
    ]);
    const dropped = spreekuur(['dead-letters', 'drop', '1'], env);
    expect(dropped).toMatchObject({
      status: 1,
      stderr: 'Dead letter 1 does not exist or is no longer open.\n',
    });
    expect(spreekuur(['dead-letters', 'drop', 'x'], env).status).toBe(2);
  });
});
