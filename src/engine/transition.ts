import { translator, type Texts } from '../i18n/translator.js';
import type { Municipality } from '../municipality/municipality.js';
import type { ServiceResult } from '../ports/services.js';
import type { Address } from '../shared/address.js';
import type { Choice } from '../ports/messages.js';
import type {
  Call,
  Effect,
  EventHandler,
  Flow,
  FlowSet,
  FlowTypes,
  Say,
  StaffIdentity,
  Step,
  StepContext,
  Transition,
  UserInput,
} from './flow.js';
import { copyState, type ConversationState, type StepRef } from './state.js';
import { sameWord } from '../understanding/tokens.js';
import { requestedFlow } from './requests.js';

/** What the engine knows of the world for one turn; fixed while the turn runs. */
export interface TurnEnvironment<T extends FlowTypes> {
  flows: FlowSet<T>;
  texts: Texts;
  municipality: Municipality;
  address: Address;
  now: Date;
  staff?: StaffIdentity;
  /** A conversation idle longer than this starts again at the menu. */
  idleMs: number;
  /** The message that caused this turn, if a message did. */
  input?: UserInput;
  /** Per-sender limit: at most `messages` handled per `perMs`; the rest are kept but not answered. */
  rateLimit?: { messages: number; perMs: number };
  /** This message switched the conversation's language by itself (see `FlowSet.language`). */
  languageSwitched?: boolean;
}

const DEFAULT_RATE_LIMIT = { messages: 30, perMs: 60_000 };

/** The result of running a turn up to its end, or up to a service call the engine must make. */
export interface TurnOutput<T extends FlowTypes> {
  state: ConversationState;
  messages: Say[];
  effects: Effect<T>[];
  flags: { needsHuman?: boolean };
  /** When set, call the service and continue with `resumeTurn`. */
  call?: Call<T>;
}

/** What happened to the conversation. */
export type TurnEvent =
  { kind: 'message'; input: UserInput } | { kind: 'event'; name: string; payload: Record<string, unknown> };

const MAX_HOPS = 30;
/** The most messages a conversation holds for the person's next message; older ones give way. */
const MAX_HELD = 10;

/** Runs one turn: a pure function from state and event to new state, messages and effects. */
export function startTurn<T extends FlowTypes>(
  env: TurnEnvironment<T>,
  state: ConversationState,
  event: TurnEvent,
): TurnOutput<T> {
  const out: TurnOutput<T> = { state: copyState(state), messages: [], effects: [], flags: {} };
  if (event.kind === 'event') {
    // Someone who stopped hears nothing until they write "start".
    if (out.state.mode === 'stopped') return out;
    // A stored event's payload is what its sender typed against the same event map.
    const handlers = env.flows.events as Record<string, EventHandler<T, unknown> | undefined>;
    const handler = handlers[event.name];
    const before = out.state.at;
    if (handler) apply(env, out, handler(context(env, out.state), event.payload), 0);
    // Something reached the person since their last message (a notice, an answer): the same words
    // again are a new message about what they read, not a double tap of the last one.
    if (out.messages.some((m) => !m.to)) delete out.state.lastText;
    // An event that asks something (an answer arrived: "did it help?") starts the idle clock anew,
    // as a message does; a notice that leaves the conversation where it was does not.
    if (out.state.at && out.state.at !== before) out.state.askedAt = env.now.getTime();
    return out;
  }
  if (!overLimit(env, out)) handleMessage(env, out, event.input);
  out.state.lastText = event.input.normalized;
  out.state.lastAt = env.now.getTime();
  return out;
}

/** Continues a turn with the outcome of the service call it asked for. */
export function resumeTurn<T extends FlowTypes>(
  env: TurnEnvironment<T>,
  output: TurnOutput<T>,
  result: ServiceResult<unknown>,
): TurnOutput<T> {
  const out: TurnOutput<T> = { ...output, state: copyState(output.state) };
  const call = out.call;
  delete out.call;
  if (call) apply(env, out, call.then(context(env, out.state), result), 0);
  return out;
}

