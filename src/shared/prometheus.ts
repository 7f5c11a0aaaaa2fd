/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, histograms, and gauges read
 * at scrape time. Hand-written because the service needs only these three, with labels.
 */

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

/** Counters and histograms kept in the process, plus gauges collected on each scrape. */
export class Registry {
  private readonly metrics: (Counter | Histogram)[] = [];
  private readonly collectors: (() => Promise<GaugeSample[]> | GaugeSample[])[] = [];

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

  /** Adds gauges read at every scrape (backlog, pool, channel state); a failing collector is skipped. */
  collect(collector: () => Promise<GaugeSample[]> | GaugeSample[]): void {
    this.collectors.push(collector);
  }

  /** The whole exposition, one family after another. */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const m of this.metrics) {
      lines.push(...header(m.family), ...m.render());
    }
    const gauges = new Map<string, GaugeSample[]>();
    const collected = await Promise.allSettled(this.collectors.map(async (c) => c()));
    for (const result of collected) {
      if (result.status !== 'fulfilled') continue;
      for (const g of result.value) gauges.set(g.name, [...(gauges.get(g.name) ?? []), g]);
    }
    for (const [name, samples] of gauges) {
      lines.push(...header({ name, help: samples[0]!.help, type: samples[0]!.type ?? 'gauge' }));
      for (const g of samples) lines.push(sample(name, g.labels ?? {}, g.value));
    }
    return `${lines.join('\n')}\n`;
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
