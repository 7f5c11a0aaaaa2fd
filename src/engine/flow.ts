import type { Language, Translate } from '../i18n/translator.js';
import type { Municipality } from '../municipality/municipality.js';
import type { Address, Choice } from './messages.js';
import type { ConversationMode, ConversationState, Profile, StepRef } from './state.js';

/** A message to say: to this conversation, or to someone else when `to` is set. */
export interface Say {
  text: string;
  choices?: Choice[];
  to?: Address;
}

/** A job to put on the queue once the turn is committed (reminders, routing, timers). */
export interface ScheduleEffect {
  type: 'schedule';
  name: string;
  data: unknown;
  jobId?: string;
  runAt?: Date;
}

export type Effect = ScheduleEffect | { type: 'cancel-job'; jobId: string };

/** A domain service the engine calls on the step's behalf; the outcome comes back to `result`. */
export interface Invoke {
  service: string;
  args: unknown;
}

/** What a step decides. The engine carries it out; the step itself never does IO. */
export interface Transition {
  say?: (string | Say)[];
  /** Merged into the flow's data. */
  data?: Record<string, unknown>;
  profile?: Partial<Profile>;
  lang?: Language;
  mode?: ConversationMode;
  /** Sets (object) or clears (null) the live link. */
  live?: ConversationState['live'] | null;
  /** A step of this flow, or a step of another flow (entered through its `enter`). */
  goto?: string | StepRef;
  /** Enter `goto` and come back here (to `returnTo`) when that flow is done. */
  returnTo?: string;
  /** The flow is finished: back to where it was called from, or to the menu. */
  done?: boolean;
  /** Leaves every flow in progress (and its data) without showing the menu. */
  leave?: boolean;
  invoke?: Invoke;
  effects?: Effect[];
  /** Flags on the conversation record that operators see. */
  flags?: { needsHuman?: boolean };
}

/** What a person answered, already matched to the last choices where it could be. */
export interface UserInput {
  /** The text as typed, trimmed. */
  text: string;
  /** Lower case, trimmed, inner white space folded: for matching words. */
  normalized: string;
  choice?: Choice;
  hasMedia: boolean;
  /** The first name the channel gave with the message, if any (never a proof of anything). */
  firstName?: string;
}

/** The outcome of an `invoke`. */
export type ServiceResult = { ok: true; value: unknown } | { ok: false; code: string };

/** A staff identity linked by a one-time code. */
export interface StaffIdentity {
  aldermanId: string;
}

/** Everything a step may read. */
export interface StepContext {
  readonly state: ConversationState;
  readonly data: Record<string, unknown>;
  readonly t: Translate;
  /** Looks up a text in another language (to confirm a language switch in the new one). */
  readonly tIn: (lang: Language) => Translate;
  readonly lang: Language;
  readonly now: Date;
  readonly municipality: Municipality;
  readonly address: Address;
  readonly staff?: StaffIdentity;
  /** The message that caused this turn (absent for timers and events). */
  readonly input?: UserInput;
}

/** One named step of a flow. */
export interface Step {
  /** Called when the step is entered: usually asks its question. */
  enter?(ctx: StepContext): Transition;
  /** Called with the person's answer. */
  answer?(ctx: StepContext, input: UserInput): Transition;
  /** Called with the outcome of this step's `invoke`. */
  result?(ctx: StepContext, result: ServiceResult): Transition;
  /** The answer is free text (a question): plain words must not start other flows. */
  freeText?: boolean;
}

/** A declarative flow: named steps, where it starts, and the words that start it. */
export interface Flow {
  name: string;
  start: string;
  steps: Record<string, Step>;
  /** Words that start this flow from the menu or from idle (matched on the normalized text). */
  triggers?: RegExp[];
  /** Shown in the menu when set (lower order first). */
  menu?: { order: number; label: string; synonyms?: string[] };
  /** Only linked staff may start it. */
  staffOnly?: boolean;
}

/** A word that works at any step (menu, help, stop, language, a person). */
export interface GlobalWord {
  name: string;
  match(input: UserInput, state: ConversationState): boolean;
  /** Whether it also works while the conversation is stopped or with a person. */
  worksIn?: ConversationMode[];
  handle(ctx: StepContext, input: UserInput): Transition;
}

/** A timer or a message from elsewhere in the service to this conversation. */
export type EventHandler = (ctx: StepContext, payload: Record<string, unknown>) => Transition;

/** Everything the engine runs: the municipality's conversation, as data and pure functions. */
export interface FlowSet {
  flows: Flow[];
  globals: GlobalWord[];
  /** The step that shows the menu. */
  menu: StepRef;
  /** What a first message gets before anything else (welcome and privacy notice). */
  firstContact(ctx: StepContext): Transition;
  /** What is said when a conversation idle for too long starts again. */
  idleReset(ctx: StepContext): Transition;
  /** Answers to input the engine refuses before any flow sees it. */
  guard(ctx: StepContext, input: UserInput): Transition | undefined;
  /** Said once when someone sends more messages than the rate limit allows; then silence until it passes. */
  tooMany(ctx: StepContext): Transition;
  /** Handling while a person (operator) has the conversation, or while it is live. */
  relay(ctx: StepContext, input: UserInput): Transition | undefined;
  events: Record<string, EventHandler>;
}
