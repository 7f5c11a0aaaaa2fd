import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app-driver.js';
import { sqliteUrl } from '../support/services.js';

describe('bad input gets a kind answer and loses nothing', () => {
  it('an attachment without text: only text is handled for now; the message is still stored', async () => {
    const { app, sent, driver } = await startTestApp({ databaseUrl: sqliteUrl() });
    try {
      await driver.send('r1', 'hallo');
      const from = sent.length;
      await app.engine.receive({
        channel: 'console',
        userId: 'r1',
        messageId: 'photo-1',
        text: '',
        hasMedia: true,
      });
      await app.settle();
      expect(
        sent
          .slice(from)
          .map((m) => m.text)
          .join('\n'),
      ).toMatch(/alleen tekst lezen/);
      // The menu's choices come again, so the resident can go on.
      expect(sent.at(-1)?.choices?.length).toBeGreaterThanOrEqual(3);
      const stored = await app.db.run((m) =>
        m.query<{ has_media: number; status: string }[]>(
          `SELECT has_media, status FROM inbound WHERE dedupe_key = 'console:photo-1'`,
        ),
      );
      expect(stored).toEqual([{ has_media: 1, status: 'done' }]);
    } finally {
      await driver.close();
    }
  });

  it('a 5,000-character message is kept whole and the resident is asked to shorten it', async () => {
    const { app, driver } = await startTestApp({ databaseUrl: sqliteUrl() });
    try {
      await driver.send('r1', 'hallo');
      const long = `${'a'.repeat(4990)} <b>&'";--`;
      const replies = await driver.send('r1', long);
      expect(replies[0]?.text).toMatch(/te lang \(5000 tekens\)/);
      const stored = await app.db.run((m) =>
        m.query<{ text: string }[]>(`SELECT text FROM inbound ORDER BY id DESC LIMIT 1`),
      );
      expect(stored[0]?.text).toBe(long);
    } finally {
      await driver.close();
    }
  });

  it('a flow that throws is tried three times, then the resident gets an apology and the next message works', async () => {
    const { app, sent, driver } = await startTestApp({ databaseUrl: sqliteUrl() });
    try {
      await driver.send('r1', 'hallo');
      // Breaks the services for one message: every try of that turn fails.
      const services = (app.engine as unknown as { o: { services: Record<string, unknown> } }).o.services;
      const original = services['cases.mine'];
      services['cases.mine'] = () => Promise.reject(new Error('database on fire'));
      const from = sent.length;
      await driver.send('r1', 'mijn vragen');
      expect(sent.slice(from).map((m) => m.text)).toEqual([
        expect.stringMatching(/er ging bij ons iets mis.*bewaard.*14 070/),
      ]);
      const failed = await app.db.run((m) =>
        m.query<{ status: string; attempts: number }[]>(
          `SELECT status, attempts FROM inbound ORDER BY id DESC LIMIT 1`,
        ),
      );
      expect(failed).toEqual([{ status: 'failed', attempts: 3 }]);
      services['cases.mine'] = original;
      expect((await driver.send('r1', 'mijn vragen')).map((m) => m.text).join('\n')).toMatch(
        /geen vragen gesteld/,
      );
    } finally {
      await driver.close();
    }
  });
});
