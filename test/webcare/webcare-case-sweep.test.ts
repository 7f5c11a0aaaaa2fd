import { afterEach, describe, expect, it } from 'vitest';
import type { JobHandler } from '../../src/ports/queue.js';
import { startTestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget } from '../support/services.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/**
 * Regression: a case an operator made from a webcare takeover, with a department chosen, whose
 * `case.route` job was lost (a Redis that came back empty) was routed by the sweep with the routing
 * rules, not to the department the operator chose. The choice is kept with the case, so the sweep
 * routes it there. On SQLite and on PostgreSQL (the choice is stored in the case's history).
 */
describe.each(databaseKinds)('a webcare case whose routing job was lost, on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'the sweep routes it to the department the operator chose',
    { timeout: 120_000 },
    async () => {
      const { url, cleanup } = await freshTarget(kind);
      cleanups.push(cleanup);
      // The routing job the case was made with never runs: it is lost as a Redis restart loses it.
      const lost: string[] = [];
      const wrapJob = (name: string, handler: JobHandler<never>): JobHandler<never> =>
        name !== 'case.route'
          ? handler
          : async (job) => {
              if (/^case-route-[0-9a-f-]{36}$/.test(job.id)) lost.push(job.id);
              else await handler(job);
            };
      // Sweeps only when the test says so; a new case is unrouted at once.
      const t = await startTestApp({
        databaseUrl: url,
        app: { faults: { wrapJob }, sweepMs: 3_600_000, unroutedAfterMs: 0 },
      });
      cleanups.push(() => t.driver.close());
      const { app, driver } = t;
      const { account } = await app.commands.accounts.add(
        { email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' },
        'test',
      );
      const olga = { id: account.id, name: account.name, role: 'operator' as const };
      await driver.send('anna', 'medewerker');
      await app.commands.webcare.take(olga, 'console:anna');

      // The rules send a waste question to Team Afval; the operator chose Team Vergunningen.
      const made = await app.commands.webcare.makeCase(olga, 'console:anna', {
        topic: 'afval',
        departmentId: 'vergunningen',
        summary: 'Container niet geleegd',
        token: 'form-1',
      });
      // A question about waste without a choice goes to Team Afval (so the choice is what counts).
      const byRules = await app.commands.webcare.makeCase(olga, 'console:anna', {
        topic: 'afval',
        departmentId: '',
        summary: 'Nog een container',
        token: 'form-2',
      });
      await app.settle();
      expect(lost).toEqual([`case-route-${made.id}`, `case-route-${byRules.id}`]);
      const stored = async (id: string) => (await app.uow.run((r) => r.cases.findById(id)))!;
      expect((await stored(made.id)).status).toBe('new');

      await app.sweep();
      await app.settle();
      expect(await stored(made.id)).toMatchObject({
        status: 'routed',
        assignee: { type: 'department', id: 'vergunningen', name: 'Team Vergunningen' },
      });
      expect(await stored(byRules.id)).toMatchObject({
        status: 'routed',
        assignee: { type: 'department', id: 'afval' },
      });
      // The history says the operator's choice routed it, not a routing rule.
      const routed = (await app.uow.run((r) => r.cases.events(made.id))).find((e) => e.type === 'routed');
      expect(routed?.detail).toMatchObject({ ruleId: 'chosen-by-staff' });
    },
  );
});