/** Counts the message; true when the sender is over the limit (told once, then silence). */
function overLimit<T extends FlowTypes>(env: TurnEnvironment<T>, out: TurnOutput<T>): boolean {
  const limit = env.rateLimit ?? DEFAULT_RATE_LIMIT;
  const now = env.now.getTime();
  const burst =
    out.state.burst && now - out.state.burst.since < limit.perMs ? out.state.burst : { since: now, count: 0 };
  out.state.burst = { ...burst, count: burst.count + 1 };
  if (out.state.burst.count <= limit.messages || out.state.mode === 'live') return false;
  if (!burst.warned && out.state.mode !== 'stopped') {
    apply(env, out, env.flows.tooMany(context(env, out.state)), 0);
    out.state.burst.warned = true;
  }
  return true;
}

function handleMessage<T extends FlowTypes>(
  env: TurnEnvironment<T>,
  out: TurnOutput<T>,
  input: UserInput,
): void {
  const { flows } = env;
  const state = out.state;
  const here = currentStep(env, state);
  // A step's own choices win over words that work everywhere ("Stoppen" at a list of times).
  const global = flows.globals.find(
    (g) =>
      (g.worksIn ?? ['bot']).includes(state.mode) &&
      !(input.choice && state.mode === 'bot') &&
      !(g.notInFreeText && here?.freeText) &&
      g.match(input, state),
  );
  if (state.mode === 'stopped' && !global) return;
  const starts = () => (here?.freeText ? findCommand(env, input) : findTrigger(env, input));
  const guarded = flows.guard(context(env, state), input, starts);
  if (guarded) return apply(env, out, guarded, 0);
  sayHeld(out);
  // A message clearly in the other language is answered in it, the welcome too.
  const spoken = flows.language?.(context(env, state), input);
  if (spoken && spoken !== state.lang) {
    state.lang = spoken;
    env = { ...env, languageSwitched: true };
  }
  if (!state.greeted) {
    out.state.greeted = true;
    if (!global?.noWelcome) apply(env, out, flows.firstContact(context(env, state)), 0);
    const quiet = !global || global.quietAfterWelcome === true;
    // A first message that says something of its own (a question, a report) is read at the menu,
    // after the welcome, not lost behind it.
    if (quiet && !findTrigger(env, input))
      return enter(env, out, flows.menu, 0, input.sentence && !input.choice ? input : undefined);
  }
  if (global) return apply(env, out, global.handle(context(env, out.state), input), 0);
  if (state.mode === 'live' && state.live?.until !== undefined && env.now.getTime() > state.live.until) {
    // The session's end notice never came (a lost timer, or one late after an outage): the chat
    // must not stay linked forever.
    if (flows.liveLapsed) apply(env, out, flows.liveLapsed(context(env, out.state)), 0);
    out.state.mode = 'bot';
    delete out.state.live;
  }
  if (out.state.mode !== 'bot') {
    const relayed = flows.relay(context(env, state), input);
    if (relayed) apply(env, out, relayed, 0);
    return;
  }
  const waitsForReply = currentStep(env, state)?.keepWhenIdle === true;
  // Idle since the resident last wrote, or since an event last asked them something.
  const activeAt = Math.max(state.lastAt ?? 0, state.askedAt ?? 0);
  const idle = activeAt > 0 && env.now.getTime() - activeAt > env.idleMs;
  // What the last visit found out is forgotten once it is over, also at the menu.
  if (idle) delete out.state.session;
  if (state.at && !waitsForReply && idle) {
    apply(env, out, flows.idleReset(context(env, state)), 0);
    leaveFlows(out.state);
  }
  const step = currentStep(env, out.state);
  const at = out.state.at;
  const inFlow = step !== undefined && at !== undefined && at.flow !== flows.menu.flow;
  // In a flow, a yes, no or "geen idee" is the step's answer, whatever else it says; so are the
  // words of an intent the step reads itself (`Step.reads`).
  const answers =
    inFlow &&
    (input.answer !== undefined ||
      (input.intent !== undefined && step?.reads?.includes(input.intent.intent)));
  // At the menu a label word ("vragen" in "Mijn vragen") gives way to a flow's own words or pattern.
  const weakChoice = !inFlow && input.choice !== undefined && input.choiceBy === 'words';
  // A step that takes free text lets only a flow's command words through ("vragen" from an alderman
  // halfway an answer), and a message that wholly asks for another flow ("mijn vragen", "ik wil toch
  // liever een vraag stellen"), which is offered below: other words there are the person's own text.
  const trigger =
    (input.choice && !weakChoice) || answers
      ? undefined
      : step?.freeText
        ? (findCommand(env, input) ??
          (step.readsFlows ? undefined : requestedFlow(env.flows.flows, env.texts, out.state, input)))
        : findTrigger(env, input);
  // At the start step of the very flow a trigger starts, the trigger is that step's answer.
  const atItsStart = at?.flow === trigger?.name && at?.step === trigger?.start;
  if (trigger && !atItsStart) {
    // The flow that is asked for again, called by another (the district the booking needs: a
    // corrected postcode at "remember?"), starts again where it is: the caller still waits for it.
    if (trigger.name === at?.flow && out.state.stack.length > 0)
      return enter(env, out, { flow: trigger.name, step: trigger.start }, 0);
    // A pattern (a postcode, a reference, a staff command) is taken as before; only words are offered.
    const byWords = input.intent !== undefined && trigger.intents?.includes(input.intent.intent) === true;
    if (!inFlow || !byWords || step?.tentative) return startFlow(env, out, trigger);
    // Asking again for what is going on starts it again, also from a flow it called (the postcode
    // the booking asks for: "U bent bezig met Afspraak maken. Dan gaan we naar: Afspraak maken" made
    // no sense); another flow's words are offered, never taken: the booking is not dropped because
    // an answer names the district.
    const underway = trigger.name === at.flow || state.stack[0]?.flow === trigger.name;
    if (underway || !flows.offer) return startFlow(env, out, trigger);
    return apply(env, out, flows.offer(context(env, out.state), trigger.name), 0);
  }
  if (step?.answer) return apply(env, out, step.answer(context(env, out.state), input), 0);
  enter(env, out, flows.menu, 0, input);
}

