import { afterEach, describe, expect, it } from 'vitest';
import { webcareServices } from '../../src/features/webcare/services.js';
import { webcareCommands } from '../../src/features/webcare/webcare.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import type { Notifier } from '../../src/ports/notifier.js';
import type { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { conversationKey, type Address } from '../../src/shared/address.js';
import { conversationSubject } from '../../src/shared/audit-subjects.js';
import { ManualClock } from '../../src/shared/clock.js';
import { pseudonymizer } from '../../src/shared/pseudonym.js';
import { settle, storageTargets, type OpenStore } from '../storage/storage-targets.js';

const stores: OpenStore[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
});

const anna: Address = { channel: 'console', userId: 'anna' };
const bram: Address = { channel: 'telegram', userId: '4711' };
const pseudonym = pseudonymizer('webcare-domain-test-key-of-32-characters');
const subject = (key: string) => conversationSubject(pseudonym, key);

/** A resident who asked for a person, as the person flow leaves them: needs_human and a request. */
async function asks(uow: UnitOfWork, who: Address, at: Date, promise: string, closed = false) {
  const key = conversationKey(who);
  await uow.transaction(async (r) => {
    await r.conversations.storeInbound({
      dedupeKey: `${key}:${at.getTime()}`,
      address: who,
      kind: 'message',
      text: 'medewerker',
      now: at,
    });
    await r.conversations.lockConversation(key);
    await r.conversations.saveState(key, { v: 2, mode: 'human' }, at, { needsHuman: true });
    await r.webcare.request({ address: who, key, promise, closed, now: at });
  });
  return key;
}

const municipality = loadMunicipality('data');
const services = webcareServices(pseudonym);

/**
 * The resident writes "laat maar, hoeft niet meer": the service the flow calls, in the turn's
 * transaction, and the conversation back with the bot unless an operator has it (as the flow does).
 */
async function withdraws(uow: UnitOfWork, who: Address, now: Date) {
  const key = conversationKey(who);
  return uow.transaction(async (r) => {
    await r.conversations.lockConversation(key);
    const { withdrawal } = await services['webcare.withdraw'](
      r,
      {},
      {
        now,
        address: who,
        municipality,
        inboundId: 1,
      },
    );
    if (withdrawal !== 'taken')
      await r.conversations.saveState(key, { v: 2, mode: 'bot' }, now, { needsHuman: false });
    return withdrawal;
  });
}

function setup(store: OpenStore, uow = store.uow) {
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const told: { to: Address; name: string; payload: object }[] = [];
  const notifier: Notifier = {
    notify: async (to, name, payload) => {
      told.push({ to, name, payload });
    },
    // Webcare tells conversations through notify alone; anything else would go unrecorded here.
    storeEvent: () => Promise.reject(new Error('webcare stores no events in its own transactions')),
    handOver: () => Promise.reject(new Error('webcare hands nothing over after its own transactions')),
  };
  return { clock, told, commands: webcareCommands({ uow, clock, notifier, pseudonym }) };
}

