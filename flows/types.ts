import type { ConversationEventJob } from '../src/engine/event-job.js';
import {
  flowKit,
  type Effect as EngineEffect,
  type EventHandler as EngineEventHandler,
  type Flow as EngineFlow,
  type FlowSet as EngineFlowSet,
  type FlowTypes,
  type GlobalWord as EngineGlobalWord,
  type Step as EngineStep,
  type StepContext as EngineStepContext,
  type Transition as EngineTransition,
} from '../src/engine/flow.js';

export type { Intent, UserInput } from '../src/engine/flow.js';
import type { CaseEvents, CaseJobs } from '../src/features/cases/events.js';
import type { Services } from '../src/features/index.js';
import type { SchedulingEvents, SchedulingJobs } from '../src/features/scheduling/events.js';
import type { WebcareEvents } from '../src/features/webcare/events.js';
import type { PollEvents } from '../src/features/polls/events.js';
import type { PollView } from '../src/features/polls/views.js';
import type { ParticipationEvents, ParticipationJobs } from '../src/features/participation/events.js';
import type { BookingView, SlotView } from '../src/features/scheduling/views.js';
import type { Address } from '../src/shared/address.js';
import type { Choice } from '../src/ports/messages.js';
import type { UserInput } from '../src/engine/flow.js';
import type { TimeWish } from '../src/understanding/time-wish.js';
import type { ConversationState } from '../src/engine/state.js';

/** What the flows keep between steps. Every field is optional: a flow only has what it set. */
export interface FlowData {
  /** district: the district found (or remembered), read by book and ask afterwards. */
  districtId?: string;
  /** district: "Andere postcode" was chosen, so the postcode is asked even with a district remembered. */
  otherPostcode?: boolean;
  /** book: the alderman proposed, the one chosen, the slots offered, the slot chosen, the topic (updates: the topic subscribed to, '' for all). */
  proposed?: string;
  aldermanId?: string;
  offered?: SlotView[];
  /** book: the free times shown on earlier pages ("Latere tijden", "andere dag"), still picked by their time typed. */
  earlier?: SlotView[];
  /** book: the wish the times shown were found for ("op dinsdag"): "Latere tijden" shows more of those. */
  wish?: TimeWish;
  start?: number;
  topic?: string;
  /** book: the subject the message that asked for the booking named ("… over de speeltuin"), offered at the topic step. */
  namedTopic?: string;
  /** book: the booking being moved (set by my-appointments), and its start now (epoch ms). */
  moving?: string;
  movingFrom?: number;
  /** my-appointments: the bookings listed, and the one being cancelled. */
  bookings?: BookingView[];
  cancelling?: string;
  /** propose: the resident's answers so far (what, where, who takes part, what help). */
  proposal?: { what?: string; where?: string; who?: string; help?: string };
  /** ask: the messages of the question gathered so far. */
  parts?: string[];
  /** ask: what the resident wrote at the menu in words of their own, offered as their question. */
  draft?: string;
  /** case-answered, my-questions, staff-cases: the case talked about. */
  caseId?: string;
  reference?: string;
  followUp?: string;
  /** staff-cases: the answer the alderman wrote, before confirming. */
  answer?: string;
  /** live-rate: the booking whose session just ended. */
  bookingId?: string;
  /** staff-link: the code typed. */
  code?: string;
  /** switch: the flow offered, and the message that named it (that flow starts on it after a yes). */
  switchTo?: string;
  switchInput?: UserInput;
  /** stop, switch: per interruption, the choices of the step interrupted, offered again when it goes on (common `interrupt`). */
  resumeChoices?: Choice[][];
  /** stop, switch: per interruption, beside `resumeChoices`, the question those choices answer (or null). */
  resumeQuestions?: (ConversationState['question'] | null)[];
  /** stop, switch: per interruption, beside `resumeChoices`, the choices of that question shown before them (`Say.earlier`). */
  resumeEarlier?: Choice[][];
  /** stop: asked while waiting for (or talking to) a person; a "no" goes back to waiting. */
  waitingForPerson?: boolean;
  /**
   * person: where a request for a person stands: 'asked' (nobody read along yet; the first message
   * gets a note that it waits for them), 'noted' (that note was said), 'taken' (an operator reads).
   */
  personWait?: 'asked' | 'noted' | 'taken';
  /** stop: the upcoming appointments that stopping cancels, as the question named them. */
  lapsing?: BookingView[];
  /** stop: the references of open questions whose answer would no longer reach them, as the question named them. */
  unanswered?: string[];
  /** updates: the resident already gets updates (a no then changes nothing). */
  subscribed?: boolean;
  /** poll: the open polls shown, and the one being answered. */
  polls?: PollView[];
  pollId?: string;
  /** my-data, erase-data: what the resident may ask the privacy team for. */
  privacyRequest?: 'access' | 'erasure';
}

/** Events the flows send themselves (through a `conversation.event` job). */
export interface FlowEvents {
  /** A pause after the last part of a question; `count` tells whether more came meanwhile. */
  'ask.pause': { count: number };
}

/** Every event a conversation handles. */
export type ConversationEvents = CaseEvents &
  SchedulingEvents &
  WebcareEvents &
  PollEvents &
  ParticipationEvents &
  FlowEvents;

/** The types of this municipality's conversation: the engine checks every flow against them. */
export interface ConversationTypes extends FlowTypes {
  services: Services;
  data: FlowData;
  events: ConversationEvents;
  jobs: CaseJobs & SchedulingJobs & ParticipationJobs & { 'conversation.event': ConversationEventJob };
}

export type Flow = EngineFlow<ConversationTypes>;
export type FlowSet = EngineFlowSet<ConversationTypes>;
export type Step = EngineStep<ConversationTypes>;
export type StepContext = EngineStepContext<ConversationTypes>;
export type Transition = EngineTransition<ConversationTypes>;
export type GlobalWord = EngineGlobalWord<ConversationTypes>;
export type Effect = EngineEffect<ConversationTypes>;
export type EventHandler<K extends keyof ConversationEvents> = EngineEventHandler<
  ConversationTypes,
  ConversationEvents[K]
>;

/** Calls a service by name: its arguments and its result are checked against the service. */
export const { call } = flowKit<ConversationTypes>();

/** An event for a conversation (this one or another), delivered later through the queue. */
export function eventLater<K extends keyof ConversationEvents>(
  to: Address,
  name: K,
  payload: ConversationEvents[K],
  options: { eventId: string; jobId?: string; runAt?: Date },
): Effect {
  const { eventId, jobId, runAt } = options;
  return {
    type: 'schedule',
    name: 'conversation.event',
    data: { address: to, name, payload, eventId },
    ...(jobId ? { jobId } : {}),
    ...(runAt ? { runAt } : {}),
  };
}
