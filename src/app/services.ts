import type { ServiceRegistry } from '../ports/services.js';
import { linkWithCode } from '../features/staff/link-code.js';
import { bookingServices } from '../features/scheduling/services.js';
import { caseServices } from '../features/cases/services.js';

/** Every domain service a flow may invoke, by name. A feature adds its services here. */
export function createServices(options: { publicUrl: string }): ServiceRegistry {
  return {
    'staff.link': (repos, args: { code: string }, env) =>
      linkWithCode(repos, env.address, args.code, env.now),
    ...caseServices(),
    ...bookingServices(options.publicUrl),
  };
}
