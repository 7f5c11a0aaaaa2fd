import type { Flow, GlobalWord, StepContext, Transition, UserInput } from './types.js';
import type { Language } from '../src/i18n/translator.js';
import { MENU, sameStep, whole } from './common.js';

/**
 * Switches language at the resident's own choice ("English", "Nederlands", the menu's button), says
 * so in the new language, and shows the menu in it. The choice is kept (`profile.language`).
 */
export function switchLanguage(ctx: StepContext, lang: Language): Transition {
  return { lang, profile: { language: lang }, say: [ctx.tIn(lang)('language.switched')], goto: { ...MENU } };
}

/**
 * A message clearly written in the other language (several words only that language has, none only
 * the conversation's: `input.language`) is answered in it, and the conversation goes on in it. A
 * language the resident chose themselves wins: after "English" or "Nederlands" the conversation
 * keeps it until they choose again. A pressed button, a live session and a stopped conversation
 * never switch. Nor does a staff member's chat: what an alderman types is often written for a
 * resident (an answer in the resident's English), so only "English" or "Nederlands" changes it.
 */
export function spokenLanguage(ctx: StepContext, input: UserInput): Language | undefined {
  const lang = input.language;
  if (!lang || lang === ctx.lang || ctx.state.profile.language !== undefined) return undefined;
  if (ctx.staff) return undefined;
  if (ctx.state.mode !== 'bot' && ctx.state.mode !== 'human') return undefined;
  return input.choice && !input.choiceBy ? undefined : lang;
}

/**
 * Switches language inside a flow without leaving it: nothing typed so far is lost, and the step
 * goes on in the new language (`sameStep`).
 */
function switchInFlow(ctx: StepContext, flows: readonly Flow[], lang: Language): Transition {
  const next: StepContext = { ...ctx, lang, t: ctx.tIn(lang) };
  const same = sameStep(next, flows, next.t('language.switched'));
  return same ? { lang, profile: { language: lang }, ...same } : switchLanguage(ctx, lang);
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
      const say = [ctx.tIn(lang)('language.switched'), ctx.tIn(lang)('person.still_waiting')];
      return { lang, profile: { language: lang }, say };
    },
  };
}
