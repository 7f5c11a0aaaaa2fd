import { answerLibraryCommands } from './answer-library.js';
import { casesPrivacy } from './privacy.js';
import { defineFeature } from '../../ports/feature.js';
import { caseJobHandlers } from './jobs.js';
import { caseServices } from './services.js';
import { sweepCases } from './sweeper.js';
import { caseStaffCommands } from './staff-commands.js';

/** Questions become cases: created from the chat, routed, answered, reopened, escalated on time. */
export const casesFeature = defineFeature({
  name: 'cases',
  services: () => caseServices,
  commands: (deps) => ({ ...caseStaffCommands(deps), library: answerLibraryCommands(deps) }),
  jobs: (deps) => caseJobHandlers(deps),
  sweep: (deps, pass) => sweepCases(deps, pass),
  privacy: casesPrivacy,
});
