import type { EntityManager } from 'typeorm';
import type { Repositories, UnitOfWork } from '../ports/unit-of-work.js';
import type { Database } from './database.js';
import { SqlConversationRepository } from './repositories/conversation-repository.js';
import { SqlStaffRepository } from './repositories/staff-repository.js';
import { SqlBookingRepository } from './repositories/booking-repository.js';
import { SqlCaseRepository } from './repositories/case-repository.js';
import { SqlDeadLetterRepository } from './repositories/dead-letter-repository.js';
import { SqlHeldMessageRepository } from './repositories/held-message-repository.js';

/** Builds every repository on one entity manager (a transaction's, or the plain one). */
export function repositoriesFor(db: Database, manager: EntityManager): Repositories {
  return {
    kind: db.kind,
    conversations: new SqlConversationRepository(manager, db.kind),
    staff: new SqlStaffRepository(manager, db.kind),
    bookings: new SqlBookingRepository(manager, db.kind),
    cases: new SqlCaseRepository(manager, db.kind),
    deadLetters: new SqlDeadLetterRepository(manager, db.kind),
    held: new SqlHeldMessageRepository(manager, db.kind),
  };
}

/** The TypeORM unit of work. */
export function createUnitOfWork(db: Database): UnitOfWork {
  return {
    kind: db.kind,
    transaction: (fn) => db.transaction((manager) => fn(repositoriesFor(db, manager))),
    run: (fn) => db.run((manager) => fn(repositoriesFor(db, manager))),
  };
}
