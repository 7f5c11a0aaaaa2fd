import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/services.js';
import { freshUnitOfWorkPerTest } from './storage-targets.js';

const uowFor = freshUnitOfWorkPerTest();

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, s));
const r1 = { channel: 'whatsapp', userId: '31612340001@c.us' };
const r2 = { channel: 'whatsapp', userId: '31612340002@c.us' };

describe.each(databaseKinds)('held message repository on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'holds messages per address in order, once per outbox item, until released',
    async () => {
      const uow = await uowFor(kind);
      const choices = [{ id: 'ja', label: 'Ja' }];
      await uow.run((r) => r.held.hold({ to: r1, outboxId: 7, text: 'eerste', now: at(0) }));
      await uow.run((r) => r.held.hold({ to: r1, outboxId: 7, text: 'eerste', now: at(1) }));
      await uow.run((r) => r.held.hold({ to: r2, outboxId: 8, text: 'ander', now: at(2) }));
      await uow.run((r) => r.held.hold({ to: r1, outboxId: null, text: 'tweede', choices, now: at(3) }));
      await uow.run((r) => r.held.hold({ to: r1, outboxId: null, text: 'derde', now: at(4) }));
      const held = await uow.run((r) => r.held.heldFor(r1, 10));
      expect(held.map((h) => [h.outboxId, h.text, h.choices])).toEqual([
        [7, 'eerste', undefined],
        [null, 'tweede', choices],
        [null, 'derde', undefined],
      ]);
      expect(held[0]!.heldAt).toEqual(at(0));
      await uow.run((r) => r.held.release(held[0]!.id));
      expect((await uow.run((r) => r.held.heldFor(r1, 10))).map((h) => h.text)).toEqual(['tweede', 'derde']);
      expect((await uow.run((r) => r.held.heldFor(r2, 10))).map((h) => h.text)).toEqual(['ander']);
    },
  );

  it.skipIf(!available)(
    "knows a person's last own message and the event behind an outbox message",
    async () => {
      const uow = await uowFor(kind);
      expect(await uow.run((r) => r.held.lastMessageAt(r1))).toBeNull();
      for (const [n, s] of [
        [1, 5],
        [2, 9],
      ])
        await uow.transaction((r) =>
          r.conversations.storeInbound({
            dedupeKey: `w:${n}`,
            address: r1,
            kind: 'message',
            text: 'hoi',
            now: at(s!),
          }),
        );
      const eventId = await uow.transaction((r) =>
        r.conversations.storeInbound({
          dedupeKey: 'event:reminder',
          address: r1,
          kind: 'event',
          text: '',
          event: { name: 'booking.reminder', payload: { booking: { reference: 'AFS-1' } } },
          now: at(30),
        }),
      );
      // An event is not the person writing: the window counts from their own last message.
      expect(await uow.run((r) => r.held.lastMessageAt(r1))).toEqual(at(9));
      const [fromEvent, fromMessage] = await uow.transaction((r) =>
        r.conversations.addToOutbox(
          [
            { kind: 'message', to: r1, text: 'Herinnering', causeId: eventId! },
            { kind: 'message', to: r1, text: 'Antwoord', causeId: 1 },
          ],
          at(31),
          at(90),
        ),
      );
      expect(await uow.run((r) => r.held.noticeOf(fromEvent!.id))).toEqual({
        name: 'booking.reminder',
        payload: { booking: { reference: 'AFS-1' } },
      });
      expect(await uow.run((r) => r.held.noticeOf(fromMessage!.id))).toBeNull();
      expect(await uow.run((r) => r.held.noticeOf(999_999))).toBeNull();
    },
  );
});
