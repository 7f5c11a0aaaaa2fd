/**
 * The case repository's contract (src/ports/case-repository.ts), one suite run on every database
 * (test/storage/storage-targets.ts). Each suite has a database of its own; each test makes its own
 * residents and assignees, so tests do not see each other's cases.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Case, CaseStatus } from '../../src/ports/case-repository.js';
import { formatReference, referenceNumbering } from '../../src/features/cases/reference.js';
import { caseSequenceName } from '../../src/storage/repositories/case-numbers.js';
import { sql } from '../../src/storage/sql.js';
import { describeContract, inZone, settle } from './storage-targets.js';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0, 0);
/** An instant `minutes` (fractions allowed) after 2026-03-02 09:00 UTC. */
const at = (minutes: number) => new Date(T0 + Math.round(minutes * 60_000));

let counter = 0;
/** A case that no other test uses: its own id, reference, resident and idempotency key. */
function aCase(over: Partial<Case> = {}): Case {
  counter++;
  return {
    id: randomUUID(),
    reference: `RSW-2026-${String(counter).padStart(6, '0')}`,
    residentKey: `telegram:${randomUUID()}`,
    residentName: null,
    channel: 'telegram',
    language: 'nl',
    districtId: 'centrum',
    topic: 'afval',
    text: 'De container is niet geleegd.',
    kind: 'question',
    proposal: null,
    stage: null,
    status: 'new',
    assignee: null,
    handler: null,
    waitingSince: null,
    answerBy: at(60 * 24 * 5),
    answer: null,
    answeredAt: null,
    reopenedCount: 0,
    promisedBy: null,
    rating: null,
    escalated: false,
    idempotencyKey: `telegram:msg-${randomUUID()}`,
    createdAt: at(0),
    updatedAt: at(0),
    ...over,
  };
}

const open: CaseStatus[] = ['new', 'routed', 'in_progress', 'waiting', 'reopened'];

