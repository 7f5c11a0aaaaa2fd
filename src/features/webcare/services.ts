import { defineServices } from '../../ports/services.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { conversationKey } from '../../shared/address.js';

/** The webcare services flows may call. */
export const webcareServices = defineServices<Pick<Repositories, 'webcare'>>()({
  /** The resident asked for a person: they join the queue with what they were told (`promise`). */
  'webcare.request': async (repos, args: { promise: string; closed: boolean }, env) => {
    await repos.webcare.request({
      address: env.address,
      key: conversationKey(env.address),
      promise: args.promise,
      closed: args.closed,
      now: env.now,
    });
    return {};
  },
});
