import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowSet } from '../../flows/index.js';

/**
 * Every flow has tests through the harness, and every event a conversation handles is fired in one:
 * a new flow or event without them fails here, naming it.
 */
const dir = 'test/flows';
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts') && f !== 'coverage.test.ts')
  .map((f) => readFileSync(join(dir, f), 'utf8'));
const titles = sources.flatMap((s) => [...s.matchAll(/describe\('([^']+)'/g)].map((m) => m[1] ?? ''));

/** A describe title that names the flow, as in "book flow" or "live-end and live-rate flows: …". */
function titled(flow: string): boolean {
  const name = new RegExp(`(^|[\\s,(])${flow.replace(/[.-]/g, '\\$&')}(?![\\w-])`);
  return titles.some((t) => name.test(t) && /\bflows?\b/.test(t));
}

describe('the flow tests', () => {
  it.each(flowSet.flows.map((f) => f.name))('have a describe block for the %s flow', (flow) => {
    expect(titled(flow), `no describe('${flow} flow') in ${dir}`).toBe(true);
  });

  it.each(Object.keys(flowSet.events))('send the %s event', (event) => {
    expect(sources.some((s) => s.includes(`'${event}'`))).toBe(true);
  });

  it('tell a flow name from a longer one', () => {
    expect(titled('live-end')).toBe(true);
    expect(titled('live')).toBe(false);
    expect(titled('staff')).toBe(false);
  });
});
