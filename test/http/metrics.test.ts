import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/http/server.js';
import type { ChannelAdapter, ChannelState } from '../../src/ports/channel.js';
import { requestInfo } from '../../src/features/cases/case-actions.js';
import { answerCase, createCase, getCase, reassignCase } from '../../src/features/cases/case-service.js';
import { caseInbox } from '../../src/features/cases/inbox.js';
import { setProposalStage } from '../../src/features/cases/proposals.js';
import { markEscalated } from '../../src/features/cases/escalation.js';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget, postgresAvailable, sqliteUrl } from '../support/services.js';
import { holidays, timeZone } from '../cases/support.js';

/** A channel whose connection the test switches. */
class SwitchableChannel implements ChannelAdapter {
  readonly name = 'telegram';
  current: ChannelState = 'ready';
  state(): ChannelState {
    return this.current;
  }
  async start(): Promise<void> {}
  async send(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** The value of one sample line (`name{labels} value`) in a Prometheus exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics, /readyz and a degraded /healthz', () => {
  it('counts messages in and out, reply latency, outbox and queue gauges; a token guards it', async () => {
    const { app, driver } = await startTestApp({ databaseUrl: sqliteUrl(), queuePrefix: randomUUID() });
    const token = 'metrics-token-0123456789';
    const server = buildHttpServer({
      health: () => app.health(),
      ready: () => app.ready(),
      metrics: { render: () => app.metrics.registry.render(), token },
    });
    try {
      await driver.send('r1', 'hallo');
      await driver.send('r2', 'hallo');
      await driver.send('r1', 'wie is mijn wijkwethouder?');
      expect((await server.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const wrong = await server.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.statusCode).toBe(401);
      const res = await server.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.body;
      expect(sample(text, 'spreekuur_messages_in_total{channel="console"}')).toBe(3);
      expect(
        sample(text, 'spreekuur_messages_out_total{channel="console",outcome="sent"}'),
      ).toBeGreaterThanOrEqual(4);
      expect(sample(text, 'spreekuur_reply_latency_seconds_count')).toBe(3);
      expect(sample(text, 'spreekuur_reply_latency_seconds_bucket{le="+Inf"}')).toBe(3);
      expect(sample(text, 'spreekuur_outbox_pending')).toBe(0);
      expect(sample(text, 'spreekuur_inbound_pending')).toBe(0);
      expect(sample(text, 'spreekuur_dead_letters_open')).toBe(0);
      expect(sample(text, 'spreekuur_queue_jobs{queue="spreekuur",driver="sql",state="failed"}')).toBe(0);
      expect(sample(text, 'spreekuur_channel_state{channel="console",state="ready"}')).toBe(1);
      expect(text).toMatch(/^# TYPE spreekuur_reply_latency_seconds histogram$/m);

      // A delivery that is not yet made shows as backlog with an age.
      await app.uow.transaction((repos) =>
        repos.conversations.addToOutbox(
          [{ kind: 'message', to: { channel: 'console', userId: 'r9' }, text: 'later' }],
          new Date(app.clock.now().getTime() - 5000),
          new Date(app.clock.now().getTime() + 600_000),
        ),
      );
      const backlog = (
        await server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })
      ).body;
      expect(sample(backlog, 'spreekuur_outbox_pending')).toBe(1);
      expect(sample(backlog, 'spreekuur_outbox_oldest_age_seconds')).toBe(5);
    } finally {
      await driver.close();
      await server.close();
    }
  });

  it('a disconnected channel makes /healthz degraded (200) and /readyz 503 with the reason', async () => {
    const channel = new SwitchableChannel();
    const { app, driver } = await startTestApp({ databaseUrl: sqliteUrl(), channels: [channel] });
    const server = buildHttpServer({ health: () => app.health(), ready: () => app.ready() });
    try {
      expect((await server.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
        status: 'ready',
        ready: true,
        reasons: [],
      });
      channel.current = 'disconnected';
      const health = await server.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'degraded', channels: { telegram: 'disconnected' } });
      const ready = await server.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ ready: false, reasons: ['channel telegram disconnected'] });
      await app.db.close();
      const down = await server.inject({ method: 'GET', url: '/readyz' });
      expect(down.json()).toMatchObject({
        ready: false,
        reasons: ['database unreachable', 'queue unreachable', 'channel telegram disconnected'],
      });
    } finally {
      await driver.close().catch(() => undefined);
      await server.close();
    }
  });
});