/**
 * The choices of the message just said, the question they answer, and the choices of the same
 * question said before them (`earlier`, even none); a message that does not say those keeps them
 * only when it asks the same choices again (a hint and the question, or relabelled in another
 * language). A hint that asks for one of the same choices again (`again`) keeps the question too.
 */
function keepChoices(
  state: ConversationState,
  say: { text: string; choices?: Choice[] },
  earlier: Choice[] | undefined,
  again: boolean,
): void {
  const { choices } = say;
  const same =
    choices?.length === state.choices?.length && choices?.every((c, i) => c.id === state.choices?.[i]?.id);
  if (earlier?.length && choices?.length) state.earlier = earlier;
  else if (earlier || !same || !choices?.length) delete state.earlier;
  if (choices?.length) {
    state.choices = choices;
    if (!again) state.question = { text: say.text, lang: state.lang };
  } else {
    delete state.choices;
    delete state.question;
  }
}

/** What was held for the person's next message comes first; the choices of the last question stay. */
function sayHeld<T extends FlowTypes>(out: TurnOutput<T>): void {
  if (out.state.mode !== 'bot' || !out.state.held?.length) return;
  for (const text of out.state.held) out.messages.push({ text });
  delete out.state.held;
}

function findTrigger<T extends FlowTypes>(env: TurnEnvironment<T>, input: UserInput): Flow<T> | undefined {
  const intent = input.intent?.intent;
  return env.flows.flows.find(
    (f) =>
      (!f.staffOnly || env.staff) &&
      ((intent !== undefined && f.intents?.includes(intent)) ||
        f.triggers?.some((re) => re.test(input.normalized)) ||
        isCommand(f, input)),
  );
}

/** The flow whose command word (a typo forgiven) is the whole message, for whoever may start it. */
function findCommand<T extends FlowTypes>(env: TurnEnvironment<T>, input: UserInput): Flow<T> | undefined {
  return env.flows.flows.find((f) => (!f.staffOnly || env.staff) && isCommand(f, input));
}

function isCommand<T extends FlowTypes>(flow: Flow<T>, input: UserInput): boolean {
  return flow.commands?.some((word) => sameWord(input.normalized, word)) === true;
}

function startFlow<T extends FlowTypes>(env: TurnEnvironment<T>, out: TurnOutput<T>, flow: Flow<T>): void {
  leaveFlows(out.state);
  enter(env, out, { flow: flow.name, step: flow.start }, 0);
}

/** Drops any flow in progress and its data. */
function leaveFlows(state: ConversationState): void {
  delete state.at;
  state.stack = [];
  state.data = {};
}