describe.each(storageTargets)('webcare on $name', (target) => {
  it.skipIf(target.skip !== null)(
    'queues oldest first with waiting time and the promise; take, reply, hand back',
    async () => {
      const store = await target.open();
      stores.push(store);
      const { clock, told, commands } = setup(store);
      const t0 = clock.now();
      const bramKey = await asks(
        store.uow,
        bram,
        new Date(t0.getTime() - 5 * 60_000),
        'Ze zijn er weer op maandag om 08:30',
        true,
      );
      const annaKey = await asks(store.uow, anna, new Date(t0.getTime() - 2 * 60_000), 'binnen 15 minuten');
      const queue = await commands.queue();
      expect(queue.map((q) => [q.conversationKey, q.waitingMs, q.promise, q.closed, q.operatorId])).toEqual([
        [bramKey, 5 * 60_000, 'Ze zijn er weer op maandag om 08:30', true, null],
        [annaKey, 2 * 60_000, 'binnen 15 minuten', false, null],
      ]);
      expect(await commands.waitingCount()).toBe(2);

      await commands.take({ id: 'op-1' }, annaKey);
      expect(told).toEqual([{ to: anna, name: 'webcare.taken', payload: {} }]);
      expect(await commands.waitingCount()).toBe(1);
      await expect(commands.take({ id: 'op-2' }, annaKey)).rejects.toThrow('webcare.already_taken');
      // Only the operator who took the resident over may answer or hand back.
      await expect(commands.reply({ id: 'op-2' }, annaKey, 'Hallo')).rejects.toThrow('webcare.not_yours');
      await expect(commands.handBack({ id: 'op-2' }, annaKey)).rejects.toThrow('webcare.not_yours');
      await expect(commands.reply({ id: 'op-1' }, annaKey, '   ')).rejects.toThrow('webcare.empty_reply');
      await commands.reply({ id: 'op-1' }, annaKey, '  Goedemorgen, waarmee kan ik helpen?  ');
      // The reply carries who wrote it, for the transcript (the account id, never the name).
      expect(told[1]).toEqual({
        to: anna,
        name: 'webcare.reply',
        payload: { text: 'Goedemorgen, waarmee kan ik helpen?', operatorId: 'op-1' },
      });
      const seen = await commands.conversation(annaKey);
      expect(seen?.request.operatorId).toBe('op-1');
      expect(seen?.transcript.map((e) => [e.side, e.text])).toEqual([['in', 'medewerker']]);

      await commands.handBack({ id: 'op-1' }, annaKey);
      expect(told[2]).toEqual({ to: anna, name: 'webcare.handed_back', payload: {} });
      expect((await commands.queue()).map((q) => q.conversationKey)).toEqual([bramKey]);
      expect(await commands.conversation(annaKey)).toBeNull();

      const audit = await store.uow.run((r) => r.audit.page({ limit: 10 }));
      expect(audit.map((a) => [a.actor, a.action, a.subject]).reverse()).toEqual([
        ['staff:op-1', 'webcare.take', subject(annaKey)],
        ['staff:op-1', 'webcare.reply', subject(annaKey)],
        ['staff:op-1', 'webcare.hand_back', subject(annaKey)],
      ]);
    },
  );

  // Regression: the audit log named a WhatsApp resident by the conversation key, their phone number
  // in clear, in a log that is never changed or erased.
  it.skipIf(target.skip !== null)(
    'names the resident in the audit log by a pseudonym, never by the phone number in the key',
    async () => {
      const store = await target.open();
      stores.push(store);
      const { clock, commands } = setup(store);
      const fatima: Address = { channel: 'whatsapp', userId: '31612345678@c.us' };
      const key = await asks(store.uow, fatima, clock.now(), 'binnen 15 minuten');
      await commands.take({ id: 'op-1' }, key);
      await commands.reply({ id: 'op-1' }, key, 'Ik kijk even mee.');
      await commands.handBack({ id: 'op-1' }, key);
      await asks(store.uow, fatima, clock.now(), 'binnen 15 minuten');
      await commands.take({ id: 'op-1' }, key);
      expect(await withdraws(store.uow, fatima, clock.now())).toBe('taken');
      clock.advance(31 * 60_000);
      expect(await commands.releaseIdle()).toBe(1);

      const audit = await store.uow.run((r) => r.audit.page({ limit: 20 }));
      expect(audit.map((a) => a.action).reverse()).toEqual([
        'webcare.take',
        'webcare.reply',
        'webcare.hand_back',
        'webcare.take',
        'webcare.withdraw',
        'webcare.release_idle',
      ]);
      for (const line of audit) {
        expect(line.subject).toBe(subject(key));
        expect(JSON.stringify(line)).not.toContain('612345678');
      }
    },
  );

  it.skipIf(target.skip !== null)('a resident who went back to the menu leaves the queue', async () => {
    const store = await target.open();
    stores.push(store);
    const { commands } = setup(store);
    const key = await asks(store.uow, anna, new Date('2026-12-01T08:59:00Z'), 'binnen 15 minuten');
    await store.uow.transaction(async (r) => {
      await r.conversations.lockConversation(key);
      await r.conversations.saveState(key, { v: 2, mode: 'bot' }, new Date(), { needsHuman: false });
    });
    expect(await commands.queue()).toEqual([]);
    await expect(commands.take({ id: 'op-1' }, key)).rejects.toThrow('webcare.not_found');
  });

  // Regression: a resident who wrote "laat maar" while waiting stayed in the queue; an operator took
  // over a conversation nobody waited for any more.
  it.skipIf(target.skip !== null)(
    'a resident who withdraws while waiting leaves the queue and cannot be taken; asking again renews it',
    async () => {
      const store = await target.open();
      stores.push(store);
      const { clock, commands } = setup(store);
      const key = await asks(store.uow, anna, new Date('2026-12-01T08:55:00Z'), 'binnen 15 minuten');
      await asks(store.uow, bram, new Date('2026-12-01T08:56:00Z'), 'binnen 15 minuten');
      expect(await commands.waitingCount()).toBe(2);
      expect(await withdraws(store.uow, anna, clock.now())).toBe('waiting');
      expect((await commands.queue()).map((q) => q.conversationKey)).toEqual([conversationKey(bram)]);
      expect(await commands.waitingCount()).toBe(1);
      expect(await commands.conversation(key)).toBeNull();
      // The queue page says so of the row that left (not that it is gone).
      expect(await commands.withdrawnWaiting()).toEqual([key]);
      await expect(commands.take({ id: 'op-1' }, key)).rejects.toThrow('webcare.not_found');
      // Withdrawn before the turn saved the conversation: no operator can take it in between.
      await store.uow.transaction((r) => r.webcare.withdraw(conversationKey(bram), clock.now()));
      expect(await store.uow.run((r) => r.webcare.take(conversationKey(bram), 'op-1', clock.now()))).toBe(
        false,
      );
      // Asking for a person again is a new request in the queue.
      await asks(store.uow, anna, clock.now(), 'binnen 15 minuten');
      const [again] = await commands.queue();
      expect([again?.conversationKey, again?.withdrawnAt]).toEqual([key, null]);
      expect(await commands.withdrawnWaiting()).toEqual([conversationKey(bram)]);
      // Only the last hour's: older withdrawals are no news to a page.
      clock.advance(61 * 60_000);
      expect(await commands.withdrawnWaiting()).toEqual([]);
      await commands.take({ id: 'op-1' }, key);
    },
  );

  it.skipIf(target.skip !== null)(
    'a resident who withdraws after an operator took over stays with that operator, marked; an idle one then ends',
    async () => {
      const store = await target.open();
      stores.push(store);
      const { clock, told, commands } = setup(store);
      const key = await asks(store.uow, anna, clock.now(), 'binnen 15 minuten');
      await commands.take({ id: 'op-1' }, key);
      clock.advance(60_000);
      expect(await withdraws(store.uow, anna, clock.now())).toBe('taken');
      const [item] = await commands.queue();
      expect([item?.conversationKey, item?.operatorId, item?.withdrawnAt]).toEqual([
        key,
        'op-1',
        clock.now(),
      ]);
      expect((await commands.conversation(key))?.request.withdrawnAt).toEqual(clock.now());
      // The operator may still answer (and hand back) as before.
      await commands.reply({ id: 'op-1' }, key, 'Prima, fijne dag!');
      // Left idle, it does not go back to the queue for nobody: it ends, and the resident is back with the bot.
      clock.advance(31 * 60_000);
      expect(await commands.releaseIdle()).toBe(1);
      expect(await commands.queue()).toEqual([]);
      expect(await commands.idleNotices({ id: 'op-1' })).toEqual([]);
      expect(told.map((x) => x.name)).toEqual(['webcare.taken', 'webcare.reply', 'webcare.handed_back']);
      expect(told.at(-1)?.to).toEqual(anna);
    },
  );

  it.skipIf(target.skip !== null)(
    'of a withdrawal and a take racing, exactly one holds: taken and told, or withdrawn and not taken',
    async () => {
      const store = await target.open(4);
      stores.push(store);
      for (let round = 0; round < 4; round++) {
        const at = new Date(Date.parse('2026-12-01T08:00:00Z') + round * 60_000);
        const key = await asks(store.uow, anna, at, 'binnen 15 minuten');
        const [a, b] = store.uows;
        const { values, errors } = await settle<unknown>([
          withdraws(a!, anna, at),
          setup(store, b).commands.take({ id: `op-${round}` }, key),
        ]);
        const withdrawal = values.find((v) => typeof v === 'string');
        expect(values).toHaveLength(withdrawal === 'taken' ? 2 : 1);
        if (withdrawal === 'taken') expect(errors).toEqual([]);
        else {
          expect(withdrawal).toBe('waiting');
          expect(errors).toHaveLength(1);
        }
        const open = await setup(store).commands.queue();
        expect(open.map((q) => q.operatorId)).toEqual(withdrawal === 'taken' ? [`op-${round}`] : []);
        await store.uow.transaction((r) => r.webcare.finish(key, `op-${round}`));
      }
    },
  );

  it.skipIf(target.skip !== null)(
    'a takeover idle for 30 minutes goes back to the queue, with a notice for its operator',
    async () => {
      const store = await target.open();
      stores.push(store);
      const { clock, commands } = setup(store);
      const key = await asks(store.uow, anna, clock.now(), 'binnen 15 minuten');
      await commands.take({ id: 'op-1' }, key);
      clock.advance(20 * 60_000);
      await commands.reply({ id: 'op-1' }, key, 'Ik zoek het voor u uit.');
      clock.advance(29 * 60_000);
      expect(await commands.releaseIdle()).toBe(0);
      clock.advance(2 * 60_000);
      expect(await commands.releaseIdle()).toBe(1);
      const [back] = await commands.queue();
      expect([back?.operatorId, back?.waitingMs]).toEqual([null, 51 * 60_000]);
      await expect(commands.reply({ id: 'op-1' }, key, 'Nog daar?')).rejects.toThrow('webcare.not_yours');
      expect((await commands.idleNotices({ id: 'op-1' })).map((n) => n.conversationKey)).toEqual([key]);
      expect(await commands.idleNotices({ id: 'op-1' })).toEqual([]);
      await commands.take({ id: 'op-2' }, key);
      expect((await commands.queue())[0]?.operatorId).toBe('op-2');
    },
  );

  it.skipIf(target.skip !== null)('of operators racing to take one resident, exactly one wins', async () => {
    const store = await target.open(4);
    stores.push(store);
    const key = await asks(store.uow, anna, new Date('2026-12-01T08:50:00Z'), 'binnen 15 minuten');
    for (let round = 0; round < 3; round++) {
      const racers = store.uows.map((uow) => setup(store, uow).commands);
      const { values, errors } = await settle(racers.map((c, i) => c.take({ id: `op-${round}-${i}` }, key)));
      expect(values).toHaveLength(1);
      expect(errors).toHaveLength(racers.length - 1);
      for (const error of errors) expect(error).toContain('webcare.already_taken');
      const winner = (await racers[0]!.queue())[0]?.operatorId;
      await racers[0]!.handBack({ id: winner ?? '' }, key);
      // Asking again puts the resident back in the queue for the next round.
      await asks(store.uow, anna, new Date('2026-12-01T08:55:00Z'), 'binnen 15 minuten');
    }
  });
});
