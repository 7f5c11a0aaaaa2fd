import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../src/storage/database.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import type { UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { Assignee, Case } from '../../src/ports/case-repository.js';
import { answerCase, createCase, reassignCase } from '../../src/features/cases/case-service.js';
import { caseInbox, dueSoonUntil, parseSearch, type InboxRequest } from '../../src/features/cases/inbox.js';
import { inScope, scopeOf } from '../../src/features/cases/policy.js';
import { setProposalStage } from '../../src/features/cases/proposals.js';
import { databaseKinds, freshTarget } from '../support/services.js';
import { holidays, options, timeZone } from './support.js';

// Thursday 2 April 2026, 10:00 in Rijswijk; Easter Monday (6 April) is closed.
const NOW = new Date('2026-04-02T08:00:00Z');
const DAY = 86_400_000;
const districts = [
  { id: 'oud-rijswijk', aldermanId: 'anna-de-vries' },
  { id: 'te-werve', aldermanId: 'pieter-jansen' },
];
const afval: Assignee = { type: 'department', id: 'afval', name: 'Team Afval en Reiniging' };
const kcc: Assignee = { type: 'department', id: 'kcc', name: 'Klantcontactcentrum' };
const anna: Assignee = { type: 'alderman', id: 'anna-de-vries' };
const pieter: Assignee = { type: 'alderman', id: 'pieter-jansen' };

describe('inbox rules without a database', () => {
  it('reads a reference typed loosely as an exact reference, anything else as words', () => {
    expect(parseSearch('rsw 2026 42')).toEqual({ reference: 'RSW-2026-000042' });
    expect(parseSearch('  kapotte   container ')).toEqual({ words: ['kapotte', 'container'] });
    expect(parseSearch('   ')).toBeUndefined();
  });

  it('"due within 1 working day" reaches the end of the next working day, past weekends and holidays', () => {
    // Thursday: Friday (Good Friday is open in Rijswijk's data) until midnight.
    expect(dueSoonUntil(NOW, options).toISOString()).toBe('2026-04-03T21:59:59.999Z');
    // Friday before Easter Monday: the weekend and the holiday do not count, so Tuesday.
    expect(dueSoonUntil(new Date('2026-04-03T08:00:00Z'), options).toISOString()).toBe(
      '2026-04-07T21:59:59.999Z',
    );
  });

  it('an alderman sees their own cases and their districts’ cases; a department only its own', () => {
    const annaScope = scopeOf('alderman:anna-de-vries', districts);
    expect(annaScope).toEqual({ kind: 'alderman', id: 'anna-de-vries', districtIds: ['oud-rijswijk'] });
    expect(inScope({ assignee: afval, districtId: 'oud-rijswijk' }, annaScope)).toBe(true);
    expect(inScope({ assignee: anna, districtId: null }, annaScope)).toBe(true);
    expect(inScope({ assignee: pieter, districtId: 'te-werve' }, annaScope)).toBe(false);
    expect(inScope({ assignee: afval, districtId: null }, scopeOf('department:afval', districts))).toBe(true);
    expect(inScope({ assignee: kcc, districtId: null }, scopeOf('department:afval', districts))).toBe(false);
    expect(inScope({ assignee: null, districtId: null }, scopeOf('operator', districts))).toBe(true);
  });
});

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`the case inbox on ${kind}`, () => {
    let db: Database;
    let uow: UnitOfWork;
    let cleanup: () => Promise<void>;
    let n = 0;

    beforeEach(async () => {
      const fresh = await freshTarget(kind);
      cleanup = fresh.cleanup;
      db = await Database.open(fresh.target);
      uow = createUnitOfWork(db);
    });

    afterEach(async () => {
      await db.close();
      await cleanup();
    });

    async function make(o: {
      assignee: Assignee;
      districtId?: string | null;
      topic?: string;
      channel?: string;
      text?: string;
      createdAt?: Date;
      norm?: number;
      proposal?: boolean;
    }): Promise<Case> {
      n++;
      return uow.transaction(async (r) => {
        const c = await createCase(r, {
          residentKey: `${o.channel ?? 'telegram'}:${n}`,
          channel: o.channel ?? 'telegram',
          language: 'nl',
          districtId: o.districtId === undefined ? 'te-werve' : o.districtId,
          topic: o.topic ?? 'overig',
          text: o.text ?? `Vraag nummer ${n}`,
          idempotencyKey: `m-${n}`,
          now: o.createdAt ?? NOW,
          prefix: 'RSW',
          norm: o.norm ?? 5,
          holidays,
          timeZone,
          ...(o.proposal
            ? { kind: 'proposal' as const, proposal: { where: 'Park', who: 'Buren', help: 'Advies' } }
            : {}),
        });
        return reassignCase(r, c.id, o.assignee, 'operator:test', o.createdAt ?? NOW);
      });
    }

    const inbox = (request: Partial<InboxRequest>) =>
      uow.run((r) => caseInbox(r, { scope: { kind: 'all' }, viewerId: 'u1', now: NOW, ...request }, options));

    it('lists what each role may see, the earliest answer-by first', async () => {
      const late = await make({ assignee: afval, topic: 'afval', norm: 8 });
      const early = await make({ assignee: afval, topic: 'afval', norm: 2 });
      const annas = await make({ assignee: anna, districtId: null });
      const inAnnasDistrict = await make({ assignee: kcc, districtId: 'oud-rijswijk' });
      const pieters = await make({ assignee: pieter });

      const all = await inbox({});
      expect(all.total).toBe(5);
      expect(all.cases[0]!.id).toBe(early.id);
      expect(all.cases.at(-1)!.id).toBe(late.id);

      const dept = await inbox({ scope: scopeOf('department:afval', districts) });
      expect(dept.cases.map((c) => c.id)).toEqual([early.id, late.id]);

      const alderman = await inbox({ scope: scopeOf('alderman:anna-de-vries', districts) });
      expect(alderman.cases.map((c) => c.id).sort()).toEqual([annas.id, inAnnasDistrict.id].sort());
      expect(alderman.cases.map((c) => c.id)).not.toContain(pieters.id);

      const none = await inbox({ scope: scopeOf('department:vergunningen', districts) });
      expect(none).toMatchObject({ total: 0, cases: [] });
    });

    it('filters by status, assignee, district, topic, channel and deadline, with counts per value', async () => {
      const overdue = await make({
        assignee: afval,
        topic: 'afval',
        createdAt: new Date(NOW.getTime() - 10 * DAY),
      });
      const soon = await make({ assignee: afval, topic: 'afval', channel: 'whatsapp', norm: 1 });
      const later = await make({ assignee: kcc, districtId: null, channel: 'web' });
      const done = await make({ assignee: pieter });
      await uow.transaction((r) => answerCase(r, done.id, 'alderman:pieter-jansen', 'Klaar.', NOW));
      await uow.run((r) =>
        r.cases.update(later.id, { status: later.status }, { handler: { id: 'u1', name: 'Ilse' } }),
      );

      const open = await inbox({ filters: { statuses: ['routed'] } });
      expect(open.total).toBe(3);
      // Counts for a facet ignore that facet's own filter, and keep the others.
      expect(open.counts.status).toEqual({ routed: 3, answered: 1 });
      expect(open.counts.assignee).toMatchObject({
        'department:afval': 2,
        'department:kcc': 1,
        me: 1,
        nobody: 2,
      });
      expect(open.counts.topic).toEqual({ afval: 2, overig: 1 });
      expect(open.counts.channel).toEqual({ telegram: 1, whatsapp: 1, web: 1 });
      expect(open.counts.district).toEqual({ 'te-werve': 2, '': 1 });
      expect(open.counts.due).toEqual({ overdue: 1, soon: 1 });

      const ids = async (request: Partial<InboxRequest>) => (await inbox(request)).cases.map((c) => c.id);
      expect(await ids({ filters: { due: 'overdue' } })).toEqual([overdue.id]);
      expect(await ids({ filters: { due: 'soon' } })).toEqual([soon.id]);
      expect(await ids({ filters: { assignee: { type: 'me' } } })).toEqual([later.id]);
      expect((await ids({ filters: { assignee: { type: 'nobody' } } })).length).toBe(3);
      expect(await ids({ filters: { assignee: { type: 'department', id: 'kcc' } } })).toEqual([later.id]);
      expect(await ids({ filters: { assignee: { type: 'alderman', id: 'pieter-jansen' } } })).toEqual([
        done.id,
      ]);
      expect(await ids({ filters: { districtId: null } })).toEqual([later.id]);
      expect(await ids({ filters: { channel: 'whatsapp', topic: 'afval' } })).toEqual([soon.id]);
      // An answered case is not overdue, however old.
      expect(await ids({ filters: { due: 'overdue', statuses: ['answered'] } })).toEqual([]);
    });

    // Regression: the overdue count took a proposal's answer-by date as a question's, so a proposal
    // that had its first reaction (the date its norm promises) still counted as overdue.
    it('counts a proposal as overdue until its first reaction, by the first-reaction date', async () => {
      const long = new Date(NOW.getTime() - 20 * DAY);
      const question = await make({ assignee: anna, createdAt: long, norm: 10 });
      const waiting = await make({ assignee: anna, createdAt: long, norm: 10, proposal: true });
      const reacted = await make({ assignee: anna, createdAt: long, norm: 10, proposal: true });
      const fresh = await make({ assignee: anna, norm: 10, proposal: true });
      await uow.transaction((r) =>
        setProposalStage(r, reacted.id, 'alderman:anna-de-vries', { stage: 'reviewing' }, NOW),
      );
      const all = await inbox({});
      expect(all.counts.due.overdue).toBe(2);
      expect(all.counts.kind).toEqual({ question: 1, proposal: 3 });
      const overdue = await inbox({ filters: { due: 'overdue' } });
      expect(overdue.cases.map((c) => c.id).sort()).toEqual([question.id, waiting.id].sort());
      expect((await inbox({ filters: { due: 'overdue', kind: 'proposal' } })).total).toBe(1);
      expect(overdue.cases.map((c) => c.id)).not.toContain(fresh.id);
    });

    // Regression: "Aan mij toegewezen" counted only the cases an account had taken, so an alderman's
    // account saw 0 there while questions routed to that alderman waited.
    it("counts the cases routed to an alderman's account as the alderman's own (me)", async () => {
      const routed = await make({ assignee: anna, districtId: null });
      await make({ assignee: kcc, districtId: 'oud-rijswijk' });
      await make({ assignee: pieter });
      const annasScope = scopeOf('alderman:anna-de-vries', districts);
      const page = await inbox({ scope: annasScope, viewerId: 'anna-account' });
      expect(page.total).toBe(2);
      expect(page.counts.assignee.me).toBe(1);
      const mine = await inbox({
        scope: annasScope,
        viewerId: 'anna-account',
        filters: { assignee: { type: 'me' } },
      });
      expect(mine.cases.map((c) => c.id)).toEqual([routed.id]);
      // An operator's "me" stays the cases they took.
      expect((await inbox({ filters: { assignee: { type: 'me' } } })).total).toBe(0);
    });

    // Regression: the inbox opens on open cases, and an exact reference of an answered case gave
    // "0 vragen gevonden": a resident who called with their number could not be found.
    it('finds a case by its exact reference whatever the filters say, within what the viewer may see', async () => {
      const done = await make({ assignee: pieter });
      await uow.transaction((r) => answerCase(r, done.id, 'alderman:pieter-jansen', 'Klaar.', NOW));
      const found = await inbox({
        search: done.reference,
        filters: { statuses: ['routed'], topic: 'afval' },
      });
      expect(found.cases.map((c) => c.id)).toEqual([done.id]);
      // Words still go with the filters, and a reference outside the viewer's scope stays hidden.
      expect((await inbox({ search: 'Vraag', filters: { statuses: ['routed'] } })).total).toBe(0);
      const afvalOnly = await inbox({
        search: done.reference,
        scope: scopeOf('department:afval', districts),
      });
      expect(afvalOnly.total).toBe(0);
    });

    it('searches by reference or by every word of the question, and pages', async () => {
      const bin = await make({ assignee: afval, text: 'Mijn Kliko is KAPOT sinds dinsdag, 100%_echt' });
      await make({ assignee: afval, text: 'Wanneer komt de kliko?' });
      for (let i = 0; i < 5; i++) await make({ assignee: kcc });

      expect(
        (await inbox({ search: bin.reference.toLowerCase().replace(/-0+/, ' ') })).cases.map((c) => c.id),
      ).toEqual([bin.id]);
      expect((await inbox({ search: 'kliko kapot' })).cases.map((c) => c.id)).toEqual([bin.id]);
      expect((await inbox({ search: 'KLIKO' })).total).toBe(2);
      // LIKE's wildcards are searched as themselves.
      expect((await inbox({ search: '100%_echt' })).total).toBe(1);
      expect((await inbox({ search: '%' })).total).toBe(1);

      const first = await inbox({ pageSize: 3 });
      const third = await inbox({ pageSize: 3, page: 3 });
      expect(first).toMatchObject({ total: 7, pages: 3, page: 1 });
      expect(first.cases).toHaveLength(3);
      expect(third.cases).toHaveLength(1);
      const seen = new Set(
        [...first.cases, ...(await inbox({ pageSize: 3, page: 2 })).cases, ...third.cases].map((c) => c.id),
      );
      expect(seen.size).toBe(7);
    });
  });
}
