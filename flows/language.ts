import type { Flow, GlobalWord, StepContext, Transition } from './types.js';
import type { Language } from '../src/i18n/translator.js';
import { MENU, sameStep, whole } from './common.js';

/** Switches language, says so in the new language, and shows the menu in it. */
export function switchLanguage(ctx: StepContext, lang: Language): Transition {
  return { lang, say: [ctx.tIn(lang)('language.switched')], goto: { ...MENU } };
}

/**
 * Switches language inside a flow without leaving it: nothing typed so far is lost, and the step
 * goes on in the new language (`sameStep`).
 */
function switchInFlow(ctx: StepContext, flows: readonly Flow[], lang: Language): Transition {
  const next: StepContext = { ...ctx, lang, t: ctx.tIn(lang) };
  const same = sameStep(next, flows, next.t('language.switched'));
  return same ? { lang, ...same } : switchLanguage(ctx, lang);
}

/**
 * "English" / "Nederlands" work at any step: in a flow it goes on in the new language; while
 * waiting for a person they stay waiting (no menu).
 */
export function languageWord(flows: () => readonly Flow[]): GlobalWord {
  return {
    name: 'language',
    worksIn: ['bot', 'human'],
    match: (input) => !input.choice && (whole(input, 'english') || whole(input, 'dutch')),
    handle: (ctx, input) => {
      const lang = whole(input, 'english') ? 'en' : 'nl';
      if (ctx.state.mode !== 'human') return switchInFlow(ctx, flows(), lang);
      return { lang, say: [ctx.tIn(lang)('language.switched'), ctx.tIn(lang)('person.still_waiting')] };
    },
  };
}
