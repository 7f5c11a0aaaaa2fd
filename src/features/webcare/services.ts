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
  /**
   * The resident no longer needs a person ("laat maar, hoeft niet meer"): a waiting request leaves
   * the queue; one an operator has stays theirs, marked, as the message is theirs to read.
   */
  'webcare.withdraw': async (repos, _args: Record<string, never>, env) => ({
    withdrawal: await repos.webcare.withdraw(conversationKey(env.address), env.now),
  }),
});
