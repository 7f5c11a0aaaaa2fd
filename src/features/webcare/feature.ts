import { defineFeature } from '../../ports/feature.js';
import { webcarePrivacy } from './privacy.js';
import { webcareServices } from './services.js';
import { webcareCommands } from './webcare.js';
import { webcareCaseCommands } from './webcare-case.js';

/** Operators take over conversations of residents who asked for a person, and hand them back. */
export const webcareFeature = defineFeature({
  name: 'webcare',
  services: (deps) => webcareServices(deps.pseudonym),
  commands: (deps) => ({ ...webcareCommands(deps), ...webcareCaseCommands(deps) }),
  // The idle check: a takeover without operator action for 30 minutes goes back to the queue.
  sweep: async (deps) => ({ released: await webcareCommands(deps).releaseIdle() }),
  privacy: webcarePrivacy,
});
