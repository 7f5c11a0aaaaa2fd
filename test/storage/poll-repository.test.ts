import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Poll } from '../../src/ports/poll-repository.js';
import type { Repositories } from '../../src/ports/unit-of-work.js';
import { settle, storageTargets, type OpenStore } from './storage-targets.js';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const resident = (n: number) => ({ channel: 'telegram', userId: `r${n}-${randomUUID().slice(0, 6)}` });

function aPoll(o: Partial<Poll> = {}): Poll {
  return {
    id: randomUUID().replace(/-/g, '').slice(0, 12),
    question: 'Meer bankjes?',
    options: ['Ja', 'Nee'],
    scale: false,
    districts: ['oud-rijswijk', 'te-werve'],
    followUp: null,
    opensAt: at(0),
    closesAt: at(60),
    closedAt: null,
    outcome: null,
    outcomeVersion: 0,
    createdBy: 'cli',
    createdAt: at(0),
    ...o,
  };
}

for (const target of storageTargets) {
  describe.skipIf(target.skip !== null)(
    `poll repository contract on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let store: OpenStore;
      beforeAll(async () => {
        store = await target.open(2);
      });
      afterAll(() => store?.close());
      const run = <T>(fn: (r: Repositories) => Promise<T>) => store.uow.run(fn);

      it('stores a poll as given and finds it open only in its districts and its time', async () => {
        const poll = aPoll({ followUp: 'Waar?', question: 'Vraag met "quotes" & <tags>' });
        await run((r) => r.polls.insert(poll));
        expect(await run((r) => r.polls.get(poll.id))).toEqual(poll);
        const open = (district: string, minutes: number) =>
          run((r) => r.polls.openFor(district, at(minutes))).then((ps) => ps.map((p) => p.id));
        expect(await open('te-werve', 1)).toContain(poll.id);
        expect(await open('steenvoorde', 1)).not.toContain(poll.id);
        expect(await open('te-werve', -1)).not.toContain(poll.id);
        expect(await open('te-werve', 60)).not.toContain(poll.id);
        expect((await run((r) => r.polls.due(at(61)))).map((p) => p.id)).toContain(poll.id);
        expect(await run((r) => r.polls.get('nope'))).toBeNull();
      });

      it('keeps one answer per resident per poll: a second answer replaces the first, the follow-up stays', async () => {
        const poll = aPoll();
        await run((r) => r.polls.insert(poll));
        const a = resident(1);
        const b = resident(2);
        const answer = (who: typeof a, choice: number, district = 'oud-rijswijk') =>
          run((r) =>
            r.polls.answer({
              pollId: poll.id,
              address: who,
              districtId: district,
              choice,
              answeredAt: at(5),
            }),
          );
        await answer(a, 0);
        expect(await run((r) => r.polls.followUp(poll.id, a, 'Bij de vijver'))).toBe(true);
        expect(await run((r) => r.polls.followUp(poll.id, b, 'niet geantwoord'))).toBe(false);
        await answer(a, 1);
        await answer(b, 1, 'te-werve');
        expect(await run((r) => r.polls.answerOf(poll.id, a))).toMatchObject({
          choice: 1,
          followUp: 'Bij de vijver',
          districtId: 'oud-rijswijk',
        });
        expect(await run((r) => r.polls.counts(poll.id))).toEqual([
          { districtId: 'oud-rijswijk', choice: 1, count: 1 },
          { districtId: 'te-werve', choice: 1, count: 1 },
        ]);
        expect(await run((r) => r.polls.followUps(poll.id))).toEqual([
          { districtId: 'oud-rijswijk', text: 'Bij de vijver' },
        ]);
        expect((await run((r) => r.polls.answerers(poll.id))).length).toBe(2);
      });

      it('20 answers of one resident at once leave one answer (no duplicate row, no error)', async () => {
        const poll = aPoll();
        await run((r) => r.polls.insert(poll));
        const a = resident(3);
        const { errors } = await settle(
          Array.from({ length: 20 }, (_, i) =>
            (store.uows[i % store.uows.length] ?? store.uow).transaction((r) =>
              r.polls.answer({
                pollId: poll.id,
                address: a,
                districtId: 'te-werve',
                choice: i % 2,
                answeredAt: at(i),
              }),
            ),
          ),
        );
        expect(errors).toEqual([]);
        const counts = await run((r) => r.polls.counts(poll.id));
        expect(counts.reduce((s, c) => s + c.count, 0)).toBe(1);
      });

      it('closes once: a second close is refused and the first outcome stays', async () => {
        const poll = aPoll();
        await run((r) => r.polls.insert(poll));
        const { values } = await settle([
          run((r) => r.polls.close(poll.id, 'eerste', at(10))),
          run((r) => r.polls.close(poll.id, 'tweede', at(11))),
        ]);
        expect(values.filter(Boolean)).toHaveLength(1);
        const closed = await run((r) => r.polls.get(poll.id));
        expect(closed?.closedAt).not.toBeNull();
        expect(['eerste', 'tweede']).toContain(closed?.outcome);
        expect(await run((r) => r.polls.openFor('te-werve', at(12)))).not.toContainEqual(
          expect.objectContaining({ id: poll.id }),
        );
      });

      it('moves an end date only before it passed; a closing at the end date loses to a move that came first', async () => {
        const poll = aPoll();
        await run((r) => r.polls.insert(poll));
        expect(await run((r) => r.polls.moveEnd(poll.id, at(120), at(30)))).toBe(true);
        // The old end date's closing (a sweep that read the poll before the move) leaves it open.
        expect(await run((r) => r.polls.close(poll.id, '', at(61), true))).toBe(false);
        expect((await run((r) => r.polls.get(poll.id)))?.closedAt).toBeNull();
        expect(await run((r) => r.polls.moveEnd(poll.id, at(200), at(121)))).toBe(false);
        expect(await run((r) => r.polls.close(poll.id, '', at(121), true))).toBe(true);
        expect(await run((r) => r.polls.moveEnd(poll.id, at(300), at(122)))).toBe(false);
        expect((await run((r) => r.polls.get(poll.id)))?.closesAt).toEqual(at(120));
      });

      it('writes the outcome of a closed poll once per version: of two writers at the same version one wins', async () => {
        const poll = aPoll();
        await run((r) => r.polls.insert(poll));
        expect(await run((r) => r.polls.setOutcome(poll.id, 'te vroeg', 0))).toBe(false);
        await run((r) => r.polls.close(poll.id, '', at(61), true));
        const { values } = await settle([
          run((r) => r.polls.setOutcome(poll.id, 'eerste', 0)),
          run((r) => r.polls.setOutcome(poll.id, 'tweede', 0)),
        ]);
        expect(values.filter(Boolean)).toHaveLength(1);
        const written = await run((r) => r.polls.get(poll.id));
        expect(written?.outcomeVersion).toBe(1);
        expect(['eerste', 'tweede']).toContain(written?.outcome);
        expect(await run((r) => r.polls.setOutcome(poll.id, 'derde', 1))).toBe(true);
        expect(await run((r) => r.polls.get(poll.id))).toMatchObject({ outcome: 'derde', outcomeVersion: 2 });
      });
      it("exports, erases and purges only the resident's own answers, by their age", async () => {
        const old = aPoll();
        const young = aPoll();
        await run((r) => r.polls.insert(old));
        await run((r) => r.polls.insert(young));
        const a = resident(4);
        const b = resident(5);
        const key = (x: typeof a) => `${x.channel}:${x.userId}`;
        for (const [poll, minutes] of [
          [old, 1],
          [young, 100],
        ] as const)
          for (const who of [a, b])
            await run((r) =>
              r.polls.answer({
                pollId: poll.id,
                address: who,
                districtId: 'te-werve',
                choice: 0,
                answeredAt: at(minutes),
              }),
            );
        const subject = { address: a, key: key(a), needles: [], refs: [] };
        const exported = await run((r) => r.polls.personalData(subject));
        expect(exported.poll_answers?.map((row) => row.poll_id).sort()).toEqual([old.id, young.id].sort());
        const batch = { before: at(50), limit: 1000, dryRun: true };
        const counted = await run((r) => r.polls.purge(batch));
        expect(counted).toBeGreaterThanOrEqual(2);
        expect(await run((r) => r.polls.purge({ ...batch, dryRun: false }))).toBe(counted);
        expect(await run((r) => r.polls.answerOf(old.id, b))).toBeNull();
        expect(await run((r) => r.polls.answerOf(young.id, b))).not.toBeNull();
        expect(await run((r) => r.polls.erasePersonalData(subject))).toEqual({ poll_answers: 1 });
        expect(await run((r) => r.polls.answerOf(young.id, a))).toBeNull();
        expect(await run((r) => r.polls.answerOf(young.id, b))).not.toBeNull();
      });
    },
  );
}
