import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget } from '../support/services.js';
import { query } from './scan.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe.each(databaseKinds)('inbound text on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'a NUL byte, C0 controls and a bidi override are stored clean, nothing crashes, and the conversation goes on',
    async () => {
      const fresh = await freshTarget(kind);
      const t = await startTestApp({ databaseUrl: fresh.url });
      cleanups.push(fresh.cleanup, () => t.driver.close());
      const dirty = 'hal\u0000lo\u0007 \u202ewereld\u2066\u001b';
      const replies = await t.driver.send('r-nul', dirty);
      expect(replies.length).toBeGreaterThan(0);
      await t.app.engine.receive({
        channel: 'console',
        userId: 'r-nul',
        messageId: randomUUID(),
        text: '\u0000',
      });
      await t.app.settle();
      const stored = await query<{ text: string; status: string }>(
        t.app.db,
        `SELECT text, status FROM inbound WHERE conversation_key = 'console:r-nul' ORDER BY id`,
      );
      expect(stored.map((r) => r.text)).toEqual(['hallo wereld', '']);
      expect(stored.map((r) => r.status)).toEqual(['done', 'done']);
      // The conversation goes on.
      expect((await t.driver.send('r-nul', 'menu')).length).toBeGreaterThan(0);
    },
  );
});
