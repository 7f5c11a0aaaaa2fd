import type { Flow, FlowSet, GlobalWord } from './types.js';
import { askPause, askQuestionFlow } from './ask-question.js';
import { bookFlow } from './book.js';
import { endWord, leaveLiveWord, liveEndFlow, liveEvents, liveLapsed, liveRateFlow } from './live.js';
import { myAppointmentsFlow } from './my-appointments.js';
import { caseAnswered, caseAnsweredFlow, caseDelay } from './case-answered.js';
import { caseClosed, caseDateMoved, caseInfoFlow, caseInfoRequested } from './case-info.js';
import { MENU } from './common.js';
import { districtFlow } from './district.js';
import { firstContact, guard, idleReset, relay, tooMany } from './frame.js';
import { languageWord, spokenLanguage } from './language.js';
import { menuFlow } from './menu.js';
import { myQuestionsFlow } from './my-questions.js';
import { contactWord, helpWord, menuWord, personFlow, personWord, withdrawWord } from './person.js';
import { staffAnswerFlow, staffAnswerWord, staffCasesFlow } from './staff-cases.js';
import { staffCaseEvents } from './staff-case-events.js';
import { staffLinkFlow, staffLinkWord } from './staff-link.js';
import { startWord, stopFlow, stopWord } from './stop.js';
import { backWord, noButtonsWord, socialWord } from './escape.js';
import { offerSwitch, switchFlow } from './switch.js';
import { proposalStage, proposeFlow } from './propose.js';
import { staffStageFlow, staffStageWord } from './staff-stage.js';
import { staffForwardFlow, staffForwardWord } from './staff-forward.js';
import { staffAppointmentsFlow, staffBookingEvents } from './staff-appointments.js';
import { webcareEvents } from './webcare.js';
import { pollClosed, pollFlow, pollInvite, pollOutcome } from './poll.js';
import {
  participationEvents,
  unsubscribeFlow,
  unsubscribeWord,
  updatesFlow,
  updatesOffFlow,
} from './participation.js';
import { eraseDataFlow, forgetDistrictFlow, myDataFlow } from './my-data.js';

/** Every flow a conversation can be in. A new flow is one file and one line here. */
const flows: Flow[] = [];
flows.push(
  menuFlow(() => flows),
  // Staff flows first: their words ("vragen") win for linked staff only.
  staffCasesFlow,
  staffAnswerFlow,
  staffStageFlow,
  staffForwardFlow,
  staffAppointmentsFlow,
  districtFlow,
  bookFlow,
  myAppointmentsFlow,
  liveEndFlow,
  liveRateFlow,
  askQuestionFlow,
  proposeFlow,
  myQuestionsFlow,
  caseAnsweredFlow,
  caseInfoFlow,
  personFlow,
  stopFlow(() => flows),
  staffLinkFlow,
  pollFlow,
  updatesFlow,
  updatesOffFlow(() => flows),
  unsubscribeFlow,
  myDataFlow,
  eraseDataFlow,
  forgetDistrictFlow,
  switchFlow(() => flows),
);

/** Words that work at any step, checked in this order. */
const globals: GlobalWord[] = [
  endWord,
  leaveLiveWord,
  startWord,
  stopWord,
  unsubscribeWord,
  menuWord(() => flows),
  withdrawWord,
  helpWord(() => flows),
  contactWord(() => flows),
  noButtonsWord(() => flows),
  languageWord(() => flows),
  personWord,
  backWord(() => flows),
  socialWord(() => flows),
  staffLinkWord,
  staffAnswerWord,
  staffStageWord,
  staffForwardWord,
];

/** The municipality's conversation: flows, global words, and what frames every turn. */
export const flowSet: FlowSet = {
  flows,
  globals,
  menu: { ...MENU },
  offer: offerSwitch,
  firstContact,
  idleReset,
  guard,
  language: spokenLanguage,
  relay,
  liveLapsed,
  tooMany,
  events: {
    'ask.pause': askPause,
    'case.answered': caseAnswered,
    'case.delay': caseDelay,
    'case.info_requested': caseInfoRequested,
    'case.date_moved': caseDateMoved,
    'case.closed': caseClosed,
    'case.proposal_stage': proposalStage,
    ...staffCaseEvents,
    ...staffBookingEvents,
    ...liveEvents,
    ...webcareEvents,
    'poll.closed': pollClosed,
    'poll.outcome': pollOutcome,
    'poll.invite': pollInvite,
    ...participationEvents,
  },
};
