import type { ServiceRegistry } from '../engine/services.js';
import { linkWithCode } from '../staff/link-code.js';
import { bookingServices } from './booking-services.js';
import { caseServices } from './case-services.js';

/** Every domain service a flow may invoke, by name. A feature adds its services here. */
export function createServices(options: { publicUrl: string }): ServiceRegistry {
  return {
    'staff.link': (repos, args: { code: string }, env) =>
      linkWithCode(repos, env.address, args.code, env.now),
    ...caseServices(),
    ...bookingServices(options.publicUrl),
  };
}