function enter<T extends FlowTypes>(
  env: TurnEnvironment<T>,
  out: TurnOutput<T>,
  ref: StepRef,
  hops: number,
  input?: UserInput,
): void {
  const step = findStep(env, ref);
  if (!step) {
    leaveFlows(out.state);
    if (ref.flow !== env.flows.menu.flow) enter(env, out, env.flows.menu, hops + 1);
    return;
  }
  out.state.at = ref;
  if (input && step.answer) return apply(env, out, step.answer(context(env, out.state), input), hops + 1);
  if (step.enter) apply(env, out, step.enter(context(env, out.state)), hops + 1);
}

function apply<T extends FlowTypes>(
  env: TurnEnvironment<T>,
  out: TurnOutput<T>,
  t: Transition<T>,
  hops: number,
): void {
  if (hops > MAX_HOPS) throw new Error(`flow loop: more than ${MAX_HOPS} steps in one turn`);
  const state = out.state;
  if (t.lang) state.lang = t.lang;
  if (t.mode) state.mode = t.mode;
  if (t.live === null) delete state.live;
  else if (t.live) state.live = t.live;
  if (t.leave) leaveFlows(state);
  if (t.data) state.data = { ...state.data, ...t.data };
  if (t.profile) state.profile = { ...state.profile, ...t.profile };
  if (t.session) state.session = { ...state.session, ...t.session };
  // A resident who stops ends the visit: nothing of it is kept.
  if (t.mode === 'stopped') delete state.session;
  if (t.flags) out.flags = { ...out.flags, ...t.flags };
  if (t.effects) out.effects.push(...t.effects);
  if (t.hold?.length) state.held = [...(state.held ?? []), ...t.hold].slice(-MAX_HELD);
  // The choices kept from the last question are in the language this message switched from: a
  // step that asks its own question asks it anew in the new one; another relabels its choices.
  const step = t.again && env.languageSwitched ? currentStep(env, state) : undefined;
  if (t.again && step?.enter && state.at) {
    out.messages.push({ text: t.again.hint });
    return enter(env, out, state.at, hops + 1);
  }
  const relabelIn = step?.relabel ? context(env, state) : undefined;
  for (const said of t.say ?? []) {
    const item =
      relabelIn && typeof said !== 'string' && said.choices
        ? {
            ...said,
            choices: said.choices.map((c, _, all) => ({
              ...c,
              label: step?.relabel?.(relabelIn, c, all) ?? c.label,
            })),
          }
        : said;
    const { earlier, ...say } = typeof item === 'string' ? { text: item } : item;
    out.messages.push(say);
    if (!say.to) keepChoices(state, say, earlier, t.again !== undefined);
  }
  if (t.call) {
    out.call = t.call;
    return;
  }
  if (t.done) return finish(env, out, hops);
  if (t.goto !== undefined) {
    const target = typeof t.goto === 'string' ? { flow: state.at?.flow ?? '', step: t.goto } : t.goto;
    if (t.returnTo && state.at) state.stack.push({ flow: state.at.flow, step: t.returnTo });
    else if (target.flow !== state.at?.flow && !t.inPlace) {
      state.stack = [];
      if (!t.data) state.data = {};
    }
    enter(t.startInput ? { ...env, input: t.startInput } : env, out, target, hops + 1);
  }
}

function finish<T extends FlowTypes>(env: TurnEnvironment<T>, out: TurnOutput<T>, hops: number): void {
  const back = out.state.stack.pop();
  if (back) return enter(env, out, back, hops + 1);
  leaveFlows(out.state);
}

function currentStep<T extends FlowTypes>(
  env: TurnEnvironment<T>,
  state: ConversationState,
): Step<T> | undefined {
  return state.at ? findStep(env, state.at) : undefined;
}

function findStep<T extends FlowTypes>(env: TurnEnvironment<T>, ref: StepRef): Step<T> | undefined {
  return env.flows.flows.find((f) => f.name === ref.flow)?.steps[ref.step];
}

/** The read-only context a step receives. */
export function context<T extends FlowTypes>(
  env: TurnEnvironment<T>,
  state: ConversationState,
): StepContext<T> {
  const ctx: StepContext<T> = {
    state,
    // Only this conversation's flows write its data, through their typed transitions.
    data: state.data as T['data'],
    t: translator(env.texts, state.lang),
    tIn: (lang) => translator(env.texts, lang),
    lang: state.lang,
    now: env.now,
    municipality: env.municipality,
    address: env.address,
    ...(env.input ? { input: env.input } : {}),
  };
  return env.staff ? { ...ctx, staff: env.staff } : ctx;
}
