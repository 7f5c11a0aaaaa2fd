import type { Flow, StepContext, Transition, UserInput } from './types.js';
import type { Choice } from '../src/ports/messages.js';
import { switchLanguage } from './language.js';

const GREETING =
  /^(hallo|hello|hoi|hi|hey|goedemorgen|goedemiddag|goedenavond|good morning|good afternoon|good evening|dag|beste|start)\b/;

/** The menu's choices: every flow that has a menu entry, then the language switch. */
function menuChoices(ctx: StepContext, flows: readonly Flow[]): (Choice & { synonyms?: string[] })[] {
  const entries = flows
    .filter((f) => f.menu && (!f.staffOnly || ctx.staff))
    .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0))
    .map((f) => ({
      id: f.name,
      label: f.menu ? ctx.t(f.menu.label) : f.name,
      synonyms: f.menu?.synonyms ?? [],
    }));
  return [
    ...entries,
    {
      id: 'language',
      label: ctx.t('core.menu.language'),
      synonyms: ['english', 'engels', 'nederlands', 'dutch'],
    },
  ];
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
    steps: {
      main: {
        enter: (ctx) => ({ say: [{ text: ctx.t('core.menu.prompt'), choices: menuChoices(ctx, flows()) }] }),
        answer: (ctx, input: UserInput) => {
          const choice =
            input.choice ?? menuChoices(ctx, flows()).find((c) => c.synonyms?.includes(input.normalized));
          if (choice?.id === 'language') return switchLanguage(ctx, ctx.lang === 'nl' ? 'en' : 'nl');
          if (choice)
            return {
              goto: { flow: choice.id, step: flows().find((f) => f.name === choice.id)?.start ?? 'start' },
            };
          if (GREETING.test(input.normalized)) return show(ctx, [ctx.t('core.menu.hello')]);
          return show(ctx, [ctx.t('core.menu.unknown')]);
        },
      },
    },
  };
}
