import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src/ports/conversation-repository.js';
import type { Author } from '../../src/ports/messages.js';
import type { Repositories } from '../../src/ports/unit-of-work.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import { sql } from '../../src/storage/sql.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';
import { databaseKinds } from '../support/services.js';
import { freshUnitOfWorkPerTest } from './storage-targets.js';

const uowFor = freshUnitOfWorkPerTest();
const databases = freshDatabasePerTest();

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, s));
const r1 = { channel: 'telegram', userId: '1001' };

/** Stores r1's message `t<n>` at second n (dedupe key `k<n>`); its id, or null for a repeat. */
const storeMessage = (r: Repositories, n: number) =>
  r.conversations.storeInbound({
    dedupeKey: `k${n}`,
    address: r1,
    kind: 'message',
    text: `t${n}`,
    now: at(n),
  });
const all = { channels: ['telegram'], jobs: true };

describe.each(databaseKinds)('conversation repository on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'stores an inbound message once per dedupe key and keeps the conversation',
    async () => {
      const uow = await uowFor(kind);
      const first = await uow.transaction((r) =>
        r.conversations.storeInbound({
          dedupeKey: 'tg:1',
          address: r1,
          kind: 'message',
          text: 'hoi',
          now: at(0),
        }),
      );
      const again = await uow.transaction((r) =>
        r.conversations.storeInbound({
          dedupeKey: 'tg:1',
          address: r1,
          kind: 'message',
          text: 'hoi',
          now: at(1),
        }),
      );
      expect(first).toBeTypeOf('number');
      expect(again).toBeNull();
      expect(await uow.run((r) => r.conversations.hasConversation(r1))).toBe(true);
      expect(
        await uow.run((r) => r.conversations.hasConversation({ channel: 'telegram', userId: 'never' })),
      ).toBe(false);
    },
  );

  it.skipIf(!available)(
    'gives a conversation its starting state only when the store creates it, by either store',
    async () => {
      const uow = await uowFor(kind);
      const english = { v: 1, lang: 'en' };
      const r2 = { channel: 'web', userId: 'w2' };
      const item = (dedupeKey: string, address: typeof r1, initialState?: unknown) => ({
        dedupeKey,
        address,
        kind: 'message' as const,
        text: 'hello',
        ...(initialState === undefined ? {} : { initialState }),
        now: at(0),
      });
      await uow.run((r) => r.conversations.storeInbound(item('a1', r1, english)));
      // The conversation exists: a later starting state leaves it as it is.
      await uow.run((r) => r.conversations.storeInbound(item('a2', r1, { v: 1, lang: 'nl' })));
      expect(await uow.run((r) => r.conversations.languageOf('telegram:1001'))).toBe('en');
      // storeAndReadTurn (one statement on PostgreSQL) creates it with the state and reads it back.
      const { turn } = await uow.run((r) => r.conversations.storeAndReadTurn(item('b1', r2, english)));
      const read = turn ?? (await uow.run((r) => r.conversations.readTurn('web:w2')));
      expect(read?.conversation.state).toEqual(english);
      // Without one, a new conversation has no state yet (the engine starts it in the default language).
      const r3 = { channel: 'web', userId: 'w3' };
      await uow.run((r) => r.conversations.storeAndReadTurn(item('c1', r3)));
      expect(await uow.run((r) => r.conversations.languageOf('web:w3'))).toBeNull();
    },
  );

  it.skipIf(!available)(
    'hands out pending items oldest first, says whether more wait, and saves state',
    async () => {
      const uow = await uowFor(kind);
      for (const n of [1, 2]) {
        await uow.transaction((r) => storeMessage(r, n));
      }
      const key = 'telegram:1001';
      const next = await uow.transaction(async (r) => {
        const conversation = await r.conversations.lockConversation(key);
        const pending = await r.conversations.nextPending(key);
        await r.conversations.saveState(key, { v: 2, hello: 'world' }, at(5), { needsHuman: true });
        if (pending) await r.conversations.markHandled(pending.item.id, at(5));
        return { conversation, pending };
      });
      expect(next.conversation?.state).toBeNull();
      expect(next.pending?.item.text).toBe('t1');
      expect(next.pending?.more).toBe(true);
      const after = await uow.transaction(async (r) => ({
        conversation: await r.conversations.lockConversation(key),
        pending: await r.conversations.nextPending(key),
      }));
      expect(after.conversation).toMatchObject({ state: { v: 2, hello: 'world' }, needsHuman: true });
      expect(after.pending).toMatchObject({ item: { text: 't2' }, more: false });
      expect(await uow.run((r) => r.conversations.conversationsWithPending(10))).toEqual([key]);
      // Up to a moment: only items stored by then count (t1, stored at 1, is handled; t2 came at 2).
      expect(await uow.run((r) => r.conversations.conversationsWithPending(10, at(1)))).toEqual([]);
      expect(await uow.run((r) => r.conversations.conversationsWithPending(10, at(2)))).toEqual([key]);
    },
  );

  it.skipIf(!available)(
    'keeps outbox items claimed until their claim runs out, then hands them to a sweep once',
    async () => {
      const uow = await uowFor(kind);
      const items: OutboxItem[] = [
        { kind: 'message', to: r1, text: 'een', choices: [{ id: 'a', label: 'A' }] },
        { kind: 'job', name: 'conversation.event', data: { x: 1 }, jobId: 'j1', runAt: at(30) },
        { kind: 'cancel-job', jobId: 'j0' },
      ];
      const stored = await uow.transaction((r) => r.conversations.addToOutbox(items, at(0), at(60)));
      expect(stored.map((s) => s.kind)).toEqual(['message', 'job', 'cancel-job']);
      expect(await uow.run((r) => r.conversations.claimDueOutbox(at(59), at(120), all, 10))).toEqual([]);
      const due = await uow.run((r) => r.conversations.claimDueOutbox(at(61), at(120), all, 10));
      expect(due).toMatchObject([
        { kind: 'message', text: 'een', to: r1, choices: [{ id: 'a', label: 'A' }] },
        { kind: 'job', jobId: 'j1', runAt: at(30) },
        { kind: 'cancel-job', jobId: 'j0' },
      ]);
      expect(await uow.run((r) => r.conversations.claimDueOutbox(at(62), at(120), all, 10))).toEqual([]);
      await uow.run((r) =>
        r.conversations.markDelivered(
          due.map((d) => d.id),
          at(63),
        ),
      );
      expect(await uow.run((r) => r.conversations.countUndelivered())).toBe(0);
    },
  );

  it.skipIf(!available)(
    'lists the undelivered messages to one person, oldest first (sent, set aside, jobs and others left out)',
    async () => {
      const uow = await uowFor(kind);
      const r2 = { channel: 'telegram', userId: '1002' };
      const stored = await uow.transaction((r) =>
        r.conversations.addToOutbox(
          [
            { kind: 'message', to: r1, text: 'sent' },
            { kind: 'message', to: r1, text: 'set aside' },
            { kind: 'message', to: r2, text: 'someone else' },
            { kind: 'job', name: 'conversation.event', data: {}, jobId: 'j' },
            { kind: 'message', to: r1, text: 'waits' },
            { kind: 'message', to: r1, text: 'waits too' },
          ],
          at(0),
          at(60),
        ),
      );
      const id = (text: string) => stored.find((s) => s.kind === 'message' && s.text === text)!.id;
      await uow.run((r) => r.conversations.markDelivered([id('sent')], at(1)));
      await uow.run((r) => r.conversations.markUndeliverable(id('set aside'), 'blocked'));
      expect(await uow.run((r) => r.conversations.undeliveredTo(r1))).toEqual([id('waits'), id('waits too')]);
      expect(await uow.run((r) => r.conversations.undeliveredTo(r2))).toEqual([id('someone else')]);
    },
  );

  it.skipIf(!available)(
    'never reopens a handled item when a failed try is counted (regression: a turn whose commit acknowledgement was lost ran twice)',
    async () => {
      const uow = await uowFor(kind);
      const id = (await uow.transaction((r) =>
        r.conversations.storeInbound({
          dedupeKey: 'tg:9',
          address: r1,
          kind: 'message',
          text: 'x',
          now: at(0),
        }),
      ))!;
      await uow.transaction((r) => r.conversations.markHandled(id, at(1)));
      expect(await uow.transaction((r) => r.conversations.markAttemptFailed(id, 'lost ack', false))).toBe(
        false,
      );
      expect(await uow.run((r) => r.conversations.conversationsWithPending(10))).toEqual([]);
      const other = (await uow.transaction((r) =>
        r.conversations.storeInbound({
          dedupeKey: 'tg:10',
          address: r1,
          kind: 'message',
          text: 'y',
          now: at(2),
        }),
      ))!;
      expect(await uow.transaction((r) => r.conversations.markAttemptFailed(other, 'boom', false))).toBe(
        true,
      );
      expect((await uow.run((r) => r.conversations.nextPending('telegram:1001')))?.item).toMatchObject({
        id: other,
        attempts: 1,
      });
    },
  );

  it.skipIf(!available)(
    'marks 40,000 items delivered at once (regression: too many SQL variables)',
    async () => {
      const uow = await uowFor(kind);
      const many: OutboxItem[] = Array.from({ length: 40_000 }, (_, i) => ({
        kind: 'message',
        to: r1,
        text: `m${i}`,
      }));
      const stored = await uow.transaction((r) => r.conversations.addToOutbox(many, at(0), at(60)));
      expect(new Set(stored.map((s) => s.id)).size).toBe(40_000);
      await uow.run((r) =>
        r.conversations.markDelivered(
          stored.map((s) => s.id),
          at(1),
        ),
      );
      expect(await uow.run((r) => r.conversations.countUndelivered())).toBe(0);
    },
  );

  it.skipIf(!available)(
    'gives one address its transcript in causal order: each message, then what it caused; events and other people left out',
    async () => {
      const uow = await uowFor(kind);
      const web = { channel: 'web', userId: 'abc' };
      const other = { channel: 'web', userId: 'xyz' };
      const store = (
        address: typeof web,
        id: string,
        text: string,
        kindOf: 'message' | 'event' = 'message',
      ) =>
        uow.transaction((r) =>
          r.conversations.storeInbound({ dedupeKey: `web:${id}`, address, kind: kindOf, text, now: at(0) }),
        );
      const reply = (
        causeId: number | null,
        to: typeof web,
        text: string,
        choices?: { id: string; label: string }[],
      ) =>
        uow.transaction((r) =>
          r.conversations.addToOutbox(
            [{ kind: 'message', to, text, ...(choices ? { choices } : {}), ...(causeId ? { causeId } : {}) }],
            at(0),
            at(60),
          ),
        );
      // Same timestamps everywhere (a frozen clock): the order comes from the ids alone.
      const first = (await store(web, 'abc.1', 'hallo'))!;
      const second = (await store(web, 'abc.2', 'menu'))!;
      const otherMessage = (await store(other, 'xyz.1', 'hoi'))!;
      await reply(second, web, 'Het menu', [{ id: 'a', label: 'Afspraak' }]);
      await reply(first, web, 'Welkom');
      await reply(otherMessage, other, 'niet voor abc');
      await reply(otherMessage, web, 'Antwoord van de wethouder');
      await store(web, 'event-1', '', 'event');
      // Regression: the apology for a message that could not be stored has no cause, and it sorted
      // above the first message of the web chat's history.
      await reply(null, web, 'Sorry, er ging iets mis');
      const transcript = await uow.run((r) => r.conversations.transcript(web, 50));
      expect(transcript.map((e) => [e.side, e.text])).toEqual([
        ['in', 'hallo'],
        ['out', 'Welkom'],
        ['in', 'menu'],
        ['out', 'Het menu'],
        ['out', 'Antwoord van de wethouder'],
        ['out', 'Sorry, er ging iets mis'],
      ]);
      expect(transcript[0]).toMatchObject({ messageId: 'abc.1' });
      expect(transcript[3]?.choices).toEqual([{ id: 'a', label: 'Afspraak' }]);
      const latest = await uow.run((r) => r.conversations.transcript(web, 2));
      expect(latest.map((e) => e.text)).toEqual(['Antwoord van de wethouder', 'Sorry, er ging iets mis']);
    },
  );

  it.skipIf(!available)(
    'keeps who wrote each outgoing message: the chatbot, an operator, an alderman; none for one stored before authors were kept',
    async () => {
      // Regression: the outbox kept only text and choices, so the takeover page and the chat log
      // could not tell the chatbot's messages from an operator's and labelled all of them alike.
      const { db } = await databases.open(kind);
      const uow = createUnitOfWork(db);
      const web = { channel: 'web', userId: 'abc' };
      const cause = (await uow.transaction((r) =>
        r.conversations.storeInbound({
          dedupeKey: 'web:1',
          address: web,
          kind: 'message',
          text: 'hoi',
          now: at(0),
        }),
      ))!;
      const said = (text: string, author?: Author) =>
        uow.transaction((r) =>
          r.conversations.addToOutbox(
            [{ kind: 'message', to: web, text, causeId: cause, ...(author ? { author } : {}) }],
            at(1),
            at(60),
          ),
        );
      await said('Welkom');
      await said('Ik kijk het na.', { role: 'operator', id: 'op-7' });
      await said('Goedemiddag!', { role: 'alderman', id: 'anna-de-vries' });
      await said('Een oud antwoord');
      const [old] = await said('Nog een oud bericht');
      // As a row written before this change: text and choices only.
      await db.run((m) =>
        sql(m, kind, `UPDATE outbox SET body = ? WHERE id = ?`, [
          JSON.stringify({ text: 'Nog een oud bericht' }),
          old!.id,
        ]),
      );
      const expected = [
        ['Welkom', { role: 'bot' }],
        ['Ik kijk het na.', { role: 'operator', id: 'op-7' }],
        ['Goedemiddag!', { role: 'alderman', id: 'anna-de-vries' }],
        ['Een oud antwoord', { role: 'bot' }],
        ['Nog een oud bericht', undefined],
      ];
      const transcript = await uow.run((r) => r.conversations.transcript(web, 50));
      expect(transcript.filter((e) => e.side === 'out').map((e) => [e.text, e.author])).toEqual(expected);
      const record = await uow.run((r) => r.conversationSearch.record('web:abc', 50));
      expect(record?.lines.filter((l) => l.side === 'out').map((l) => [l.text, l.author])).toEqual(expected);
    },
  );

  it.skipIf(!available)(
    'reads a turn in one go and saves it only once: a second write at the same version writes nothing',
    async () => {
      const uow = await uowFor(kind);
      const store = (n: number) => uow.run((r) => storeMessage(r, n));
      const first = (await store(1))!;
      await store(2);
      await uow.run((r) => r.staff.linkIdentity(r1, 'wethouder-1', at(0)));
      const key = 'telegram:1001';
      const turn = (await uow.run((r) => r.conversations.readTurn(key)))!;
      expect(turn).toMatchObject({ item: { id: first, text: 't1' }, more: true, aldermanId: 'wethouder-1' });
      expect(turn.conversation).toMatchObject({ key, channel: 'telegram', userId: '1001', state: null });
      const end = {
        key,
        version: turn.version,
        state: { v: 2 },
        flags: { needsHuman: true },
        inboundId: first,
        now: at(5),
        items: [{ kind: 'message' as const, to: r1, text: 'antwoord', causeId: first }],
        claimUntil: at(65),
        direct: new Map([[key, turn.undelivered]]),
      };
      // Two processes read the same turn: only the first write counts, the other writes nothing.
      const saved = await uow.run((r) => r.conversations.finishTurn(end));
      expect(saved).toMatchObject([{ kind: 'message', text: 'antwoord', causeId: first }]);
      expect(await uow.run((r) => r.conversations.finishTurn({ ...end, state: { v: 3 } }))).toBeNull();
      const next = (await uow.run((r) => r.conversations.readTurn(key)))!;
      expect(next).toMatchObject({ item: { text: 't2' }, more: false, undelivered: [saved![0]!.id] });
      expect(next.conversation).toMatchObject({ state: { v: 2 }, needsHuman: true });
      expect(next.version).toBe(turn.version + 1);
      expect(await uow.run((r) => r.conversations.countUndelivered())).toBe(1);
      // A failed try counted meanwhile moves the conversation on too: a turn read before it is not saved.
      await uow.run((r) => r.conversations.markAttemptFailed(next.item.id, 'boom', false));
      expect(
        await uow.run((r) =>
          r.conversations.finishTurn({ ...end, version: next.version, inboundId: next.item.id }),
        ),
      ).toBeNull();
      const again = (await uow.run((r) => r.conversations.readTurn(key)))!;
      expect(again.item).toMatchObject({ text: 't2', attempts: 1 });
      expect(
        await uow.run((r) =>
          r.conversations.finishTurn({ ...end, version: again.version, inboundId: again.item.id, items: [] }),
        ),
      ).toEqual([]);
      expect(await uow.run((r) => r.conversations.readTurn(key))).toBeNull();
    },
  );

  it.skipIf(!available)(
    'a turn that took in the events behind its item is saved only while each of them is still pending, and handles them all',
    async () => {
      const uow = await uowFor(kind);
      const key = 'telegram:1001';
      const ids: number[] = [];
      for (const n of [1, 2, 3, 4])
        ids.push(
          (await uow.run((r) =>
            r.conversations.storeInbound({
              dedupeKey: `event:${n}`,
              address: r1,
              kind: 'event',
              text: '',
              event: { name: 'note', payload: { n } },
              now: at(n),
            }),
          ))!,
        );
      const [first, second, third, fourth] = ids as [number, number, number, number];
      const turn = (await uow.run((r) => r.conversations.readTurn(key)))!;
      expect(await uow.run((r) => r.conversations.pendingAfter(key, first, 2))).toMatchObject({
        items: [
          { id: second, kind: 'event', event: { name: 'note', payload: { n: 2 } } },
          { id: third, kind: 'event' },
        ],
        more: true,
      });
      expect(await uow.run((r) => r.conversations.pendingAfter(key, second, 2))).toMatchObject({
        items: [{ id: third }, { id: fourth }],
        more: false,
      });
      const end = {
        key,
        version: turn.version,
        state: { v: 2 },
        flags: {},
        inboundId: first,
        alsoHandled: [second, third],
        now: at(5),
        items: [
          { kind: 'message' as const, to: r1, text: 'een', causeId: first },
          { kind: 'message' as const, to: r1, text: 'drie', causeId: third },
        ],
        claimUntil: at(65),
        direct: new Map([[key, turn.undelivered]]),
      };
      // One of the later items was handled meanwhile (a failed try set it aside): nothing is written.
      await uow.run((r) => r.conversations.markAttemptFailed(third, 'boom', true));
      const moved = (await uow.run((r) => r.conversations.readTurn(key)))!;
      expect(await uow.run((r) => r.conversations.finishTurn({ ...end, version: moved.version }))).toBeNull();
      expect(await uow.run((r) => r.conversations.readTurn(key))).toMatchObject({
        item: { id: first },
        version: moved.version,
      });
      expect(await uow.run((r) => r.conversations.countUndelivered())).toBe(0);
      // Back in the queue: the turn saves once, handles all three, and its replies keep their causes.
      await uow.run((r) => r.conversations.requeueInbound(third));
      const again = (await uow.run((r) => r.conversations.readTurn(key)))!;
      const saved = await uow.run((r) => r.conversations.finishTurn({ ...end, version: again.version }));
      expect(saved).toMatchObject([
        { text: 'een', causeId: first },
        { text: 'drie', causeId: third },
      ]);
      const next = (await uow.run((r) => r.conversations.readTurn(key)))!;
      expect(next).toMatchObject({ item: { id: fourth }, more: false, version: again.version + 1 });
      expect(next.conversation.state).toEqual({ v: 2 });
    },
  );

  it.skipIf(!available)(
    'stores a message and reads the same turn as readTurn: a new conversation, an older pending item first, a repeat reads none',
    async () => {
      const uow = await uowFor(kind);
      const key = 'telegram:1001';
      const message = (n: number) => ({
        dedupeKey: `k${n}`,
        address: r1,
        kind: 'message' as const,
        text: `t${n}`,
        now: at(n),
      });
      // The first message creates the conversation in the same statement that reads its turn.
      const first = await uow.run((r) => r.conversations.storeAndReadTurn(message(1)));
      expect(first.id).toBeTypeOf('number');
      expect(first.turn).toEqual(await uow.run((r) => r.conversations.readTurn(key)));
      expect(first.turn).toMatchObject({ version: 0, more: false, item: { id: first.id, text: 't1' } });
      expect(first.turn?.conversation).toMatchObject({
        key,
        channel: 'telegram',
        userId: '1001',
        state: null,
      });
      // Behind a pending item the turn is that older item's, and more waits (the new message).
      await uow.run((r) => r.staff.linkIdentity(r1, 'wethouder-1', at(0)));
      await uow.run((r) =>
        r.conversations.addToOutbox([{ kind: 'message', to: r1, text: 'eerder' }], at(1), at(61)),
      );
      const second = await uow.run((r) =>
        r.conversations.storeAndReadTurn({ ...message(2), firstName: 'An' }),
      );
      expect(second.turn).toEqual(await uow.run((r) => r.conversations.readTurn(key)));
      expect(second.turn).toMatchObject({ item: { id: first.id }, more: true, aldermanId: 'wethouder-1' });
      expect(second.turn?.undelivered).toHaveLength(1);
      expect(await uow.run((r) => r.conversations.storeAndReadTurn(message(2)))).toEqual({
        id: null,
        turn: null,
      });
      // Once the older item is handled, a new message's own turn is its own; the saved state comes with it.
      await uow.run((r) =>
        r.conversations.finishTurn({
          key,
          version: 0,
          state: { v: 1 },
          flags: {},
          inboundId: first.id!,
          now: at(3),
          items: [],
          claimUntil: at(63),
          direct: new Map(),
        }),
      );
      const read = await uow.run((r) => r.conversations.readTurn(key));
      expect(read).toMatchObject({ item: { id: second.id, firstName: 'An' }, more: false, version: 1 });
      await uow.run((r) =>
        r.conversations.finishTurn({
          key,
          version: 1,
          state: { v: 2 },
          flags: {},
          inboundId: second.id!,
          now: at(4),
          items: [],
          claimUntil: at(64),
          direct: new Map(),
        }),
      );
      const third = await uow.run((r) => r.conversations.storeAndReadTurn(message(5)));
      expect(third.turn).toEqual(await uow.run((r) => r.conversations.readTurn(key)));
      expect(third.turn).toMatchObject({ item: { id: third.id, text: 't5' }, more: false, version: 2 });
      expect(third.turn?.conversation.state).toEqual({ v: 2 });
    },
  );

  it.skipIf(!available)(
    'leaves a reply to the sweep when another undelivered message to the person turned up after the decision',
    async () => {
      const uow = await uowFor(kind);
      const key = 'telegram:1001';
      const id = (await uow.run((r) =>
        r.conversations.storeInbound({
          dedupeKey: 'k1',
          address: r1,
          kind: 'message',
          text: 'hoi',
          now: at(0),
        }),
      ))!;
      const turn = (await uow.run((r) => r.conversations.readTurn(key)))!;
      expect(turn.undelivered).toEqual([]);
      // Written by another process after this one read the turn (a staff answer, say), not yet sent.
      await uow.run((r) =>
        r.conversations.addToOutbox([{ kind: 'message', to: r1, text: 'eerder' }], at(1), at(61)),
      );
      const saved = await uow.run((r) =>
        r.conversations.finishTurn({
          key,
          version: turn.version,
          state: {},
          flags: {},
          inboundId: id,
          now: at(2),
          items: [
            { kind: 'message', to: r1, text: 'later' },
            { kind: 'job', name: 'conversation.event', data: {}, jobId: 'j1' },
          ],
          claimUntil: at(62),
          direct: new Map([[key, turn.undelivered]]),
        }),
      );
      // The job is this process's to queue; the reply waits for the sweep, behind 'eerder'.
      expect(saved).toMatchObject([{ kind: 'job', jobId: 'j1' }]);
      const due = await uow.run((r) => r.conversations.claimDueOutbox(at(3), at(63), all, 10));
      expect(due).toEqual([]);
      const later = await uow.run((r) => r.conversations.claimDueOutbox(at(70), at(130), all, 10));
      expect(later.map((d) => (d.kind === 'message' ? d.text : d.kind))).toEqual(['eerder', 'later', 'job']);
    },
  );

  it.skipIf(!available)(
    'sends a reply directly behind the undelivered messages it knows of, and to the sweep behind one it does not',
    async () => {
      const uow = await uowFor(kind);
      const key = 'telegram:1001';
      const store = (n: number) => uow.run((r) => storeMessage(r, n));
      // Three earlier replies on their way (this process holds them), one already delivered.
      const earlier = await uow.run((r) =>
        r.conversations.addToOutbox(
          ['een', 'twee', 'drie', 'vier'].map((text) => ({ kind: 'message' as const, to: r1, text })),
          at(0),
          at(60),
        ),
      );
      await uow.run((r) => r.conversations.markDelivered([earlier[3]!.id], at(0)));
      const first = (await store(1))!;
      const turn = (await uow.run((r) => r.conversations.readTurn(key)))!;
      expect(turn.undelivered).toEqual(earlier.slice(0, 3).map((e) => e.id));
      const end = (inboundId: number, version: number, known: readonly number[], text: string) => ({
        key,
        version,
        state: {},
        flags: {},
        inboundId,
        now: at(2),
        items: [{ kind: 'message' as const, to: r1, text }],
        claimUntil: at(62),
        direct: new Map([[key, known]]),
      });
      // It knows every one still waiting (and one that is gone since): its reply is claimed for it.
      const known = [...turn.undelivered, earlier[3]!.id];
      const direct = await uow.run((r) =>
        r.conversations.finishTurn(end(first, turn.version, known, 'na drie')),
      );
      expect(direct).toMatchObject([{ text: 'na drie' }]);
      // Another process wrote one since this turn was read: the reply waits for the sweep behind it.
      const second = (await store(2))!;
      const next = (await uow.run((r) => r.conversations.readTurn(key)))!;
      await uow.run((r) =>
        r.conversations.addToOutbox([{ kind: 'message', to: r1, text: 'elders' }], at(2), at(62)),
      );
      const swept = await uow.run((r) =>
        r.conversations.finishTurn(end(second, next.version, next.undelivered, 'na elders')),
      );
      expect(swept).toEqual([]);
    },
  );
});
