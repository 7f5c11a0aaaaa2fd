import type { MigrationInterface } from 'typeorm';
import { Conversations1764290000000 } from './1764290000000-Conversations.js';
import { Jobs1764300000000 } from './1764300000000-Jobs.js';
import { Bookings1764300001000 } from './1764300001000-Bookings.js';
import { Cases1764300002000 } from './1764300002000-Cases.js';
import { InboundFirstName1764300003000 } from './1764300003000-InboundFirstName.js';
import { StaffAccounts1765400000000 } from './1765400000000-StaffAccounts.js';
import { StaffTotp1765400001000 } from './1765400001000-StaffTotp.js';
import { CaseInbox1765450000000 } from './1765450000000-CaseInbox.js';
import { PrivacyAudit1765500000000 } from './1765500000000-PrivacyAudit.js';
import { HeldMessages1765600000000 } from './1765600000000-HeldMessages.js';
import { DeadLetters1765700000000 } from './1765700000000-DeadLetters.js';
import { ConversationSearch1765800000000 } from './1765800000000-ConversationSearch.js';
import { Webcare1765850000000 } from './1765850000000-Webcare.js';
import { StandardAnswers1765950000000 } from './1765950000000-StandardAnswers.js';
import { Polls1766100000000 } from './1766100000000-Polls.js';
import { StaffLinkFailures1766200000000 } from './1766200000000-StaffLinkFailures.js';
import { HoursCancellations1766300000000 } from './1766300000000-HoursCancellations.js';
import { HoursEntries1766310000000 } from './1766310000000-HoursEntries.js';
import { InboundByTime1766400000000 } from './1766400000000-InboundByTime.js';
import { SearchIndexInBatches1766550000000 } from './1766550000000-SearchIndexInBatches.js';
import { CaseProposals1766600000000 } from './1766600000000-CaseProposals.js';
import { TurnVersion1767400000000 } from './1767400000000-TurnVersion.js';
import { Participation1766000000000 } from './1766000000000-Participation.js';
import { InboundSearchWords1767100000000 } from './1767100000000-InboundSearchWords.js';
import { InboundWordsPendingList1768200000000 } from './1768200000000-InboundWordsPendingList.js';
import { PollOutcomeVersion1768300000000 } from './1768300000000-PollOutcomeVersion.js';
import { InboundWaiting1768500000000 } from './1768500000000-InboundWaiting.js';
import { CasePromisedBy1768600000000 } from './1768600000000-CasePromisedBy.js';
import { WebcareWithdrawn1768400000000 } from './1768400000000-WebcareWithdrawn.js';

/** Every migration in order; each feature adds its own file and one line here. */
export const migrations: (new () => MigrationInterface)[] = [
  Conversations1764290000000,
  Jobs1764300000000,
  Bookings1764300001000,
  Cases1764300002000,
  InboundFirstName1764300003000,
  StaffAccounts1765400000000,
  StaffTotp1765400001000,
  CaseInbox1765450000000,
  PrivacyAudit1765500000000,
  HeldMessages1765600000000,
  DeadLetters1765700000000,
  ConversationSearch1765800000000,
  Webcare1765850000000,
  StandardAnswers1765950000000,
  Polls1766100000000,
  StaffLinkFailures1766200000000,
  HoursCancellations1766300000000,
  HoursEntries1766310000000,
  InboundByTime1766400000000,
  SearchIndexInBatches1766550000000,
  CaseProposals1766600000000,
  Participation1766000000000,
  InboundSearchWords1767100000000,
  TurnVersion1767400000000,
  InboundWordsPendingList1768200000000,
  PollOutcomeVersion1768300000000,
  WebcareWithdrawn1768400000000,
  InboundWaiting1768500000000,
  CasePromisedBy1768600000000,
];
