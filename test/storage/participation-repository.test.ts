import { describe, expect, it } from 'vitest';
import type { Repositories, UnitOfWork } from '../../src/ports/unit-of-work.js';
import { databaseKinds } from '../support/services.js';
import { freshUnitOfWorkPerTest } from './storage-targets.js';

const uowFor = freshUnitOfWorkPerTest();

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, s));
const DAY = 24 * 3600_000;

function subscribe(r: Repositories, key: string, districtId: string, topic: string | null = null, s = 0) {
  const [channel = '', userId = ''] = key.split(':');
  return r.participation.subscribe({
    conversationKey: key,
    address: { channel, userId },
    districtId,
    topic,
    consentedAt: at(s),
  });
}

async function broadcast(uow: UnitOfWork, districts: string[], topic: string | null = null, capped = true) {
  return uow.transaction((r) =>
    r.broadcasts.create(
      {
        kind: 'update',
        subjectId: '1',
        event: { name: 'participation.update', payload: { title: 'x' } },
        districts,
        topic,
        capped,
      },
      at(100),
    ),
  );
}

describe.each(databaseKinds)('participation and broadcast repositories on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'keeps subscriptions with their consent time; renews, lists and ends them',
    async () => {
      const uow = await uowFor(kind);
      await uow.run(async (r) => {
        await subscribe(r, 'telegram:1', 'muziekbuurt', null, 1);
        await subscribe(r, 'telegram:1', 'muziekbuurt', null, 5); // renewed: one row, the new time
        await subscribe(r, 'telegram:1', 'oud-rijswijk', 'afval', 2);
        await subscribe(r, 'web:2', 'muziekbuurt', null, 3);
      });
      const mine = await uow.run((r) => r.participation.subscriptionsOf('telegram:1'));
      expect(mine.map((s) => [s.districtId, s.topic, s.consentedAt.getTime()])).toEqual([
        ['muziekbuurt', null, at(5).getTime()],
        ['oud-rijswijk', 'afval', at(2).getTime()],
      ]);
      expect(mine[0]!.address).toEqual({ channel: 'telegram', userId: '1' });
      expect(await uow.run((r) => r.participation.unsubscribe('telegram:1', 'oud-rijswijk'))).toBe(1);
      expect(await uow.run((r) => r.participation.unsubscribe('telegram:1'))).toBe(1);
      expect(await uow.run((r) => r.participation.subscriptionsOf('telegram:1'))).toEqual([]);
      expect(await uow.run((r) => r.participation.subscriptionsOf('web:2'))).toHaveLength(1);
    },
  );

  it.skipIf(!available)(
    'fixes the recipients of a broadcast at once: each subscriber of its districts once, by topic',
    async () => {
      const uow = await uowFor(kind);
      await uow.run(async (r) => {
        await subscribe(r, 'telegram:1', 'muziekbuurt');
        await subscribe(r, 'telegram:1', 'oud-rijswijk'); // two districts, one message
        await subscribe(r, 'web:2', 'muziekbuurt', 'afval');
        await subscribe(r, 'web:3', 'muziekbuurt', 'verkeer-en-parkeren');
        await subscribe(r, 'whatsapp:4', 'havenkwartier');
      });
      const all = await broadcast(uow, ['muziekbuurt', 'oud-rijswijk']);
      expect(all.channels).toEqual({ telegram: 1, web: 2 });
      const afval = await broadcast(uow, ['muziekbuurt'], 'afval');
      expect(afval.channels).toEqual({ telegram: 1, web: 1 });
      const b = await uow.run((r) => r.broadcasts.get(afval.id));
      expect(b).toMatchObject({ kind: 'update', districts: ['muziekbuurt'], topic: 'afval', capped: true });
      expect(b!.event).toEqual({ name: 'participation.update', payload: { title: 'x' } });
      const web = await uow.run((r) => r.broadcasts.nextQueued(all.id, 'web', 10));
      expect(web.map((x) => x.conversationKey)).toEqual(['web:2', 'web:3']);
      expect(web[0]).toMatchObject({ channel: 'web', userId: '2' });
    },
  );

  it.skipIf(!available)(
    'marks progress, counts recent broadcasts per resident for the weekly limit, and finds stalled ones',
    async () => {
      const uow = await uowFor(kind);
      await uow.run(async (r) => {
        for (const n of [1, 2, 3]) await subscribe(r, `web:${n}`, 'muziekbuurt');
      });
      const first = await broadcast(uow, ['muziekbuurt']);
      const second = await broadcast(uow, ['muziekbuurt']);
      const free = await broadcast(uow, ['muziekbuurt'], null, false);
      const rows = await uow.run((r) => r.broadcasts.nextQueued(first.id, 'web', 2));
      expect(rows).toHaveLength(2);
      await uow.run((r) => r.broadcasts.mark([rows[0]!.id], 'sent', at(200)));
      await uow.run((r) => r.broadcasts.mark([rows[1]!.id], 'held', at(200)));
      const freeRows = await uow.run((r) => r.broadcasts.nextQueued(free.id, 'web', 10));
      await uow.run((r) =>
        r.broadcasts.mark(
          freeRows.map((x) => x.id),
          'sent',
          at(200),
        ),
      );
      expect(
        (await uow.run((r) => r.broadcasts.nextQueued(first.id, 'web', 10))).map((x) => x.conversationKey),
      ).toEqual(['web:3']);
      const keys = ['web:1', 'web:2', 'web:3'];
      const recent = await uow.run((r) => r.broadcasts.recentCounts(keys, at(150), second.id));
      // Sent and held count; an uncapped broadcast does not; nothing for web:3.
      expect(Object.fromEntries(recent)).toEqual({ 'web:1': 1, 'web:2': 1 });
      expect((await uow.run((r) => r.broadcasts.recentCounts(keys, at(250), second.id))).size).toBe(0);
      expect(await uow.run((r) => r.broadcasts.recentCounts(keys, at(150), first.id))).toEqual(new Map());
      const stalled = await uow.run((r) => r.broadcasts.stalled(at(150)));
      // The first one moved at 200; the second never did.
      expect(stalled).toEqual([{ id: second.id, channel: 'web' }]);
      const counts = await uow.run((r) => r.broadcasts.counts(first.id));
      expect(counts).toMatchObject({ recipients: 3, byStatus: { queued: 1, sent: 1, held: 1, capped: 0 } });
      expect(counts.byChannel).toEqual({ web: 3 });
    },
  );

  it.skipIf(!available)(
    "reads when people last wrote, and counts a broadcast's messages by what the channel reported",
    async () => {
      const uow = await uowFor(kind);
      await uow.run((r) => subscribe(r, 'whatsapp:1', 'muziekbuurt'));
      await uow.run((r) => subscribe(r, 'whatsapp:2', 'muziekbuurt'));
      const b = await broadcast(uow, ['muziekbuurt']);
      const other = await broadcast(uow, ['muziekbuurt']);
      for (const [n, user, state] of [
        [b.id, '1', 'read'],
        [b.id, '2', 'template'],
        [other.id, '1', 'delivered'],
      ] as const) {
        await uow.transaction(async (r) => {
          const address = { channel: 'whatsapp', userId: user };
          const id = await r.conversations.storeInbound({
            dedupeKey: `event:broadcast:${n}:whatsapp:${user}`,
            address,
            kind: 'event',
            text: '',
            event: { name: 'participation.update', payload: {} },
            now: at(300),
          });
          const [out] = await r.conversations.addToOutbox(
            [{ kind: 'message', to: address, text: 'nieuws', causeId: id! }],
            at(300),
            at(300),
          );
          await r.conversations.markDelivered([out!.id], at(301));
          await r.conversations.setDeliveryState(out!.id, state);
        });
      }
      const counts = await uow.run((r) => r.broadcasts.counts(b.id));
      expect(counts).toMatchObject({ accepted: 1, delivered: 1, read: 1, templates: 1 });
      await uow.transaction((r) =>
        r.conversations.storeInbound({
          dedupeKey: 'whatsapp:m1',
          address: { channel: 'whatsapp', userId: '1' },
          kind: 'message',
          text: 'hoi',
          now: at(400),
        }),
      );
      const wrote = await uow.run((r) => r.broadcasts.lastWrote(['whatsapp:1', 'whatsapp:2']));
      expect(Object.fromEntries(wrote)).toEqual({ 'whatsapp:1': at(400) });
    },
  );

  it.skipIf(!available)('exports, erases and purges a resident’s subscriptions and deliveries', async () => {
    const uow = await uowFor(kind);
    await uow.run((r) => subscribe(r, 'web:1', 'muziekbuurt', null, 0));
    await uow.run((r) => subscribe(r, 'web:2', 'muziekbuurt', null, 50));
    await broadcast(uow, ['muziekbuurt']);
    const subject = { address: { channel: 'web', userId: '1' }, key: 'web:1', needles: [], refs: [] };
    const rows = await uow.run(async (r) => ({
      ...(await r.participation.personalData(subject)),
      ...(await r.broadcasts.personalData(subject)),
    }));
    expect(rows.participation_subscriptions).toMatchObject([
      { district_id: 'muziekbuurt', conversation_key: 'web:1' },
    ]);
    expect(rows.broadcast_deliveries).toHaveLength(1);
    expect(await uow.run((r) => r.participation.erasePersonalData(subject))).toEqual({
      participation_subscriptions: 1,
    });
    expect(await uow.run((r) => r.broadcasts.erasePersonalData(subject))).toEqual({
      broadcast_deliveries: 1,
    });
    const batch = { before: at(10), limit: 10, dryRun: false };
    await uow.run((r) => subscribe(r, 'web:3', 'muziekbuurt', null, 0));
    expect(await uow.run((r) => r.participation.purge({ ...batch, dryRun: true }))).toBe(1);
    expect(await uow.run((r) => r.participation.purge(batch))).toBe(1);
    expect(await uow.run((r) => r.participation.subscriptionsOf('web:2'))).toHaveLength(1);
    expect(
      await uow.run((r) =>
        r.broadcasts.purge({ before: new Date(at(100).getTime() + DAY), limit: 10, dryRun: false }),
      ),
    ).toBe(1);
  });
});
