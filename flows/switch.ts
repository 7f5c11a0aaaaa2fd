import type { TextKey } from '../src/i18n/translator.js';
import type { Flow, StepContext, Transition } from './types.js';
import { askAgain, interrupt, resume, yesNo, yesOrNo } from './common.js';

/** The text that names a flow for the resident: its menu label, else its title (every flow but the menu has one). */
export function flowTitle(flow: Flow): TextKey | undefined {
  return flow.menu?.label ?? flow.title;
}

/**
 * What a flow is called for the resident; "this conversation" only for a flow that no longer
 * exists (a conversation stored before it was renamed).
 */
function flowName(ctx: StepContext, flows: readonly Flow[], name: string | undefined): string {
  const flow = flows.find((f) => f.name === name);
  const title = flow ? flowTitle(flow) : undefined;
  return title ? ctx.t(title) : ctx.t('switch.this');
}

/**
 * Inside a flow, words that start another one ("mijn afspraken" while booking) are offered, not
 * taken: "Wilt u daarmee stoppen?" Yes starts the other flow; no goes back to the same question.
 */
export function switchFlow(flows: () => readonly Flow[]): Flow {
  return {
    name: 'switch',
    title: 'core.title_switch',
    start: 'ask',
    label: 'dashboard.flow.switch',
    steps: {
      ask: {
        // Free text: another flow's words here are no new offer on top of this one (a loop of
        // "Wilt u daarmee stoppen?"); the words of the flow offered are a yes.
        freeText: true,
        readsFlows: true,
        // "terug" is a no: back to what was being done. "menu" too, saying how to go on to the menu:
        // at the question, either word dropped the unsent question or booking without a word.
        previous: (ctx) => goOn(ctx, flows(), 'switch.continue'),
        leaving: (ctx) => goOn(ctx, flows(), 'switch.menu_later'),
        enter: (ctx) => {
          const stack = ctx.state.stack;
          const vars = {
            current: flowName(ctx, flows(), stack[0]?.flow),
            next: flowName(ctx, flows(), ctx.data.switchTo),
          };
          return {
            say: [{ text: ctx.t('switch.ask', vars), choices: yesNo(ctx, 'switch.yes', 'switch.no') }],
          };
        },
        answer: (ctx, input) => {
          const next = flows().find((f) => f.name === ctx.data.switchTo);
          const named = input.intent !== undefined && next?.intents?.includes(input.intent.intent) === true;
          const yes = yesOrNo(input);
          // The flow starts on the message that named it, as it would have outside this flow: "ik
          // heb een vraag over de stoep" keeps its words. A yes that names it itself is that message.
          const opener = named && !input.intent?.whole ? input : ctx.data.switchInput;
          const startInput = opener ? { startInput: opener } : {};
          if (yes === true && next) return { goto: { flow: next.name, step: next.start }, ...startInput };
          // The other flow's words again ("verzetten" once more) answer nothing: what was being done
          // ends only on a clear yes, so the question is put plainly once more. A sentence of them
          // ("ik heb een vraag over de stoep") is what the other flow starts on after that yes.
          if (yes === undefined && named && !input.choice)
            return {
              ...askPlainly(ctx, flows()),
              ...(opener === input ? { data: { switchInput: input } } : {}),
            };
          // A third flow's words ("mijn gegevens" while "Mijn vragen" was offered): that is what is
          // wanted now, so the same question is put about it, with those words kept for its start.
          const other = yes === undefined && !input.choice ? otherFlow(ctx, flows(), input) : undefined;
          if (other) return { data: { switchTo: other.name, switchInput: input }, goto: 'ask' };
          if (yes !== false) return askAgain(ctx);
          return goOn(ctx, flows(), 'switch.continue');
        },
      },
    },
  };
}

/** Back to the step the question interrupted, saying `text`; the words that named the other flow are not kept. */
function goOn(
  ctx: StepContext,
  flows: readonly Flow[],
  text: 'switch.continue' | 'switch.menu_later',
): Transition {
  const back = resume(ctx, flows, ctx.t(text));
  return { ...back, data: { ...back.data, switchInput: undefined } };
}

/** The flow other than the one offered and the one being done whose words `input` is. */
function otherFlow(ctx: StepContext, flows: readonly Flow[], input: StepContext['input']): Flow | undefined {
  const intent = input?.intent?.intent;
  if (intent === undefined) return undefined;
  const exclude = [ctx.data.switchTo, ctx.state.stack[0]?.flow];
  return flows.find((f) => !exclude.includes(f.name) && f.intents?.includes(intent) === true);
}

/** "Wilt u echt stoppen met …?": the question again, naming what would end, with its yes and no. */
function askPlainly(ctx: StepContext, flows: readonly Flow[]): Transition {
  const vars = {
    current: flowName(ctx, flows, ctx.state.stack[0]?.flow),
    yes: ctx.t('switch.yes'),
    no: ctx.t('switch.no'),
  };
  return { say: [{ text: ctx.t('switch.really', vars), choices: yesNo(ctx, 'switch.yes', 'switch.no') }] };
}

/** Offers `flow` from inside the current one (the engine calls this; see `FlowSet.offer`). */
export function offerSwitch(ctx: StepContext, flow: string): Transition {
  const named = ctx.input ? { switchInput: ctx.input } : {};
  return interrupt(ctx, { flow: 'switch', step: 'ask' }, { switchTo: flow, ...named });
}
