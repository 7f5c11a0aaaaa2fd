import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/http/server.js';
import type { ChannelAdapter, ChannelState } from '../../src/ports/channel.js';
import { startTestApp } from '../support/app-driver.js';
import { sqliteUrl } from '../support/services.js';

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
