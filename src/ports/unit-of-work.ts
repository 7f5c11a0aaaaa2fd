import type { CaseRepository } from './case-repository.js';
import type { BookingRepository } from './booking-repository.js';
import type { ConversationRepository, StaffRepository } from './conversation-repository.js';

/**
 * The repositories a unit of work hands out, all bound to one transaction. Each domain defines
 * its repository interface in its own folder; `src/storage/` implements it with TypeORM.
 * Each feature adds one line here and one in `src/storage/unit-of-work.ts`.
 */
export interface Repositories {
  readonly kind: 'sqlite' | 'postgres';
  readonly conversations: ConversationRepository;
  readonly staff: StaffRepository;
  readonly bookings: BookingRepository;
  readonly cases: CaseRepository;
}

/** Runs work against the database, atomically. Never nest: call services with the given repos. */
export interface UnitOfWork {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction; it may be retried as a whole on a transient database error. */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Runs `fn` without a transaction, for reads and single writes. */
  run<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
}
