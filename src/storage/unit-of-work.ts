import type { EntityManager } from 'typeorm';
import type { Repositories, UnitOfWork } from '../ports/unit-of-work.js';
import type { Database } from './database.js';
import { SqlConversationRepository } from './repositories/conversation-repository.js';
import { SqlConversationSearchRepository } from './repositories/conversation-search.js';
import { SqlStaffRepository } from './repositories/staff-repository.js';
import { SqlBookingRepository } from './repositories/booking-repository.js';
import { SqlCaseRepository } from './repositories/case-repository.js';
import { SqlDeadLetterRepository } from './repositories/dead-letter-repository.js';
import { SqlHeldMessageRepository } from './repositories/held-message-repository.js';
import { SqlStaffAccountRepository } from './repositories/account-repository.js';
import { SqlAuditRepository } from './repositories/audit-repository.js';
import { SqlOperationsRepository } from './repositories/operations-repository.js';
import { SqlWebcareRepository } from './repositories/webcare-repository.js';
import { SqlStandardAnswerRepository } from './repositories/standard-answer-repository.js';
import { SqlPollRepository } from './repositories/poll-repository.js';
import { SqlHoursCancellationRepository } from './repositories/hours-cancellation-repository.js';
import { SqlBroadcastRepository } from './repositories/broadcast-repository.js';
import { SqlParticipationRepository } from './repositories/participation-repository.js';
import { SqlHoursRepository } from './repositories/hours-repository.js';
import { SqlPrivacyAuditRepository } from './repositories/privacy-audit-repository.js';

/** Storage settings that are not in the database. */
export interface StorageOptions {
  /** The audit chain's HMAC key (kept outside the database); '' makes it a plain SHA-256 chain. */
  auditKey?: string;
}

/** Builds every repository on one entity manager (a transaction's, or the plain one). */
export function repositoriesFor(
  db: Database,
  manager: EntityManager,
  options: StorageOptions = {},
): Repositories {
  return {
    kind: db.kind,
    conversations: new SqlConversationRepository(manager, db.kind),
    conversationSearch: new SqlConversationSearchRepository(manager, db.kind),
    staff: new SqlStaffRepository(manager, db.kind),
    bookings: new SqlBookingRepository(manager, db.kind),
    cases: new SqlCaseRepository(manager, db.kind),
    deadLetters: new SqlDeadLetterRepository(manager, db.kind),
    held: new SqlHeldMessageRepository(manager, db.kind),
    accounts: new SqlStaffAccountRepository(manager, db.kind),
    audit: new SqlAuditRepository(manager, db.kind, options.auditKey ?? ''),
    operations: new SqlOperationsRepository(manager, db.kind),
    privacyAudit: new SqlPrivacyAuditRepository(manager, db.kind),
    webcare: new SqlWebcareRepository(manager, db.kind),
    standardAnswers: new SqlStandardAnswerRepository(manager, db.kind),
    polls: new SqlPollRepository(manager, db.kind),
    hoursCancellations: new SqlHoursCancellationRepository(manager, db.kind),
    participation: new SqlParticipationRepository(manager, db.kind),
    broadcasts: new SqlBroadcastRepository(manager, db.kind),
    hours: new SqlHoursRepository(manager, db.kind),
  };
}

/** The TypeORM unit of work (an unkeyed audit chain: tests, benchmarks). */
export function createUnitOfWork(db: Database): UnitOfWork {
  return unitOfWorkWith(db, {});
}

/** The TypeORM unit of work with the service's storage settings (the audit chain's key). */
export function unitOfWorkWith(db: Database, options: StorageOptions): UnitOfWork {
  return {
    kind: db.kind,
    transaction: (fn) => db.transaction((manager) => fn(repositoriesFor(db, manager, options))),
    run: (fn) => db.run((manager) => fn(repositoriesFor(db, manager, options))),
  };
}
