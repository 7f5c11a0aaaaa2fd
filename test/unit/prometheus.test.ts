import { describe, expect, it } from 'vitest';
import { Registry, type GaugeSample } from '../../src/shared/prometheus.js';

describe('Prometheus text format', () => {
  it('renders counters with labels, histograms with cumulative buckets, and scrape-time gauges', async () => {
    const r = new Registry();
    const c = r.counter('x_messages_total', 'Messages.');
    c.inc({ channel: 'telegram' });
    c.inc({ channel: 'telegram' });
    c.inc({ channel: 'web"chat\\' }, 3);
    const h = r.histogram('x_latency_seconds', 'Latency.', [0.1, 1]);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    r.collect('backlog', () => [{ name: 'x_backlog', help: 'Backlog.', labels: { queue: 'q' }, value: 7 }]);
    r.collect('failing', () => Promise.reject(new Error('a collector that fails is left out')));
    const text = await r.render();
    expect(text).toBe(
      [
        '# HELP x_messages_total Messages.',
        '# TYPE x_messages_total counter',
        'x_messages_total{channel="telegram"} 2',
        'x_messages_total{channel="web\\"chat\\\\"} 3',
        '# HELP x_latency_seconds Latency.',
        '# TYPE x_latency_seconds histogram',
        'x_latency_seconds_bucket{le="0.1"} 1',
        'x_latency_seconds_bucket{le="1"} 2',
        'x_latency_seconds_bucket{le="+Inf"} 3',
        'x_latency_seconds_sum 5.55',
        'x_latency_seconds_count 3',
        '# HELP x_backlog Backlog.',
        '# TYPE x_backlog gauge',
        'x_backlog{queue="q"} 7',
        '',
      ].join('\n'),
    );
    expect(c.get({ channel: 'telegram' })).toBe(2);
  });
});

// Regression: a collector that threw was dropped without a trace, so with PostgreSQL down the backlog
// gauges vanished and nothing said why; a hung one held the scrape for the query timeout (60 s).
describe('collectors that fail or hang', () => {
  const healthy = () => [{ name: 'x_pool', help: 'Pool.', value: 3 }];

  // Real timers with a short limit: unit tests share one module graph per worker (test/layers.ts),
  // so they may not swap the clock.
  it('says 0 for one that throws, rejects or hangs past its time, leaves its gauges out, and 1 for the others', async () => {
    const failures: string[] = [];
    const r = new Registry({
      collectorUpName: 'x_collector_up',
      collectorTimeoutMs: 50,
      onCollectorError: (collector, err) => failures.push(`${collector}: ${String(err)}`),
    });
    r.collect('pool', healthy);
    r.collect('throws', () => {
      throw new Error('connection refused');
    });
    r.collect('rejects', () => Promise.reject(new Error('connection terminated')));
    r.collect('hangs', () => new Promise<never>(() => {}));
    const text = await r.render();
    expect(text).toBe(
      [
        '# HELP x_pool Pool.',
        '# TYPE x_pool gauge',
        'x_pool 3',
        '# HELP x_collector_up Each group of gauges read at the scrape: 1 when it answered, 0 when it failed or took over 0.05 s (its gauges are then left out).',
        '# TYPE x_collector_up gauge',
        'x_collector_up{collector="pool"} 1',
        'x_collector_up{collector="throws"} 0',
        'x_collector_up{collector="rejects"} 0',
        'x_collector_up{collector="hangs"} 0',
        '',
      ].join('\n'),
    );
    expect(failures).toEqual([
      'throws: Error: connection refused',
      'rejects: Error: connection terminated',
      expect.stringMatching(/^hangs: Error: no answer within/),
    ]);
  });

  it('gives a collector 5 s unless told otherwise, below the 10 s scrape timeout of Prometheus', async () => {
    const r = new Registry({ collectorUpName: 'x_collector_up' });
    r.collect('pool', healthy);
    expect(await r.render()).toContain('0 when it failed or took over 5 s');
  });

  it('takes a shorter timeout as an option', async () => {
    const r = new Registry({ collectorUpName: 'x_collector_up', collectorTimeoutMs: 20 });
    r.collect('pool', healthy);
    r.collect('hangs', () => new Promise<never>(() => {}));
    const text = await r.render();
    expect(text).toContain('x_collector_up{collector="pool"} 1\nx_collector_up{collector="hangs"} 0\n');
    expect(text).toContain('x_pool 3\n');
  });

  it('joins a collector still at work from an earlier scrape instead of starting it again', async () => {
    const r = new Registry({ collectorUpName: 'x_collector_up', collectorTimeoutMs: 20 });
    let started = 0;
    let answer: (samples: GaugeSample[]) => void = () => {};
    r.collect('slow', () => {
      started++;
      return new Promise<GaugeSample[]>((resolve) => (answer = resolve));
    });
    // Three scrapes while the database hangs: one query at it, not three.
    for (let i = 0; i < 3; i++) expect(await r.render()).toContain('x_collector_up{collector="slow"} 0');
    expect(started).toBe(1);
    // Once it answers, the next scrape starts a fresh one.
    answer([{ name: 'x_slow', help: 'h', value: 1 }]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await r.render();
    expect(started).toBe(2);
  });

  it('reports a failing collector at most once a minute, each collector on its own', async () => {
    let now = 0;
    const failures: string[] = [];
    const r = new Registry({ now: () => now, onCollectorError: (collector) => failures.push(collector) });
    r.collect('a', () => Promise.reject(new Error('down')));
    r.collect('b', () => Promise.reject(new Error('down')));
    await r.render();
    now += 59_999;
    await r.render();
    expect(failures).toEqual(['a', 'b']);
    now += 1;
    await r.render();
    expect(failures).toEqual(['a', 'b', 'a', 'b']);
  });

  it('refuses a second collector under the same name (its up gauge would be ambiguous)', () => {
    const r = new Registry();
    r.collect('pool', healthy);
    expect(() => r.collect('pool', healthy)).toThrow(/already registered/);
  });
});
