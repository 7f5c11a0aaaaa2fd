import type { Municipality } from '../municipality/municipality.js';
import type { Address } from '../shared/address.js';

/** A staff identity linked by a one-time code. */
export interface StaffIdentity {
  aldermanId: string;
}

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
 * A domain service a flow may call. It runs inside the turn's transaction with the repositories
 * bound to it (`R` names only the ones it uses); a DomainError becomes `{ ok: false, code }` for the
 * flow, anything else aborts the turn.
 */
export type Service<R, A, V> = (repos: R, args: A, env: ServiceEnvironment) => Promise<V>;

/**
 * Services by name: the one map that flows and the engine share. `never` only bounds the map here:
 * every service keeps its own argument and result types, which `ArgsOf` and `ResultOf` read.
 */
export type ServiceMap = Record<string, Service<never, never, unknown>>;

/** The arguments of service `K`. */
export type ArgsOf<S extends ServiceMap, K extends keyof S> = Parameters<S[K]>[1];

/** What service `K` resolves to. */
export type ResultOf<S extends ServiceMap, K extends keyof S> = Awaited<ReturnType<S[K]>>;

/** The outcome of a service call as a flow sees it. */
export type ServiceResult<V> = { ok: true; value: V } | { ok: false; code: string };

/**
 * Declares a feature's services: `repos` and `env` are typed from `R` and the environment, each
 * service annotates its own `args`, and the returned map keeps every service's exact types.
 */
export function defineServices<R>() {
  return <M extends Record<string, Service<R, never, unknown>>>(services: M): M => services;
}
