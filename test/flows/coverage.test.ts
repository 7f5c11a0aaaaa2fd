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

/**
 * Steps that show only choices whose labels are never translated: a case reference, a poll's own
 * question or options (written by staff in one language), or a free-text step. Every other step
 * that shows only choices must say their labels in the new language after a switch (`relabel`).
 */
const UNTRANSLATED_CHOICES: Record<string, string> = {
  'staff-cases/write': 'free text: it shows no list',
  'case-info/choose': 'case references',
  'poll/which': "the polls' own questions",
  'poll/answer': "the poll's own options",
};

describe('steps that only show choices', () => {
  const listOnly = flowSet.flows.flatMap((f) =>
    Object.entries(f.steps)
      .filter(([, step]) => !step.enter && step.answer)
      .map(([name, step]) => ({ at: `${f.name}/${name}`, step })),
  );

  // Regression: after "English" at such a step its choices came back with the Dutch labels
  // ("Latere tijden", "Stoppen"), until each step said its labels again (435ee12); a new step of this
  // kind without `relabel` would bring that back unnoticed.
  it.each(listOnly.map((s) => [s.at, s] as const))(
    '%s says its labels in the new language, or has none to translate',
    (at, { step }) => {
      expect(
        step.relabel !== undefined || at in UNTRANSLATED_CHOICES,
        `${at}: add relabel, or say why in UNTRANSLATED_CHOICES`,
      ).toBe(true);
    },
  );

  it('the list of steps without labels to translate names only such steps', () => {
    const names = new Set(listOnly.filter((s) => s.step.relabel === undefined).map((s) => s.at));
    expect(Object.keys(UNTRANSLATED_CHOICES).filter((at) => !names.has(at))).toEqual([]);
  });
});