// Regression: with the database down, the backlog gauges vanished from /metrics and nothing said why.
describe('/metrics with the database down', () => {
  it('still answers, says which collectors are down, and logs why', async () => {
    type Line = { level: number; msg: string; collector?: string; err?: string };
    const lines: Line[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
    );
    const { app, driver } = await startTestApp({ databaseUrl: sqliteUrl(), logger });
    const server = buildHttpServer({
      health: () => app.health(),
      ready: () => app.ready(),
      metrics: { render: () => app.metrics.registry.render() },
    });
    const scrape = async () => (await server.inject({ method: 'GET', url: '/metrics' })).body;
    try {
      const before = await scrape();
      for (const collector of ['process', 'queue', 'db_turns', 'db_pool', 'backlog'])
        expect(sample(before, `spreekuur_metrics_collector_up{collector="${collector}"}`)).toBe(1);
      expect(sample(before, 'spreekuur_outbox_pending')).toBe(0);

      await app.db.close();
      const down = await scrape();
      expect(sample(down, 'spreekuur_metrics_collector_up{collector="backlog"}')).toBe(0);
      expect(sample(down, 'spreekuur_metrics_collector_up{collector="queue"}')).toBe(0);
      expect(sample(down, 'spreekuur_metrics_collector_up{collector="process"}')).toBe(1);
      expect(sample(down, 'spreekuur_outbox_pending')).toBeUndefined();
      expect(sample(down, 'spreekuur_channel_state{channel="console",state="ready"}')).toBe(1);
      expect(down).toContain('# TYPE spreekuur_reply_latency_seconds histogram');
      await scrape();
      // One line per collector, not one per scrape.
      const warnings = lines.filter((l) => l.msg.startsWith('metrics collector failed'));
      expect(warnings.map((l) => l.collector).sort()).toEqual(['backlog', 'queue']);
      expect(warnings.every((l) => l.level === 40 && typeof l.err === 'string')).toBe(true);
    } finally {
      await driver.close().catch(() => undefined);
      await server.close();
    }
  });
});

describe.skipIf(!postgresAvailable)(
  '/metrics on PostgreSQL: the turns written together (group commit)',
  () => {
    it('counts the statements, the turns written through them and the batches tried again, as counters', async () => {
      const fresh = await freshTarget('postgres');
      const { app, driver } = await startTestApp({ databaseUrl: fresh.url, queuePrefix: randomUUID() });
      const server = buildHttpServer({
        health: () => app.health(),
        ready: () => app.ready(),
        metrics: { render: () => app.metrics.registry.render() },
      });
      try {
        // Twelve residents at once: their messages and turns may share statements.
        await Promise.all(Array.from({ length: 12 }, (_, n) => driver.send(`r${n}`, 'hallo')));
        const text = (await server.inject({ method: 'GET', url: '/metrics' })).body;
        expect(text).toContain('# TYPE spreekuur_db_turn_statements_total counter');
        expect(text).toContain('# TYPE spreekuur_db_turn_writes_total counter');
        for (const statement of ['store', 'finish']) {
          const statements = sample(text, `spreekuur_db_turn_statements_total{statement="${statement}"}`);
          const writes = sample(text, `spreekuur_db_turn_writes_total{statement="${statement}"}`);
          // One stored message and one saved turn per resident, in at least one and at most 12 statements.
          expect(writes).toBe(12);
          expect(statements).toBeGreaterThanOrEqual(1);
          expect(statements).toBeLessThanOrEqual(12);
          expect(sample(text, `spreekuur_db_turn_batch_fallbacks_total{statement="${statement}"}`)).toBe(0);
        }
      } finally {
        await driver.close();
        await server.close();
        await fresh.cleanup();
      }
    });
  },
);

// Regression: the issue asked for cases due within a working day, and /metrics had none; a status
// without cases had no series at all, so a panel showed "no data" instead of 0.
for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`/metrics counts the cases on ${kind}`, () => {
    it('by status (every status, also at 0), overdue, and due within 1 working day', async () => {
      // Thursday 3 December 2026, 10:00 in Rijswijk: "due within 1 working day" runs to Friday night.
      const now = new Date('2026-12-03T09:00:00Z');
      const fresh = await freshTarget(kind);
      const { app, driver } = await startTestApp({ databaseUrl: fresh.url, clock: new ManualClock(now) });
      const server = buildHttpServer({
        health: () => app.health(),
        ready: () => app.ready(),
        metrics: { render: () => app.metrics.registry.render() },
      });
      let n = 0;
      const make = (o: { createdAt: Date; norm: number }) =>
        app.uow.transaction(async (r) => {
          n++;
          const c = await createCase(r, {
            residentKey: `telegram:${n}`,
            channel: 'telegram',
            language: 'nl',
            districtId: 'te-werve',
            topic: 'overig',
            text: `Vraag nummer ${n}`,
            idempotencyKey: `metrics-${n}`,
            now: o.createdAt,
            prefix: 'RSW',
            norm: o.norm,
            holidays,
            timeZone,
          });
          return reassignCase(r, c.id, { type: 'department', id: 'afval', name: 'Afval' }, 'operator:t', now);
        });
      try {
        const tenDaysAgo = new Date(now.getTime() - 10 * 86_400_000);
        const overdue = await make({ createdAt: tenDaysAgo, norm: 5 });
        await app.uow.transaction((r) => markEscalated(r, overdue.id, now));
        await make({ createdAt: now, norm: 1 }); // answer by Friday: due within 1 working day
        await make({ createdAt: now, norm: 5 }); // next week
        const answered = await make({ createdAt: now, norm: 1 });
        await app.uow.transaction((r) => answerCase(r, answered.id, 'operator:t', 'Klaar.', now));

        const text = (await server.inject({ method: 'GET', url: '/metrics' })).body;
        expect(sample(text, 'spreekuur_cases{status="routed"}')).toBe(3);
        expect(sample(text, 'spreekuur_cases{status="answered"}')).toBe(1);
        expect(sample(text, 'spreekuur_cases{status="closed"}')).toBe(0);
        expect(sample(text, 'spreekuur_cases{status="waiting"}')).toBe(0);
        expect(sample(text, 'spreekuur_cases_overdue')).toBe(1);
        expect(sample(text, 'spreekuur_cases_due_soon')).toBe(1);
        expect(sample(text, 'spreekuur_bookings_today')).toBe(0);
      } finally {
        await driver.close();
        await server.close();
        await fresh.cleanup();
      }
    });
  });
}

