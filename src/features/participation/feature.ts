import { defineFeature } from '../../ports/feature.js';
import { broadcastCommands, broadcastJobs, resumeStalled } from './broadcast.js';
import { participationPrivacy } from './privacy.js';
import { participationServices } from './services.js';
import { updateCommands } from './updates.js';

/** Residents subscribe to their district's updates; staff send project updates; any feature broadcasts. */
export const participationFeature = defineFeature({
  name: 'participation',
  services: () => participationServices,
  commands: (deps) => ({ updates: updateCommands(deps), broadcasts: broadcastCommands(deps) }),
  jobs: broadcastJobs,
  sweep: async (deps) => ({ broadcastsResumed: await resumeStalled(deps) }),
  privacy: participationPrivacy,
});
