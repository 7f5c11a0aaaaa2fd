import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../src/storage/database.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import type { UnitOfWork } from '../../src/ports/unit-of-work.js';
import {
  answerCase,
  caseEvents,
  casesForAssignee,
  casesForResident,
  closeCase,
  createCase,
  findForResident,
  getCase,
  rateCase,
  reassignCase,
  reopenCase,
  routeCase,
  startCase,
  type CreateCaseInput,
} from '../../src/features/cases/case-service.js';
import { dueForEscalation, markEscalated } from '../../src/features/cases/escalation.js';
import {
  ConcurrentCaseChangeError,
  IllegalTransitionError,
  InvalidCaseInputError,
  NotAnsweredError,
  ReopenWindowClosedError,
} from '../../src/features/cases/errors.js';
import { databaseKinds, freshTarget } from '../support/services.js';
import { holidays, rijswijk, timeZone } from './support.js';

const districts = [
  { id: 'oud-rijswijk', aldermanId: 'anna-de-vries' },
  { id: 'te-werve', aldermanId: 'pieter-jansen' },
];
const rules = rijswijk.routing.rules;
const T0 = new Date('2026-04-02T08:00:00Z');
const DAY = 86_400_000;

function input(overrides: Partial<CreateCaseInput> = {}): CreateCaseInput {
  return {
    residentKey: 'telegram:1001',
    channel: 'telegram',
    language: 'nl',
    districtId: 'te-werve',
    topic: 'overig',
    text: 'Wanneer wordt de stoep in mijn straat gerepareerd?',
    idempotencyKey: `msg-${Math.random()}`,
    now: T0,
    prefix: 'RSW',
    norm: 5,
    holidays,
    timeZone,
    ...overrides,
  };
}

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`cases on ${kind}`, () => {
    let db: Database;
    let uow: UnitOfWork;
    let cleanup: () => Promise<void>;

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

    const count = async (sql: string, ...params: unknown[]): Promise<number> => {
      const p = kind === 'postgres' ? params.map((_, i) => `$${i + 1}`) : params.map(() => '?');
      const text = sql.replace(/\?/g, () => p.shift()!);
      const rows = await db.dataSource.query<{ n: number | string }[]>(text, params);
      return Number(rows[0]!.n);
    };

    it('creates a case with a reference, an answer-by date and a created event, and reads it back', async () => {
      const c = await uow.transaction((repos) => createCase(repos, input({ idempotencyKey: 'msg-1' })));
      expect(c).toMatchObject({
        reference: 'RSW-2026-000001',
        status: 'new',
        assignee: null,
        escalated: false,
      });
      // Thursday before Easter + 5 working days (Easter Monday closed) → Friday 10 April, end of day.
      expect(c.answerBy.toISOString()).toBe('2026-04-10T21:59:59.999Z');
      const stored = await uow.run((repos) => getCase(repos, c.id));
      expect(stored).toEqual(c);
      const events = await uow.run((repos) => caseEvents(repos, c.id));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'created',
        actor: 'resident',
        at: T0,
        detail: { reference: c.reference },
      });
    });

    it('numbers each year in the municipality time zone from 1', async () => {
      const late = await uow.transaction((repos) =>
        createCase(repos, input({ now: new Date('2026-12-31T22:30:00Z') })),
      );
      const early = await uow.transaction((repos) =>
        createCase(repos, input({ now: new Date('2026-12-31T23:30:00Z') })),
      );
      expect(late.reference).toBe('RSW-2026-000001');
      expect(early.reference).toBe('RSW-2027-000001'); // 00:30 on New Year's Day in Amsterdam
    });

    it('gives 50 concurrent creates 50 different references', async () => {
      const cases = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          uow.transaction((repos) => createCase(repos, input({ idempotencyKey: `m-${i}` }))),
        ),
      );
      const references = cases.map((c) => c.reference);
      expect(new Set(references).size).toBe(50);
      expect(references.every((r) => /^RSW-2026-\d{6}$/.test(r))).toBe(true);
      expect(await count('SELECT COUNT(DISTINCT reference) AS n FROM cases')).toBe(50);
      expect(await count("SELECT COUNT(*) AS n FROM case_events WHERE type = 'created'")).toBe(50);
    });

    it('regression: 20 concurrent creates with one message id make ONE case, also inside PostgreSQL transactions', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          uow.transaction((repos) => createCase(repos, input({ idempotencyKey: 'dup-1' }))),
        ),
      );
      expect(new Set(results.map((c) => c.id)).size).toBe(1);
      expect(await count('SELECT COUNT(*) AS n FROM cases WHERE idempotency_key = ?', 'dup-1')).toBe(1);
      expect(await count('SELECT COUNT(*) AS n FROM case_events')).toBe(1);
    });

    it('makes one case from 20 concurrent duplicates outside a transaction too', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          uow.run((repos) => createCase(repos, input({ idempotencyKey: 'dup-2' }))),
        ),
      );
      expect(new Set(results.map((c) => c.reference)).size).toBe(1);
      expect(await count('SELECT COUNT(*) AS n FROM cases')).toBe(1);
    });

    it('refuses an empty or too long question', async () => {
      await expect(uow.run((repos) => createCase(repos, input({ text: '   ' })))).rejects.toThrow(
        InvalidCaseInputError,
      );
      await expect(
        uow.run((repos) => createCase(repos, input({ text: 'x'.repeat(4001) }))),
      ).rejects.toMatchObject({
        code: 'case.text_too_long',
      });
      expect(await count('SELECT COUNT(*) AS n FROM cases')).toBe(0);
    });

    it('routes, answers, reopens within 7 days, answers again, closes and is rated, with an event for each step', async () => {
      const c = await uow.transaction((repos) => createCase(repos, input({ idempotencyKey: 'life' })));
      const at = (days: number) => new Date(T0.getTime() + days * DAY);
      await uow.transaction(async (repos) => {
        const routed = await routeCase(repos, c.id, rules, districts, at(0.01));
        expect(routed).toMatchObject({
          status: 'routed',
          assignee: { type: 'alderman', id: 'pieter-jansen' },
        });
        expect(await routeCase(repos, c.id, rules, districts, at(0.02))).toEqual(routed); // a repeated job does nothing
      });
      await uow.transaction((repos) => startCase(repos, c.id, 'alderman:pieter-jansen', at(1)));
      const answered = await uow.transaction((repos) =>
        answerCase(repos, c.id, 'alderman:pieter-jansen', 'Volgende week.', at(2)),
      );
      expect(answered).toMatchObject({ status: 'answered', answer: 'Volgende week.', answeredAt: at(2) });
      const reopened = await uow.transaction((repos) =>
        reopenCase(repos, c.id, 'Welke dag precies?', at(8.9), { deadline: { norm: 5, holidays, timeZone } }),
      );
      expect(reopened).toMatchObject({ status: 'reopened', reopenedCount: 1, escalated: false });
      expect(reopened.answerBy.getTime()).toBeGreaterThan(c.answerBy.getTime());
      await uow.transaction((repos) => answerCase(repos, c.id, 'operator:kcc-1', 'Dinsdag.', at(9)));
      await uow.transaction((repos) => closeCase(repos, c.id, 'operator:kcc-1', at(10)));
      const rated = await uow.transaction((repos) => rateCase(repos, c.id, 4, at(10.5)));
      expect(rated).toMatchObject({ status: 'closed', rating: 4, answer: 'Dinsdag.' });
      expect(await uow.run((repos) => getCase(repos, c.id))).toEqual(rated);

      const events = await uow.run((repos) => caseEvents(repos, c.id));
      expect(events.map((e) => `${e.type} ${e.actor}`)).toEqual([
        'created resident',
        'routed system',
        'started alderman:pieter-jansen',
        'answered alderman:pieter-jansen',
        'reopened resident',
        'answered operator:kcc-1',
        'closed operator:kcc-1',
        'rated resident',
      ]);
      expect(events[3]!.detail).toEqual({ text: 'Volgende week.' });
      expect(events[4]!.detail).toMatchObject({ text: 'Welke dag precies?' });
      expect(events.map((e) => e.at.getTime())).toEqual(
        [...events.map((e) => e.at.getTime())].sort((a, b) => a - b),
      );
    });

    it('refuses a follow-up more than 7 days after the answer, and illegal moves', async () => {
      const c = await uow.transaction((repos) => createCase(repos, input({ idempotencyKey: 'late' })));
      await expect(uow.run((repos) => answerCase(repos, c.id, 'system', 'Te vroeg', T0))).rejects.toThrow(
        IllegalTransitionError,
      );
      await expect(uow.run((repos) => rateCase(repos, c.id, 5, T0))).rejects.toThrow(NotAnsweredError);
      await uow.run((repos) => routeCase(repos, c.id, rules, districts, T0));
      await uow.run((repos) => answerCase(repos, c.id, 'alderman:pieter-jansen', 'Antwoord', T0));
      await expect(
        uow.run((repos) => reopenCase(repos, c.id, 'Nog een vraag', new Date(T0.getTime() + 7 * DAY + 1))),
      ).rejects.toThrow(ReopenWindowClosedError);
      await expect(uow.run((repos) => rateCase(repos, c.id, 6, T0))).rejects.toMatchObject({
        code: 'case.rating_invalid',
      });
      expect((await uow.run((repos) => getCase(repos, c.id))).status).toBe('answered');
    });

    it.each(['run', 'transaction'] as const)(
      'lets only one of two concurrent answers win (%s)',
      async (mode) => {
        const c = await uow.transaction((repos) => createCase(repos, input({ idempotencyKey: 'race' })));
        await uow.run((repos) => routeCase(repos, c.id, rules, districts, T0));
        const results = await Promise.allSettled(
          ['A', 'B'].map((who) =>
            uow[mode]((repos) => answerCase(repos, c.id, `operator:${who}`, `Antwoord ${who}`, T0)),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        // The loser either lost the compare-and-set or, serialised after the winner, saw "answered".
        const loser = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error;
        expect([ConcurrentCaseChangeError, IllegalTransitionError].some((E) => loser instanceof E)).toBe(
          true,
        );
        expect(await count("SELECT COUNT(*) AS n FROM case_events WHERE type = 'answered'")).toBe(1);
      },
    );

    it('changes nothing when the expected status is stale (the compare-and-set under every command)', async () => {
      const c = await uow.transaction((repos) => createCase(repos, input({ idempotencyKey: 'cas' })));
      await uow.run(async (repos) => {
        expect(
          await repos.cases.update(c.id, { status: 'routed' }, { status: 'answered', answer: 'x' }),
        ).toBe(false);
        expect(await repos.cases.update(c.id, { status: 'new', escalated: true }, { escalated: false })).toBe(
          false,
        );
        expect(await repos.cases.update(c.id, { status: 'new' }, { rating: 3 })).toBe(true);
        expect(await getCase(repos, c.id)).toMatchObject({ status: 'new', answer: null, rating: 3 });
      });
    });

    it("gives another resident's reference exactly the same null as a made-up one", async () => {
      const mine = await uow.transaction((repos) =>
        createCase(repos, input({ idempotencyKey: 'a', residentKey: 'whatsapp:31600000001' })),
      );
      await uow.transaction((repos) =>
        createCase(repos, input({ idempotencyKey: 'b', residentKey: 'telegram:2002' })),
      );
      await uow.run(async (repos) => {
        expect((await findForResident(repos, 'whatsapp:31600000001', 'rsw 2026 1'))?.id).toBe(mine.id);
        expect(await findForResident(repos, 'telegram:2002', mine.reference)).toBeNull();
        expect(await findForResident(repos, 'telegram:2002', 'RSW-2026-999999')).toBeNull();
        expect(await findForResident(repos, 'telegram:2002', 'onzin')).toBeNull();
        expect((await casesForResident(repos, 'whatsapp:31600000001')).map((c) => c.id)).toEqual([mine.id]);
      });
    });

    it('lists an assignee’s open cases, earliest answer-by first, and reassigns', async () => {
      const make = (key: string, days: number) =>
        uow.transaction(async (repos) => {
          const c = await createCase(
            repos,
            input({ idempotencyKey: key, now: new Date(T0.getTime() + days * DAY) }),
          );
          return routeCase(repos, c.id, rules, districts, c.createdAt);
        });
      const later = await make('later', 6);
      const sooner = await make('sooner', 0);
      const done = await make('done', 1);
      await uow.run((repos) => answerCase(repos, done.id, 'alderman:pieter-jansen', 'Klaar', T0));
      await uow.run(async (repos) => {
        expect((await casesForAssignee(repos, 'alderman', 'pieter-jansen')).map((c) => c.id)).toEqual([
          sooner.id,
          later.id,
        ]);
      });
      const moved = await uow.run((repos) =>
        reassignCase(
          repos,
          later.id,
          { type: 'department', id: 'wijkteam', name: 'Sociaal Wijkteam' },
          'operator:kcc-1',
          T0,
        ),
      );
      expect(moved).toMatchObject({
        status: 'routed',
        assignee: { type: 'department', id: 'wijkteam', name: 'Sociaal Wijkteam' },
      });
      await uow.run(async (repos) => {
        expect((await casesForAssignee(repos, 'department', 'wijkteam')).map((c) => c.id)).toEqual([
          later.id,
        ]);
        expect((await caseEvents(repos, later.id)).at(-1)).toMatchObject({
          type: 'reassigned',
          actor: 'operator:kcc-1',
        });
      });
    });

    it('finds overdue cases and escalates each once, with an event', async () => {
      const c = await uow.transaction((repos) => createCase(repos, input({ idempotencyKey: 'late-1' })));
      await uow.run((repos) => routeCase(repos, c.id, rules, districts, T0));
      await uow.run(async (repos) => {
        expect(await dueForEscalation(repos, new Date(c.answerBy.getTime() - 1))).toEqual([]);
        expect((await dueForEscalation(repos, c.answerBy)).map((x) => x.id)).toEqual([c.id]);
      });
      const after = new Date(c.answerBy.getTime() + 1);
      const results = await Promise.all(
        [1, 2, 3].map(() => uow.transaction((repos) => markEscalated(repos, c.id, after))),
      );
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect(results.every((r) => r.case?.escalated)).toBe(true);
      await uow.run(async (repos) => {
        expect(await dueForEscalation(repos, after)).toEqual([]);
        expect((await caseEvents(repos, c.id)).filter((e) => e.type === 'escalated')).toHaveLength(1);
      });
    });
  });
}