// Regression: spreekuur_cases_overdue counted escalated cases not answered or closed, the inbox
// counted cases owing a reaction past their answer-by date; an operator comparing the Grafana panel
// with the inbox saw two numbers (a case waiting for the resident, a proposal that had its first
// reaction, a case whose escalation had not run yet).
for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`/metrics overdue is the case inbox's overdue, on ${kind}`, () => {
    it('counts what the inbox counts where the old escalated-based count differed', async () => {
      const now = new Date('2026-12-03T09:00:00Z');
      const fresh = await freshTarget(kind);
      const { app, driver } = await startTestApp({ databaseUrl: fresh.url, clock: new ManualClock(now) });
      const server = buildHttpServer({
        health: () => app.health(),
        ready: () => app.ready(),
        metrics: { render: () => app.metrics.registry.render() },
      });
      const tenDaysAgo = new Date(now.getTime() - 10 * 86_400_000);
      let n = 0;
      const ids: string[] = [];
      /** A routed case asked ten days ago with a norm of 5 working days: its answer-by date passed. */
      const late = (what: 'question' | 'proposal') =>
        app.uow.transaction(async (r) => {
          n++;
          const c = await createCase(r, {
            residentKey: `telegram:${n}`,
            channel: 'telegram',
            language: 'nl',
            districtId: 'te-werve',
            topic: 'overig',
            kind: what,
            ...(what === 'proposal' ? { proposal: { where: 'Park', who: 'Buren', help: 'Advies' } } : {}),
            text: `Vraag nummer ${n}`,
            idempotencyKey: `overdue-${n}`,
            now: tenDaysAgo,
            prefix: 'RSW',
            norm: 5,
            holidays,
            timeZone,
          });
          ids.push(c.id);
          return reassignCase(r, c.id, { type: 'department', id: 'afval', name: 'Afval' }, 'operator:t', now);
        });
      const escalate = (id: string) => app.uow.transaction((r) => markEscalated(r, id, now));
      try {
        // Overdue by both counts: escalated and still owed.
        await escalate((await late('question')).id);
        // Overdue for the inbox only: past its date, the escalation job has not run yet.
        await late('question');
        // Overdue for neither: escalated, then answered.
        const answered = await late('question');
        await escalate(answered.id);
        await app.uow.transaction((r) => answerCase(r, answered.id, 'operator:t', 'Klaar.', now));
        // Overdue for the old count only: escalated, then waiting for the resident (the clock stops).
        const waiting = await late('question');
        await escalate(waiting.id);
        await app.uow.transaction((r) => requestInfo(r, waiting.id, 'operator:t', 'Welk adres?', now));
        // Overdue for the old count only: an escalated proposal that then had its first reaction.
        const proposal = await late('proposal');
        await escalate(proposal.id);
        await app.uow.transaction((r) =>
          setProposalStage(r, proposal.id, 'operator:t', { stage: 'reviewing' }, now),
        );

        // The case this guards: the old count (escalated, not answered or closed) would say 3.
        const stored = await app.uow.run((r) => Promise.all(ids.map((id) => getCase(r, id))));
        expect(stored.filter((c) => c.escalated && !['answered', 'closed'].includes(c.status))).toHaveLength(
          3,
        );
        const inbox = await app.uow.run((r) =>
          caseInbox(r, { scope: { kind: 'all' }, viewerId: 'admin', now }, { timeZone, holidays }),
        );
        expect(inbox.counts.due.overdue).toBe(2);
        const text = (await server.inject({ method: 'GET', url: '/metrics' })).body;
        expect(sample(text, 'spreekuur_cases_overdue')).toBe(inbox.counts.due.overdue);
      } finally {
        await driver.close();
        await server.close();
        await fresh.cleanup();
      }
    });
  });
}
