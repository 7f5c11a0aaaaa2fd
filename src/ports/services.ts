import type { Repositories } from './unit-of-work.js';
import type { Municipality } from '../municipality/municipality.js';
import type { Address } from '../engine/messages.js';
import type { StaffIdentity } from '../engine/flow.js';

/** What a service called from a flow may know about the turn. */
export interface ServiceEnvironment {
  now: Date;
  address: Address;
  municipality: Municipality;
  staff?: StaffIdentity;
  /** The id of the inbound item being handled: an idempotency key for what the service creates. */
  inboundId: number;
}

/**
 * A domain service a flow may `invoke`. It runs inside the turn's transaction, with repositories
 * bound to it; a DomainError becomes `{ ok: false, code }` for the step, anything else aborts the turn.
 */
export type Service = (repos: Repositories, args: never, env: ServiceEnvironment) => Promise<unknown>;

export type ServiceRegistry = Record<string, Service>;
