import type { Language, TextKey, Translate } from '../i18n/translator.js';
import type { Municipality } from '../municipality/municipality.js';
import type { Address, Author, Choice } from '../ports/messages.js';
import type { ArgsOf, ResultOf, ServiceMap, ServiceResult, StaffIdentity } from '../ports/services.js';
import type { ConversationMode, ConversationState, Profile, SessionMemory, StepRef } from './state.js';
import type { Answer } from '../understanding/answers.js';
import type { IntentReading } from '../understanding/matcher.js';
import type { ChosenBy } from '../understanding/choices.js';
import type { Intent } from '../understanding/vocabulary.js';
import type { TimeWish } from '../understanding/time-wish.js';

export type { Intent } from '../understanding/vocabulary.js';

export type { StaffIdentity } from '../ports/services.js';

/**
 * The types one conversation is made of: the services its flows call, the data its flows keep,
 * the events it handles and the jobs it schedules. The engine is generic over them; `flows/`
 * fixes them once, so every call, payload and job is checked by the compiler.
 */
export interface FlowTypes {
  services: ServiceMap;
  /** The data flows keep between steps (every field optional: a flow only has what it set). */
  data: object;
  /** Event name → payload, for timers and notices handed to a conversation. */
  events: object;
  /** Job name → data, for jobs a step schedules. */
  jobs: object;
}

/** A message to say: to this conversation, or to someone else when `to` is set. */
export interface Say {
  text: string;
  choices?: Choice[];
  /**
   * Choices of the same question shown in an earlier message and not shown again (the free times
   * before "Latere tijden"): a label or a time typed still picks one. Not sent; kept in the state
   * while these choices are asked again (see `ConversationState.earlier`).
   */
  earlier?: Choice[];
  to?: Address;
  /** A person wrote it (an operator's reply, an alderman's line); the chatbot when not given. */
  author?: Author;
}

/** A job to put on the queue once the turn is committed (reminders, routing, timers). */
export type ScheduleEffect<T extends FlowTypes> = {
  [K in keyof T['jobs'] & string]: {
    type: 'schedule';
    name: K;
    data: T['jobs'][K];
    jobId?: string;
    runAt?: Date;
  };
}[keyof T['jobs'] & string];

export type Effect<T extends FlowTypes> = ScheduleEffect<T> | { type: 'cancel-job'; jobId: string };

/** A call of a domain service; its outcome goes to `then`, in the same turn. */
export interface Call<T extends FlowTypes> {
  service: keyof T['services'] & string;
  args: unknown;
  then: (ctx: StepContext<T>, result: ServiceResult<unknown>) => Transition<T>;
}

/** What a step decides. The engine carries it out; the step itself never does IO. */
export interface Transition<T extends FlowTypes> {
  say?: (string | Say)[];
  /** Merged into the flow's data. */
  data?: Partial<T['data']>;
  profile?: Partial<Profile>;
  /** Merged into what this visit keeps (SessionMemory). */
  session?: Partial<SessionMemory>;
  lang?: Language;
  mode?: ConversationMode;
  /** Sets (object) or clears (null) the live link. */
  live?: ConversationState['live'] | null;
  /** A step of this flow, or a step of another flow (entered through its `enter`). */
  goto?: string | StepRef;
  /** Enter `goto` and come back here (to `returnTo`) when that flow is done. */
  returnTo?: string;
  /**
   * With `goto`: the message the steps entered from here see as the turn's (`ctx.input`), as if it
   * had started them (the switch's yes starts the flow an earlier message named, with its words).
   */
  startInput?: UserInput;
  /**
   * `goto` another flow in this one's place: where this flow was called from (or interrupted) stays,
   * so it goes on there when that flow is done. Without it, another flow starts afresh.
   */
  inPlace?: boolean;
  /** The flow is finished: back to where it was called from, or to the menu. */
  done?: boolean;
  /** Leaves every flow in progress (and its data) without showing the menu. */
  leave?: boolean;
  /** A service to call; made with `flowKit().call`, which types its arguments and result. */
  call?: Call<T>;
  effects?: Effect<T>[];
  /** Flags on the conversation record that operators see. */
  flags?: { needsHuman?: boolean };
  /** Kept and said before the reply to the person's next message (a channel that may not write first). */
  hold?: string[];
  /**
   * The step's question asked again (common `askAgain`), after `hint`: when this very message
   * switched the conversation's language, the step asks it anew, its choices in the new language.
   */
  again?: { hint: string };
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
  /** A clear yes, no or "I don't know" in the words (src/understanding), absent when unclear. */
  answer?: Answer;
  /** The message is only that yes or no ("nee", "nee dank je"): nothing else a free-text step could keep. */
  answerAlone?: boolean;
  /**
   * The yes says it is right as it is ("klopt", "prima zo", "that's right"), not "yes, I want to":
   * to "Wilt u nog iets toevoegen?" it means that was all (`Vocabulary.asIs`).
   */
  answerAsIs?: true;
  /**
   * The no says it is not right as it is ("klopt niet", "dat is fout", "that's wrong"), not "no,
   * thank you": to "Wilt u nog iets toevoegen?" it means what was written down is wrong
   * (`Vocabulary.notAsIs`).
   */
  answerNotAsIs?: true;
  /** The intent that stands out in the words, if one does. */
  intent?: IntentReading;
  /**
   * The intent only vague words point at ("het lukt me niet om in te loggen": other-time), in a
   * message about no time: a step that reads that intent (`Step.reads`) may take it, nothing else.
   */
  vague?: Intent;
  /** The likely intents when none stands out (for "Bedoelt u …?"); the one intent when one does. */
  candidates?: Intent[];
  /** Greetings and thanks in the message. */
  social?: Intent[];
  /** How a typed choice was read: its label, number, ordinal, time, a yes/no, or words of its label. */
  choiceBy?: ChosenBy;
  /**
   * The message says something in words of its own, as a question or a report does ("wanneer wordt
   * het gras in het park gemaaid?"): four or more words that carry meaning (three with a question
   * mark), greetings, thanks and fillers aside. Whether a flow or choice is meant is read apart.
   */
  sentence?: true;
  /** The language the words are clearly written in (src/understanding `writtenIn`); absent when short or mixed. */
  language?: Language;
  /** The weekdays, part of the day, month or kind of slot the words ask for ("heeft u iets op dinsdag?"). */
  timeWish?: TimeWish;
  /** The words ask to cancel an appointment, or to move one ("ik wil mijn afspraak afzeggen"). */
  change?: 'cancel' | 'move';
}

