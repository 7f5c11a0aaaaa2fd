import type { Flow, GlobalWord, StepContext, Transition } from './types.js';
import type { Language } from '../src/i18n/translator.js';
import { MENU, whole } from './common.js';

/** Switches language, says so in the new language, and shows the menu in it. */
export function switchLanguage(ctx: StepContext, lang: Language): Transition {
  return { lang, say: [ctx.tIn(lang)('language.switched')], goto: { ...MENU } };
}

/**
 * Switches language inside a flow without leaving it: nothing typed so far is lost. A step that
 * asks its own question on entering asks it again in the new language; otherwise its choices come
 * back as they were offered (their numbers still work).
 */
function switchInFlow(ctx: StepContext, flows: readonly Flow[], lang: Language): Transition {
  const at = ctx.state.at;
  const step = at ? flows.find((f) => f.name === at.flow)?.steps[at.step] : undefined;
  if (!at || at.flow === MENU.flow || !step) return switchLanguage(ctx, lang);
  const said = ctx.tIn(lang)('language.switched');
  if (step.enter) return { lang, say: [said], goto: at.step };
  const choices = ctx.state.choices ?? [];
  return { lang, say: [{ text: said, ...(choices.length ? { choices } : {}) }] };
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
