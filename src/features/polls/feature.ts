import { defineFeature } from '../../ports/feature.js';
import { pollCommands, pollJobs, sweepPolls } from './polls.js';
import { pollsPrivacy } from './privacy.js';
import { pollServices } from './services.js';

/** Polls (peilingen) per district: staff ask, residents answer in the chat, results without small groups. */
export const pollsFeature = defineFeature({
  name: 'polls',
  services: () => pollServices,
  commands: pollCommands,
  jobs: pollJobs,
  sweep: sweepPolls,
  privacy: pollsPrivacy,
});