/** Everything a step may read. */
export interface StepContext<T extends FlowTypes> {
  readonly state: ConversationState;
  readonly data: Readonly<T['data']>;
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
export interface Step<T extends FlowTypes> {
  /** Called when the step is entered: usually asks its question. */
  enter?(ctx: StepContext<T>): Transition<T>;
  /** Called with the person's answer. */
  answer?(ctx: StepContext<T>, input: UserInput): Transition<T>;
  /**
   * A step that only shows choices (it asks nothing on entering): the label of one of them in the
   * conversation's language now, for when they are shown again after a language switch (the ids
   * stay). Undefined keeps the label as it was shown.
   */
  relabel?(ctx: StepContext<T>, choice: Choice, shown: readonly Choice[]): string | undefined;
  /**
   * What the person is doing at this step, for staff on the dashboard ("Wacht op een postcode",
   * "Kiest een tijd"), where it matters to them; without it the dashboard names only the flow.
   */
  label?: TextKey;
  /**
   * The answer is free text (a question): plain words must not start other flows; only a message
   * that wholly asks for another one ("mijn vragen") is offered (`requestedFlow`).
   */
  freeText?: boolean;
  /**
   * Free text where the words of other flows are this step's own to read (the switch question,
   * where they may be its yes): no other flow is offered from here, not even on a whole request.
   */
  readsFlows?: boolean;
  /** Thanks answers this step's question ("Bedankt!" after an answer: it helped), not small talk. */
  thanksAnswers?: boolean;
  /**
   * The step waits for a reply staff asked for, which may come days later: an idle pause does not
   * send the conversation back to the menu here (global words such as `menu` and `stop` still work).
   */
  keepWhenIdle?: boolean;
  /**
   * The step only offers what the bot made of the person's words ("Wilt u dit als vraag sturen?"),
   * or asks what nobody has to answer ("Heeft dit antwoord u geholpen?" after an answer came):
   * nobody chose to be here, so another flow's words start that flow at once, with no "Wilt u
   * daarmee stoppen?" about a flow they never started.
   */
  tentative?: boolean;
  /**
   * Intents whose words are this step's own answer here, not another flow to offer: "dinsdag lukt
   * me niet" at a list of times asks for other times, not for the resident's appointments.
   */
  reads?: Intent[];
  /**
   * Asked when a word that leaves any step ("menu", "terug") is typed here: a step that holds what
   * the person wrote and has not sent yet asks first, instead of dropping it; undefined lets them go.
   */
  leaving?(ctx: StepContext<T>): Transition<T> | undefined;
  /**
   * Where "terug" or "vorige" on its own goes from this step, when that is a step before it in the
   * same flow (the times, from a booking's "Klopt dit?"); undefined leaves the flow as elsewhere.
   */
  previous?(ctx: StepContext<T>): Transition<T> | undefined;
}

/** A declarative flow: named steps, where it starts, and the words that start it. */
export interface Flow<T extends FlowTypes> {
  name: string;
  start: string;
  steps: Record<string, Step<T>>;
  /** Intents (data/vocabulary) that start this flow from the menu or from idle; inside another flow it is offered. */
  intents?: Intent[];
  /** Patterns that are no words (a postcode, a reference) and start this flow, matched on the normalized text. */
  triggers?: RegExp[];
  /**
   * Command words that start this flow when one is the whole message, with a typo forgiven as for
   * vocabulary words ("vragne" is "vragen"): staff's own words, which the residents' vocabulary
   * does not hold. They work at a step that takes free text too (halfway an answer), where other
   * words are the person's own text.
   */
  commands?: string[];
  /** Shown in the menu when set (lower order first). */
  menu?: { order: number; label: TextKey };
  /** What the flow is called when it is not in the menu (the switch question names it). */
  title?: TextKey;
  /**
   * What staff read on the dashboard while a conversation is in this flow ("Afspraak maken met de
   * wethouder"): every flow in flows/ has one (test/flows/labels.test.ts); without it the dashboard
   * falls back to the menu label or title, else "Bezig met een vraag".
   */
  label?: TextKey;
  /** Only linked staff may start it. */
  staffOnly?: boolean;
  /**
   * The message that starts it only shows something (a list, a status): the same message again
   * soon after is answered again, never refused as a double tap (see `FlowSet.guard`).
   */
  repeatable?: boolean;
}

/** A word that works at any step (menu, help, stop, language, a person). */
export interface GlobalWord<T extends FlowTypes> {
  name: string;
  match(input: UserInput, state: ConversationState): boolean;
  /** Whether it also works while the conversation is stopped or with a person. */
  worksIn?: ConversationMode[];
  /** Not at a step that takes free text (a question, a topic): there the words are the resident's text. */
  notInFreeText?: boolean;
  /** A first message that is this word gets no welcome (a staff member linking their chat). */
  noWelcome?: boolean;
  /** After the welcome it has nothing to add (a greeting): the menu follows as for any first message. */
  quietAfterWelcome?: boolean;
  handle(ctx: StepContext<T>, input: UserInput): Transition<T>;
}

/** A timer or a message from elsewhere in the service to this conversation. */
export type EventHandler<T extends FlowTypes, P> = (ctx: StepContext<T>, payload: P) => Transition<T>;

/** Every event the conversation can receive, each with its handler. */
export type EventHandlers<T extends FlowTypes> = {
  [K in keyof T['events']]: EventHandler<T, T['events'][K]>;
};

/** Everything the engine runs: the municipality's conversation, as data and pure functions. */
export interface FlowSet<T extends FlowTypes> {
  flows: Flow<T>[];
  globals: GlobalWord<T>[];
  /** The step that shows the menu. */
  menu: StepRef;
  /** Inside a flow, words that start another flow ask first whether to leave this one. */
  offer?(ctx: StepContext<T>, flow: string): Transition<T>;
  /** What a first message gets before anything else (welcome and privacy notice). */
  firstContact(ctx: StepContext<T>): Transition<T>;
  /** What is said when a conversation idle for too long starts again. */
  idleReset(ctx: StepContext<T>): Transition<T>;
  /**
   * Answers to input the engine refuses before any flow sees it; `starts()` finds the flow the
   * message's words or pattern would start, if any (a repeatable one is no double tap).
   */
  guard(ctx: StepContext<T>, input: UserInput, starts: () => Flow<T> | undefined): Transition<T> | undefined;
  /** Said once when someone sends more messages than the rate limit allows; then silence until it passes. */
  tooMany(ctx: StepContext<T>): Transition<T>;
  /**
   * The language a message makes the conversation go on in, before anything else reads it; undefined
   * to keep the conversation's own.
   */
  language?(ctx: StepContext<T>, input: UserInput): Language | undefined;
  /** Handling while a person (operator) has the conversation, or while it is live. */
  relay(ctx: StepContext<T>, input: UserInput): Transition<T> | undefined;
  /**
   * What a chat is told when its live link lapses on a message (ten minutes past the slot, its end
   * notice late or lost); the engine then takes it out of the session.
   */
  liveLapsed?(ctx: StepContext<T>): Transition<T>;
  events: EventHandlers<T>;
}

/**
 * The typed helpers flows use, bound to their conversation's types once (`flowKit<MyTypes>()`):
 * `call` checks a service's name and arguments and hands `then` its exact result type.
 */
export function flowKit<T extends FlowTypes>() {
  const call = <K extends keyof T['services'] & string>(
    service: K,
    args: ArgsOf<T['services'], K>,
    then: (ctx: StepContext<T>, result: ServiceResult<ResultOf<T['services'], K>>) => Transition<T>,
  ): Call<T> =>
    // The engine hands `then` the outcome of exactly this service, so the narrower type holds.
    ({ service, args, then: then as Call<T>['then'] });
  return { call };
}
