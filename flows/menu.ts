import type { Flow, StepContext, Transition, UserInput } from './types.js';
import type { Choice } from '../src/ports/messages.js';
import { switchLanguage } from './language.js';
import { whole } from './common.js';
import { findReference } from '../src/features/cases/reference.js';

/** The menu's choices: every flow that has a menu entry, then the language switch. */
function menuChoices(ctx: StepContext, flows: readonly Flow[]): Choice[] {
  const entries = flows
    .filter((f) => f.menu && (!f.staffOnly || ctx.staff))
    .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0))
    .map((f) => ({ id: f.name, label: f.menu ? ctx.t(f.menu.label) : f.name }));
  return [...entries, { id: 'language', label: ctx.t('core.menu.language') }];
}

/** Two or three flows the words could mean ("afspraak of vraag"): asked, never guessed. */
function didYouMean(ctx: StepContext, flows: readonly Flow[], input: UserInput): Transition | undefined {
  const all = menuChoices(ctx, flows);
  const likely = (input.candidates ?? []).flatMap((intent) =>
    all.filter((c) => flows.find((f) => f.name === c.id)?.intents?.includes(intent)),
  );
  if (likely.length < 2) return undefined;
  return { say: [{ text: ctx.t('core.menu.did_you_mean'), choices: likely }] };
}

/** Shows the menu: what a resident (or a linked alderman) can do. */
export function menuFlow(flows: () => readonly Flow[]): Flow {
  const show = (ctx: StepContext, lead: string[] = []): Transition => ({
    say: [
      ...lead,
      {
        text: ctx.t(lead.length ? 'core.menu.prompt' : 'core.menu.again'),
        choices: menuChoices(ctx, flows()),
      },
    ],
  });
  return {
    name: 'menu',
    start: 'main',
    label: 'dashboard.conversation.at_menu',
    steps: {
      main: {
        enter: (ctx) => ({ say: [{ text: ctx.t('core.menu.prompt'), choices: menuChoices(ctx, flows()) }] }),
        answer: (ctx, input: UserInput) => {
          const choice = input.choice;
          if (choice?.id === 'language') return switchLanguage(ctx, ctx.lang === 'nl' ? 'en' : 'nl');
          const flow = flows().find((f) => f.name === choice?.id);
          if (flow) return { goto: { flow: flow.name, step: flow.start } };
          // "Kan ik nog iets voor u doen?" answered with a plain yes or no: no "Sorry, dat begrijp
          // ik niet" for that. A no says goodbye ("nee", and "nee, dat was het": all done); a yes
          // asks what it is.
          const no = input.answerAlone && input.answer === 'no';
          if (!choice && (no || whole(input, 'done'))) return { say: [ctx.t('core.menu.bye')] };
          if (!choice && input.answerAlone && input.answer === 'yes')
            return { say: [{ text: ctx.t('core.menu.prompt'), choices: menuChoices(ctx, flows()) }] };
          // "hoe staat het met RSW-2026-000042", or the reference alone: the status of that question
          // (my-questions reads the reference from the message). It was offered as a new question.
          const asked = !choice && findReference(input.text, ctx.municipality.referencePrefix);
          // A linked alderman's reference opens that case, as "antwoord <reference>" alone does.
          if (asked && ctx.staff && flows().some((f) => f.name === 'staff-cases'))
            return { data: { reference: asked }, goto: { flow: 'staff-cases', step: 'open' } };
          if (asked && flows().some((f) => f.name === 'my-questions'))
            return { goto: { flow: 'my-questions', step: 'list' } };
          const meant = didYouMean(ctx, flows(), input);
          if (meant) return meant;
          // A resident's own question or report, in a sentence: offered as a question to the municipality.
          if (!choice && !ctx.staff && input.sentence && flows().some((f) => f.name === 'ask'))
            return { goto: { flow: 'ask', step: 'offer' }, data: { draft: input.text } };
          return show(ctx, [ctx.t('core.menu.unknown')]);
        },
      },
    },
  };
}
