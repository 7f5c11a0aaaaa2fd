import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { echoEngine } from '../support/echo-engine.js';
import { databaseKinds } from '../support/services.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';

const databases = freshDatabasePerTest();
const open = (kind: 'sqlite' | 'postgres') => databases.open(kind);

/** The first message of a conversation gets the welcome; the counting starts after it. */
async function warmUp(engine: { receive: (m: never) => Promise<void> }, userId: string, channel = 'console') {
  await engine.receive({ channel, userId, messageId: `warm-${userId}`, text: 'hallo' } as never);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const texts = (items: { kind: string; text?: string }[]) =>
  items.flatMap((i) => (i.kind === 'message' && i.text ? [i.text] : []));

describe.each(databaseKinds)('engine ordering on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'handles 100 messages fired at once at one conversation exactly once, in order',
    async () => {
      const { db } = await open(kind);
      const { engine, out } = echoEngine(db);
      await warmUp(engine, 'r1');
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          engine.receive({ channel: 'console', userId: 'r1', messageId: `m${i}`, text: `t${i}` }),
        ),
      );
      const replies = texts(out);
      expect(replies).toHaveLength(100);
      // The counter in the state went 1..100: no two turns ever read the same state.
      expect(replies.map((r) => Number(r.split(':')[0]))).toEqual(
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      // And the turns ran in the order the messages were stored.
      const stored = await db.run((m) =>
        m.query<{ text: string }[]>(
          `SELECT text FROM inbound WHERE conversation_key = 'console:r1' AND text <> 'hallo' ORDER BY id`,
        ),
      );
      expect(replies.map((r) => r.split(':')[1])).toEqual(stored.map((s) => s.text));
    },
  );

  it.skipIf(!available)(
    'two processes on one database never run one conversation in parallel (regression: lost update)',
    async () => {
      const { db, target } = await open(kind);
      const a = echoEngine(db);
      await warmUp(a.engine, 'r2');
      // Real processes: in one process a second SQLite connection would block the event loop while it waits.
      const run = (ids: number[]) =>
        new Promise<number | null>((resolve) => {
          const args = [
            'bin/run-ts.mjs',
            'test/engine/fixtures/echo-worker.ts',
            JSON.stringify(target),
            'r2',
            ids.join(','),
          ];
          spawn(process.execPath, args, { stdio: 'inherit' }).once('exit', resolve);
        });
      const exits = await Promise.all([
        run(range(0, 60).filter((i) => i % 2 === 0)),
        run(range(0, 60).filter((i) => i % 2 === 1)),
      ]);
      expect(exits).toEqual([0, 0]);
      const bodies = await db.run((m) =>
        m.query<{ body: string }[]>(
          `SELECT body FROM outbox WHERE user_id = 'r2' AND kind = 'message' ORDER BY id`,
        ),
      );
      const counts = bodies.map((b) => Number((JSON.parse(b.body) as { text: string }).text.split(':')[0]));
      expect(counts).toEqual(range(1, 61));
    },
  );

  it.skipIf(!available)('stores the same channel message once, however often it is delivered', async () => {
    const { db } = await open(kind);
    const { engine, out } = echoEngine(db);
    await warmUp(engine, '42', 'telegram');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        engine.receive({ channel: 'telegram', userId: '42', messageId: 'same', text: 'hoi' }),
      ),
    );
    expect(texts(out)).toEqual(['1:hoi']);
  });

  it.skipIf(!available)('different conversations proceed independently', async () => {
    const { db } = await open(kind);
    const { engine, out } = echoEngine(db);
    for (let p = 0; p < 4; p++) await warmUp(engine, `p${p}`);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        engine.receive({ channel: 'console', userId: `p${i % 4}`, messageId: `c${i}`, text: `t${i}` }),
      ),
    );
    const perPerson = new Map<string, number[]>();
    for (const item of out) {
      if (item.kind !== 'message') continue;
      const list = perPerson.get(item.to.userId) ?? [];
      list.push(Number(item.text.split(':')[0]));
      perPerson.set(item.to.userId, list);
    }
    expect([...perPerson.values()].map((l) => l.join(','))).toEqual(Array(4).fill('1,2,3,4,5,6,7,8,9,10'));
  });
});
