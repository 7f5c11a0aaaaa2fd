/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, histograms, and gauges read
 * at scrape time. Hand-written because the service needs only these three, with labels.
 */

import { within } from './within.js';

export type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
}

/** One gauge sample, produced when /metrics is read. */
export interface GaugeSample {
  name: string;
  help: string;
  labels?: Labels;
  value: number;
  /** 'counter' for a total read at the scrape (it only ever grows while the process runs). */
  type?: 'counter' | 'gauge';
}

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(readonly family: Family) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }

  /** The count for exactly these labels (0 when never counted). */
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels))?.value ?? 0;
  }

  render(): string[] {
    return [...this.values.values()].map((e) => sample(this.family.name, e.labels, e.value));
  }
}

export class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; n: number }>();

  constructor(
    readonly family: Family,
    private readonly buckets: readonly number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, n: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.n++;
  }

  render(): string[] {
    const lines: string[] = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) =>
        lines.push(sample(`${this.family.name}_bucket`, { ...s.labels, le: String(le) }, s.counts[i]!)),
      );
      lines.push(sample(`${this.family.name}_bucket`, { ...s.labels, le: '+Inf' }, s.n));
      lines.push(sample(`${this.family.name}_sum`, s.labels, s.sum));
      lines.push(sample(`${this.family.name}_count`, s.labels, s.n));
    }
    return lines;
  }
}

/** Gauges read at each scrape; a function so that they are read fresh every time. */
export type Collector = () => Promise<GaugeSample[]> | GaugeSample[];

/** How a registry treats collectors that fail or hang. */
export interface RegistryOptions {
  /** The gauge telling per collector whether it answered in time (1) or not (0); none when unset. */
  collectorUpName?: string;
  /** How long a collector may take; below Prometheus's default 10 s scrape timeout (default 5 s). */
  collectorTimeoutMs?: number;
  /** Told when a collector fails or times out, at most once a minute per collector. */
  onCollectorError?: (collector: string, err: unknown) => void;
  /** Milliseconds now, for the once-a-minute limit (default `Date.now`). */
  now?: () => number;
}

const COLLECTOR_TIMEOUT_MS = 5000;
const COLLECTOR_ERROR_EVERY_MS = 60_000;

/** Counters and histograms kept in the process, plus gauges collected on each scrape. */
export class Registry {
  private readonly metrics: (Counter | Histogram)[] = [];
  private readonly collectors = new Map<string, Collector>();
  private readonly lastReported = new Map<string, number>();
  /** Collectors still at work from an earlier scrape (a hung database): joined, never started again. */
  private readonly running = new Map<string, Promise<GaugeSample[]>>();

  constructor(private readonly options: RegistryOptions = {}) {}

  counter(name: string, help: string): Counter {
    const c = new Counter({ name, help, type: 'counter' });
    this.metrics.push(c);
    return c;
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const h = new Histogram({ name, help, type: 'histogram' }, buckets);
    this.metrics.push(h);
    return h;
  }

  /**
   * Adds gauges read at every scrape (backlog, pool, channel state) under a name of their own. A
   * collector that fails or takes too long is left out of that scrape, and its up gauge says 0.
   */
  collect(name: string, collector: Collector): void {
    if (this.collectors.has(name)) throw new Error(`collector ${name} is already registered`);
    this.collectors.set(name, collector);
  }

  /** The whole exposition, one family after another. */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const m of this.metrics) {
      lines.push(...header(m.family), ...m.render());
    }
    const timeoutMs = this.options.collectorTimeoutMs ?? COLLECTOR_TIMEOUT_MS;
    const names = [...this.collectors.keys()];
    // A hung database must not hold the scrape until its own query timeout (a minute).
    const collected = await Promise.allSettled(
      [...this.collectors].map(([name, c]) => within(timeoutMs, this.run(name, c))),
    );
    const gauges = new Map<string, GaugeSample[]>();
    const up: GaugeSample[] = [];
    collected.forEach((result, i) => {
      const collector = names[i]!;
      if (result.status === 'fulfilled') {
        for (const g of result.value) gauges.set(g.name, [...(gauges.get(g.name) ?? []), g]);
      } else {
        this.reportFailure(collector, result.reason);
      }
      if (this.options.collectorUpName)
        up.push({
          name: this.options.collectorUpName,
          help: `Each group of gauges read at the scrape: 1 when it answered, 0 when it failed or took over ${timeoutMs / 1000} s (its gauges are then left out).`,
          labels: { collector },
          value: result.status === 'fulfilled' ? 1 : 0,
        });
    });
    if (up.length) gauges.set(up[0]!.name, up);
    for (const [name, samples] of gauges) {
      lines.push(...header({ name, help: samples[0]!.help, type: samples[0]!.type ?? 'gauge' }));
      for (const g of samples) lines.push(sample(name, g.labels ?? {}, g.value));
    }
    return `${lines.join('\n')}\n`;
  }

  /**
   * The collector's answer: the run of an earlier scrape while that has not ended, else a new run.
   * A scrape every 15 s against a database that hangs for a minute would otherwise start four
   * queries of each collector, and fill the connection pool with them.
   */
  private run(name: string, collector: Collector): Promise<GaugeSample[]> {
    const earlier = this.running.get(name);
    if (earlier) return earlier;
    const started = Promise.resolve()
      .then(collector)
      .finally(() => this.running.delete(name));
    this.running.set(name, started);
    return started;
  }

  /** Passes a failure on, once a minute per collector: a scrape every 15 s would flood the log. */
  private reportFailure(collector: string, err: unknown): void {
    const report = this.options.onCollectorError;
    if (!report) return;
    const now = (this.options.now ?? Date.now)();
    const last = this.lastReported.get(collector);
    if (last !== undefined && now - last < COLLECTOR_ERROR_EVERY_MS) return;
    this.lastReported.set(collector, now);
    report(collector, err);
  }
}

function header(f: Family): string[] {
  return [
    `# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
    `# TYPE ${f.name} ${f.type}`,
  ];
}

function sample(name: string, labels: Labels, value: number): string {
  const entries = Object.entries(labels);
  const text = entries.length
    ? `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`
    : '';
  return `${name}${text} ${formatValue(value)}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0001${labels[k]}`)
    .join('\u0002');
}
