import { describe, expect, it } from 'vitest';
import { flowSet } from '../../flows/index.js';
import { languages } from '../../src/i18n/translator.js';
import { shippedTexts } from '../support/texts.js';

/**
 * Every flow tells staff where a conversation is. Regression: flows without a menu label or title
 * (stop, switch, case-answered, live-rate, …) showed "Bezig met een vraag" on a conversation's page,
 * which told an operator nothing; a new flow without a label, or one in only one language, fails here.
 */
describe('labels of every flow, for the dashboard', () => {
  it.each(flowSet.flows.map((f) => [f.name, f] as const))(
    'the %s flow has a label in Dutch and English',
    (name, flow) => {
      expect(
        flow.label,
        `${name}: add label: 'dashboard.flow.${name}' (data/i18n/*/dashboard-flows.json)`,
      ).toBeDefined();
      for (const lang of languages)
        expect(
          shippedTexts[lang][flow.label ?? '']?.trim(),
          `${name}: no ${lang} text for ${flow.label}`,
        ).toBeTruthy();
    },
  );

  it('every step label has a text in Dutch and English', () => {
    const missing = flowSet.flows.flatMap((f) =>
      Object.entries(f.steps).flatMap(([step, s]) =>
        s.label === undefined
          ? []
          : languages
              .filter((lang) => !shippedTexts[lang][s.label ?? '']?.trim())
              .map((lang) => `${f.name}/${step} (${lang})`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('no two flows have the same label, so an operator can tell them apart', () => {
    for (const lang of languages) {
      const texts = flowSet.flows.map((f) => shippedTexts[lang][f.label ?? '']);
      expect(
        texts.filter((t, i) => texts.indexOf(t) !== i),
        lang,
      ).toEqual([]);
    }
  });
});
