import { describe, expect, it } from 'vitest';
import { Registry } from '../../src/shared/prometheus.js';

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
    r.collect(() => [{ name: 'x_backlog', help: 'Backlog.', labels: { queue: 'q' }, value: 7 }]);
    r.collect(() => Promise.reject(new Error('a collector that fails is left out')));
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
