import { defineFeature } from '../../ports/feature.js';
import { conversationsPrivacy } from './privacy.js';

/**
 * The conversation log the engine keeps (conversations, inbound, outbox): a feature of its own so
 * that its personal data has an owner that purges, exports and erases it like every other feature's.
 */
export const conversationsFeature = defineFeature({
  name: 'conversations',
  privacy: conversationsPrivacy,
});