describeContract('case repository', (store) => {
  const run = store.run;
  const insert = (c: Case) => store.uow.run((r) => r.cases.insertIfNew(c));
  const byId = (id: string) => store.uow.run((r) => r.cases.findById(id));

  describe('nextNumber', () => {
    it('starts at 1 and counts up, separately per prefix and per year', async () => {
      const next = (prefix: string, year: number) => run((r) => r.cases.nextNumber(prefix, year));
      expect(await next('AAA', 2026)).toBe(1);
      expect(await next('AAA', 2026)).toBe(2);
      expect(await next('AAA', 2027)).toBe(1);
      expect(await next('BBB', 2026)).toBe(1);
      expect(await next('AAA', 2026)).toBe(3);
    });

    it('never hands one number out twice: 60 callers on 3 connections at once', async () => {
      const { values, errors } = await settle(
        Array.from({ length: 60 }, (_, i) =>
          store.uows[i % store.uows.length]!.transaction((r) => r.cases.nextNumber('RACE', 2026)),
        ),
      );
      expect(errors).toEqual([]);
      expect(new Set(values).size).toBe(60);
      expect(Math.min(...values)).toBe(1);
      expect(Math.max(...values)).toBe(60);
    });
  });

  describe('insertNumbered', () => {
    const created = (c: Case) => ({
      caseId: c.id,
      at: at(0),
      actor: 'resident',
      type: 'created' as const,
      detail: { reference: '', topic: 'afval', note: 'één "quote"' },
    });

    it('stores the case and its event under the next reference, as formatReference makes it, numbers past 999999 too', async () => {
      const numbering = referenceNumbering('NUM', 2026);
      const c = aCase();
      const reference = await store.uow.transaction((r) => r.cases.insertNumbered(c, numbering, created(c)));
      expect(reference).toBe(formatReference('NUM', 2026, 1));
      expect(await byId(c.id)).toEqual({ ...c, reference });
      const history = await run((r) => r.cases.events(c.id));
      expect(history.map((e) => e.detail)).toEqual([{ reference, topic: 'afval', note: 'één "quote"' }]);
      // Stored as JSON.stringify writes it on every database: the reference first, where the caller put it.
      const raw = await store.databases[0]!.run((m) =>
        sql<{ detail: string }>(m, store.kind, 'SELECT detail FROM case_events WHERE case_id = ?', [c.id]),
      );
      expect(raw.rows[0]?.detail).toBe(JSON.stringify({ reference, topic: 'afval', note: 'één "quote"' }));

      await store.databases[0]!.run((m) =>
        store.kind === 'postgres'
          ? sql(m, 'postgres', 'SELECT setval(?::regclass, 1234566)', [`"${caseSequenceName('NUM', 2026)}"`])
          : sql(m, 'sqlite', 'UPDATE case_counters SET value = 1234566 WHERE prefix = ? AND year = ?', [
              'NUM',
              2026,
            ]),
      );
      const big = aCase();
      expect(await store.uow.transaction((r) => r.cases.insertNumbered(big, numbering, created(big)))).toBe(
        formatReference('NUM', 2026, 1234567),
      );
      expect(
        await store.uow.transaction((r) => r.cases.insertNumbered(aCase(), referenceNumbering('NUM', 2027))),
      ).toBe('NUM-2027-000001');
    });

    it('gives null for a used idempotency key, stores nothing and skips that number; racers each get their own', async () => {
      const numbering = referenceNumbering('IDEM', 2026);
      const first = aCase();
      expect(await run((r) => r.cases.insertNumbered(first, numbering, created(first)))).toBe(
        'IDEM-2026-000001',
      );
      const repeat = aCase({ idempotencyKey: first.idempotencyKey });
      expect(await run((r) => r.cases.insertNumbered(repeat, numbering, created(repeat)))).toBeNull();
      expect(await byId(repeat.id)).toBeNull();
      expect(await run((r) => r.cases.events(repeat.id))).toEqual([]);
      const racers = Array.from({ length: 24 }, () => aCase());
      const { values, errors } = await settle(
        racers.map((c, i) =>
          store.uows[i % store.uows.length]!.transaction((r) =>
            r.cases.insertNumbered(c, numbering, created(c)),
          ),
        ),
      );
      expect(errors).toEqual([]);
      expect(new Set(values).size).toBe(24);
      expect(values).not.toContain('IDEM-2026-000001');
      expect(values).not.toContain('IDEM-2026-000002');
    });
  });

  describe('insertIfNew and the finders', () => {
    it('stores every field as given and reads it back by id, reference and idempotency key', async () => {
      const c = aCase({
        status: 'answered',
        residentName: 'Zoë',
        assignee: { type: 'department', id: 'wijkbeheer', name: 'Wijkbeheer & Groen' },
        handler: { id: 'user-17', name: 'Kim de Groot' },
        waitingSince: new Date(T0 + 45),
        answer: 'Wij legen de container morgen.',
        answeredAt: at(90.5),
        reopenedCount: 2,
        rating: 4,
        escalated: true,
        districtId: null,
        answerBy: new Date(T0 + 5 * 86_400_000 + 123),
        createdAt: new Date(T0 + 7),
        updatedAt: new Date(T0 + 999),
      });
      expect(await insert(c)).toBe(true);
      expect(await byId(c.id)).toEqual(c);
      expect(await run((r) => r.cases.findByReference(c.reference))).toEqual(c);
      expect(await run((r) => r.cases.findByIdempotencyKey(c.idempotencyKey))).toEqual(c);
    });

    it('keeps an alderman assignee and a case without one apart', async () => {
      const withAlderman = aCase({
        assignee: { type: 'alderman', id: 'anna-de-vries' },
        status: 'routed',
      });
      const without = aCase();
      await insert(withAlderman);
      await insert(without);
      expect((await byId(withAlderman.id))?.assignee).toEqual({ type: 'alderman', id: 'anna-de-vries' });
      expect((await byId(without.id))?.assignee).toBeNull();
    });

    it('keeps any text a resident writes, exactly: accents, emoji, right-to-left script, quotes, new lines', async () => {
      const text =
        "Café 'De Ster' — één vraag: waarom?\n" +
        'مرحبا، متى تُفرغ الحاوية؟ 🗑️👍🏽 \\ "quoted" %_ ? $1 :name \t tab\r\nZoë Þór 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ' +
        'x'.repeat(5000);
      const c = aCase({
        text,
        answer: '✔ opgelost — ﷽',
        assignee: { type: 'department', id: 'kcc', name: 'KCC “Klant”' },
      });
      await insert(c);
      expect(await byId(c.id)).toEqual(c);
    });

    it('says null for what is not there', async () => {
      expect(await byId(randomUUID())).toBeNull();
      expect(await run((r) => r.cases.findByReference('RSW-2026-999999'))).toBeNull();
      expect(await run((r) => r.cases.findByIdempotencyKey('telegram:never'))).toBeNull();
    });

    it('refuses a second case with a used idempotency key and stores nothing of it', async () => {
      const first = aCase();
      const second = aCase({ idempotencyKey: first.idempotencyKey, text: 'de tweede' });
      expect(await insert(first)).toBe(true);
      expect(await insert(second)).toBe(false);
      expect(await byId(second.id)).toBeNull();
      expect(await run((r) => r.cases.findByReference(second.reference))).toBeNull();
      expect(await run((r) => r.cases.findByIdempotencyKey(first.idempotencyKey))).toEqual(first);
    });

    it('lets a transaction go on after a refused insert (no aborted transaction on PostgreSQL)', async () => {
      const first = aCase();
      await insert(first);
      const later = aCase();
      const result = await store.uow.transaction(async (r) => {
        const refused = await r.cases.insertIfNew(aCase({ idempotencyKey: first.idempotencyKey }));
        const stored = await r.cases.insertIfNew(later);
        return { refused, stored };
      });
      expect(result).toEqual({ refused: false, stored: true });
      expect(await byId(later.id)).toEqual(later);
    });

    it('stores one case when 20 requests with one idempotency key race on 3 connections', async () => {
      const key = `whatsapp:race-${randomUUID()}`;
      const racers = Array.from({ length: 20 }, () => aCase({ idempotencyKey: key }));
      const { values, errors } = await settle(
        racers.map((c, i) => store.uows[i % store.uows.length]!.transaction((r) => r.cases.insertIfNew(c))),
      );
      expect(errors).toEqual([]);
      expect(values.filter(Boolean)).toHaveLength(1);
      const winner = racers[values.indexOf(true)]!;
      expect(await run((r) => r.cases.findByIdempotencyKey(key))).toEqual(winner);
    });
  });

  describe('update (compare-and-set)', () => {
    it('applies the changes while the status is as expected, and only the fields given', async () => {
      const c = aCase();
      await insert(c);
      const changes = {
        status: 'routed' as const,
        assignee: { type: 'alderman' as const, id: 'pieter-jansen' },
        updatedAt: at(5),
      };
      expect(await run((r) => r.cases.update(c.id, { status: 'new' }, changes))).toBe(true);
      expect(await byId(c.id)).toEqual({ ...c, ...changes });
    });

    it('refuses when the status moved on, and changes nothing', async () => {
      const c = aCase({ status: 'routed' });
      await insert(c);
      expect(await run((r) => r.cases.update(c.id, { status: 'new' }, { status: 'closed' }))).toBe(false);
      expect(await byId(c.id)).toEqual(c);
    });

    it('records the event given with a change only when the change went in, and a case created with its first event', async () => {
      const c = aCase();
      const created = {
        caseId: c.id,
        at: at(0),
        actor: 'resident',
        type: 'created' as const,
        detail: { n: 0 },
      };
      expect(await run((r) => r.cases.insertIfNew(c, created))).toBe(true);
      expect(
        await run((r) => r.cases.insertIfNew(aCase({ idempotencyKey: c.idempotencyKey }), created)),
      ).toBe(false);
      const routed = { caseId: c.id, at: at(5), actor: 'system', type: 'routed' as const, detail: { n: 1 } };
      const stale = { ...routed, detail: { n: 2 } };
      expect(await run((r) => r.cases.update(c.id, { status: 'new' }, { status: 'routed' }, routed))).toBe(
        true,
      );
      expect(await run((r) => r.cases.update(c.id, { status: 'new' }, { status: 'closed' }, stale))).toBe(
        false,
      );
      const history = await run((r) => r.cases.events(c.id));
      expect(history.map((e) => [e.type, e.actor, e.at, e.detail])).toEqual([
        ['created', 'resident', at(0), { n: 0 }],
        ['routed', 'system', at(5), { n: 1 }],
      ]);
    });

    it('checks the escalated flag only when it is given', async () => {
      const c = aCase({ status: 'routed', escalated: true });
      await insert(c);
      const expectNot = { status: 'routed' as const, escalated: false };
      expect(await run((r) => r.cases.update(c.id, expectNot, { rating: 1 }))).toBe(false);
      expect(
        await run((r) => r.cases.update(c.id, { status: 'routed', escalated: true }, { rating: 2 })),
      ).toBe(true);
      expect(await run((r) => r.cases.update(c.id, { status: 'routed' }, { escalated: false }))).toBe(true);
      expect(await byId(c.id)).toMatchObject({ rating: 2, escalated: false });
    });

    it('clears fields set to null: the assignee, the handler, the wait, the answer, the rating', async () => {
      const c = aCase({
        status: 'answered',
        assignee: { type: 'department', id: 'kcc', name: 'KCC' },
        handler: { id: 'user-3', name: 'Sam' },
        waitingSince: at(5),
        answer: 'Gedaan.',
        answeredAt: at(10),
        rating: 5,
      });
      await insert(c);
      const cleared = {
        handler: null,
        waitingSince: null,
        assignee: null,
        answer: null,
        answeredAt: null,
        rating: null,
        status: 'reopened' as const,
      };
      expect(await run((r) => r.cases.update(c.id, { status: 'answered' }, cleared))).toBe(true);
      expect(await byId(c.id)).toEqual({ ...c, ...cleared });
    });

    it('says false for a case that does not exist', async () => {
      expect(await run((r) => r.cases.update(randomUUID(), { status: 'new' }, { status: 'routed' }))).toBe(
        false,
      );
    });

    it('lets exactly one of 12 concurrent changes from one status win', async () => {
      const c = aCase({ status: 'routed' });
      await insert(c);
      const { values, errors } = await settle(
        Array.from({ length: 12 }, (_, i) =>
          store.uows[i % store.uows.length]!.transaction((r) =>
            r.cases.update(c.id, { status: 'routed' }, { status: 'in_progress', rating: i + 1 }),
          ),
        ),
      );
      expect(errors).toEqual([]);
      expect(values.filter(Boolean)).toHaveLength(1);
      const winner = values.indexOf(true) + 1;
      expect(await byId(c.id)).toMatchObject({ status: 'in_progress', rating: winner });
    });
  });

  describe('lists', () => {
    it('lists an assignee’s cases in the given statuses, earliest answer-by first, then oldest', async () => {
      const id = `alderman-${randomUUID()}`;
      const mine = { type: 'alderman' as const, id };
      const cases = [
        aCase({ assignee: mine, status: 'routed', answerBy: at(300), createdAt: at(2) }),
        aCase({ assignee: mine, status: 'in_progress', answerBy: at(100), createdAt: at(3) }),
        aCase({ assignee: mine, status: 'reopened', answerBy: at(300), createdAt: at(1) }),
        aCase({ assignee: mine, status: 'closed', answerBy: at(50) }),
        aCase({
          assignee: { type: 'department', id, name: 'zelfde id' },
          status: 'routed',
          answerBy: at(10),
        }),
        aCase({ assignee: { type: 'alderman', id: `${id}-x` }, status: 'routed', answerBy: at(10) }),
      ];
      for (const c of cases) await insert(c);
      const listed = await run((r) => r.cases.listForAssignee('alderman', id, open));
      expect(listed.map((c) => c.id)).toEqual([cases[1]!.id, cases[2]!.id, cases[0]!.id]);
      expect(await run((r) => r.cases.listForAssignee('alderman', id, ['closed']))).toEqual([cases[3]]);
      expect(await run((r) => r.cases.listForAssignee('department', id, open))).toEqual([cases[4]]);
      expect(await run((r) => r.cases.listForAssignee('alderman', 'nobody', open))).toEqual([]);
    });

    it('lists a resident’s cases newest first, the higher reference first at the same moment', async () => {
      const residentKey = `web:${randomUUID()}`;
      const older = aCase({ residentKey, createdAt: at(1) });
      const newer = aCase({ residentKey, createdAt: at(5) });
      const sameMomentLow = aCase({
        residentKey,
        createdAt: at(3),
        reference: `RSW-2026-7${String(counter)}`,
      });
      const sameMomentHigh = aCase({
        residentKey,
        createdAt: at(3),
        reference: `RSW-2026-8${String(counter)}`,
      });
      for (const c of [older, sameMomentHigh, newer, sameMomentLow]) await insert(c);
      await insert(aCase()); // someone else's
      const listed = await run((r) => r.cases.listForResident(residentKey));
      expect(listed.map((c) => c.id)).toEqual([newer.id, sameMomentHigh.id, sameMomentLow.id, older.id]);
      expect(await run((r) => r.cases.listForResident(`web:${randomUUID()}`))).toEqual([]);
    });

    it('lists overdue cases: answer-by at or before now, open, not escalated; earliest first', async () => {
      const topic = `overdue-${randomUUID().slice(0, 8)}`;
      const now = at(10_000);
      const due = [
        aCase({ topic, status: 'routed', answerBy: now }), // exactly now counts
        aCase({ topic, status: 'in_progress', answerBy: at(9_000) }),
        aCase({ topic, status: 'reopened', answerBy: new Date(now.getTime() - 1) }),
      ];
      const notDue = [
        aCase({ topic, status: 'routed', answerBy: new Date(now.getTime() + 1) }),
        aCase({ topic, status: 'routed', answerBy: at(1), escalated: true }),
        aCase({ topic, status: 'answered', answerBy: at(1) }),
        aCase({ topic, status: 'closed', answerBy: at(1) }),
      ];
      for (const c of [...notDue, ...due]) await insert(c);
      const listed = (await run((r) => r.cases.listOverdue(now, open))).filter((c) => c.topic === topic);
      expect(listed.map((c) => c.id)).toEqual([due[1]!.id, due[2]!.id, due[0]!.id]);
    });

    it('lists new cases created at or before a moment, oldest first, whatever else happened to them', async () => {
      const before = at(-10_000);
      const lost = [aCase({ createdAt: at(-20_000) }), aCase({ createdAt: before })];
      const others = [
        aCase({ createdAt: new Date(before.getTime() + 1) }),
        aCase({ createdAt: at(-30_000), status: 'routed' }),
      ];
      for (const c of [...others, ...lost]) await insert(c);
      const listed = await run((r) => r.cases.listUnrouted(before));
      expect(listed.map((c) => c.id)).toEqual(lost.map((c) => c.id));
    });

    it('compares instants, not the zone the process or the database session is in', async () => {
      const topic = `zone-${randomUUID().slice(0, 8)}`;
      // 2026-03-29 01:30 UTC: the hour Europe/Amsterdam springs forward (02:00 → 03:00 local).
      const dst = Date.UTC(2026, 2, 29, 1, 30);
      const c = aCase({
        topic,
        status: 'routed',
        answerBy: new Date(dst),
        createdAt: new Date(dst - 3_600_000),
      });
      await inZone('America/St_Johns', () => insert(c));
      for (const zone of ['UTC', 'Europe/Amsterdam', 'Pacific/Chatham', 'America/St_Johns']) {
        await inZone(zone, async () => {
          expect(await byId(c.id), zone).toEqual(c);
          const due = await run((r) => r.cases.listOverdue(new Date(dst), open));
          expect(
            due.filter((x) => x.topic === topic).map((x) => x.id),
            zone,
          ).toEqual([c.id]);
          const early = await run((r) => r.cases.listOverdue(new Date(dst - 1), open));
          expect(
            early.filter((x) => x.topic === topic),
            zone,
          ).toEqual([]);
        });
      }
    });
  });

  describe('events', () => {
    it('numbers events in order and gives a case’s history oldest first, details intact', async () => {
      const c = aCase();
      await insert(c);
      const other = aCase();
      await insert(other);
      const first = await run((r) =>
        r.cases.addEvent({ caseId: c.id, at: at(1), actor: 'resident', type: 'created', detail: {} }),
      );
      await run((r) =>
        r.cases.addEvent({ caseId: other.id, at: at(1), actor: 'system', type: 'created', detail: {} }),
      );
      const detail = {
        reference: c.reference,
        assignee: { type: 'department', id: 'kcc', name: 'KCC' },
        note: 'één 🙂 "x" \n مرحبا',
        nested: [1, null, true, { deep: ['a'] }],
      };
      // The same moment as the first: the order comes from the numbering, not the time.
      const second = await run((r) =>
        r.cases.addEvent({ caseId: c.id, at: at(1), actor: 'operator:kim', type: 'routed', detail }),
      );
      expect(first.id).toBeTypeOf('number');
      expect(second.id).toBeGreaterThan(first.id);
      const history = await run((r) => r.cases.events(c.id));
      expect(history).toEqual([
        { id: first.id, caseId: c.id, at: at(1), actor: 'resident', type: 'created', detail: {} },
        { id: second.id, caseId: c.id, at: at(1), actor: 'operator:kim', type: 'routed', detail },
      ]);
      expect(history[1]).toEqual(second);
    });

    it('gives an empty history for an unknown case, and refuses an event for one', async () => {
      expect(await run((r) => r.cases.events(randomUUID()))).toEqual([]);
      await expect(
        run((r) =>
          r.cases.addEvent({
            caseId: randomUUID(),
            at: at(0),
            actor: 'system',
            type: 'escalated',
            detail: {},
          }),
        ),
      ).rejects.toThrow();
    });

    it('keeps the events of a transaction that failed out of the history', async () => {
      const c = aCase();
      await insert(c);
      await expect(
        store.uow.transaction(async (r) => {
          await r.cases.addEvent({
            caseId: c.id,
            at: at(2),
            actor: 'system',
            type: 'routed',
            detail: {},
          });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await run((r) => r.cases.events(c.id))).toEqual([]);
    });
  });

  describe('a proposal (a case of the kind "proposal")', () => {
    const details = {
      where: 'Speeltuin “De Eik”, Vioolstraat',
      who: 'Buren 🌱',
      help: 'Een vergunning\nen geld',
    };

    it('stores its kind, where, who and help and its stage; the stage changes like any field', async () => {
      const c = aCase({ kind: 'proposal', proposal: details, stage: 'received', text: 'Een moestuin' });
      expect(await insert(c)).toBe(true);
      expect(await byId(c.id)).toEqual(c);
      const changes = {
        stage: 'not_possible' as const,
        status: 'answered' as const,
        answer: 'Het veld is nodig.',
      };
      expect(await run((r) => r.cases.update(c.id, { status: 'new' }, changes))).toBe(true);
      expect(await byId(c.id)).toEqual({ ...c, ...changes });
      // A question stays a question, without proposal fields.
      const q = aCase();
      await insert(q);
      expect(await byId(q.id)).toMatchObject({ kind: 'question', proposal: null, stage: null });
    });

    it('the inbox filters and counts by kind', async () => {
      const word = `moestuin${randomUUID().slice(0, 8)}`;
      const proposal = aCase({
        kind: 'proposal',
        proposal: details,
        stage: 'received',
        text: `${word} plan`,
      });
      const question = aCase({ text: `${word} vraag` });
      await insert(proposal);
      await insert(question);
      const query = (kind?: 'proposal' | 'question') =>
        run((r) =>
          r.cases.inbox({
            scope: { kind: 'all' },
            viewerId: 'v-1',
            filters: kind ? { kind } : {},
            search: { words: [word] },
            now: at(0),
            dueSoonUntil: at(60 * 24),
            openStatuses: open,
            offset: 0,
            limit: 10,
          }),
        );
      const proposals = await query('proposal');
      expect(proposals.cases.map((c) => c.id)).toEqual([proposal.id]);
      expect(proposals.counts.kind).toEqual({ proposal: 1, question: 1 });
      expect((await query('question')).cases.map((c) => c.id)).toEqual([question.id]);
      expect((await query()).total).toBe(2);
    });

    it('anonymising clears where, who and help with the text; erasure does the same for one resident', async () => {
      const settled = aCase({
        kind: 'proposal',
        proposal: details,
        stage: 'supported',
        status: 'answered',
        answeredAt: at(1),
        updatedAt: at(1),
      });
      await insert(settled);
      const mine = aCase({ kind: 'proposal', proposal: details, stage: 'received' });
      await insert(mine);
      const [channel = '', userId = ''] = mine.residentKey.split(':');
      const subject = { address: { channel, userId }, key: mine.residentKey, needles: [], refs: [mine.id] };
      const exported = await run((r) => r.cases.personalData(subject));
      expect(JSON.stringify(exported.cases)).toContain('Vioolstraat');
      await store.uow.transaction((r) => r.cases.erasePersonalData(subject));
      expect(await byId(mine.id)).toMatchObject({
        proposal: null,
        text: '',
        status: 'closed',
        stage: 'received',
      });
      await store.uow.transaction((r) =>
        r.cases.anonymiseSettled({ before: at(60 * 24 * 365 * 10), limit: 1000, dryRun: false }),
      );
      expect(await byId(settled.id)).toMatchObject({
        proposal: null,
        text: '',
        kind: 'proposal',
        stage: 'supported',
      });
    });
  });
});
