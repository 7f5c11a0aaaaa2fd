import type { BookingRepository } from './booking-repository.js';
import type { CaseRepository } from './case-repository.js';
import type { ConversationRepository } from './conversation-repository.js';
import type { ConversationSearchRepository } from './conversation-search.js';
import type { DeadLetterRepository } from './dead-letter-repository.js';
import type { HeldMessageRepository } from './held-message-repository.js';
import type { OperationsRepository } from './operations-repository.js';
import type { PrivacyAuditRepository } from './privacy-audit-repository.js';
import type { StaffRepository } from './staff-repository.js';
import type { StaffAccountRepository } from './account-repository.js';
import type { AuditRepository } from './audit-repository.js';
import type { WebcareRepository } from './webcare-repository.js';
import type { StandardAnswerRepository } from './standard-answer-repository.js';
import type { PollRepository } from './poll-repository.js';
import type { HoursCancellationRepository } from './hours-cancellation-repository.js';
import type { ParticipationRepository } from './participation-repository.js';
import type { BroadcastRepository } from './broadcast-repository.js';
import type { HoursRepository } from './hours-repository.js';

/**
 * Every repository, bound to one transaction. Each is a small port in this folder, implemented in
 * `src/storage/`; a service names only the ones it uses (`Pick<Repositories, 'cases'>`).
 * A feature with storage of its own adds one line here and one in `src/storage/unit-of-work.ts`.
 */
export interface Repositories {
  readonly kind: 'sqlite' | 'postgres';
  readonly conversations: ConversationRepository;
  /** Full-text search over conversations, and one conversation's whole record (the chat logs). */
  readonly conversationSearch: ConversationSearchRepository;
  readonly staff: StaffRepository;
  readonly bookings: BookingRepository;
  readonly cases: CaseRepository;
  readonly deadLetters: DeadLetterRepository;
  readonly held: HeldMessageRepository;
  /** Dashboard accounts and sessions. */
  readonly accounts: StaffAccountRepository;
  /** The append-only audit log (who did or saw what, when). */
  readonly audit: AuditRepository;
  readonly operations: OperationsRepository;
  readonly privacyAudit: PrivacyAuditRepository;
  /** Residents who asked for a person and the operators' takeovers. */
  readonly webcare: WebcareRepository;
  /** Standard answers admins edited in the dashboard (over data/standard-answers.json). */
  readonly standardAnswers: StandardAnswerRepository;
  /** Polls (peilingen) and residents' answers. */
  readonly polls: PollRepository;
  /** Days and bookings staff called off, with the grace period in which they can be undone. */
  readonly hoursCancellations: HoursCancellationRepository;
  /** Residents' subscriptions to district updates, and the project updates staff wrote. */
  readonly participation: ParticipationRepository;
  /** Messages to every subscriber of some districts, with each recipient's progress. */
  readonly broadcasts: BroadcastRepository;
  /** Consultation hours staff changed in the dashboard (over data/hours.json). */
  readonly hours: HoursRepository;
}

/** Runs work against the database, atomically. Never nest: pass the given repositories on. */
export interface UnitOfWork<R = Repositories> {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction; it may be retried as a whole on a transient database error. */
  transaction<T>(fn: (repos: R) => Promise<T>): Promise<T>;
  /** Runs `fn` without a transaction, for reads and single writes. */
  run<T>(fn: (repos: R) => Promise<T>): Promise<T>;
}
