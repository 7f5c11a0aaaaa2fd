import { defineServices } from '../../ports/services.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { conversationKey } from '../../shared/address.js';
import { conversationSubject } from '../../shared/audit-subjects.js';

/** The webcare services flows may call; `pseudonym` names the resident in the audit log. */
export function webcareServices(pseudonym: (value: string) => string) {
  return defineServices<Pick<Repositories, 'webcare' | 'audit'>>()({
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
     * the queue; one an operator has stays theirs, marked, as the message is theirs to read. Audited
     * beside the operators' take, reply and hand-back, with the resident as the actor.
     */
    'webcare.withdraw': async (repos, _args: Record<string, never>, env) => {
      const key = conversationKey(env.address);
      const withdrawal = await repos.webcare.withdraw(key, env.now);
      if (withdrawal !== 'none')
        await repos.audit.append(
          {
            actor: 'resident',
            action: 'webcare.withdraw',
            subject: conversationSubject(pseudonym, key),
            detail: { withdrawal },
          },
          env.now,
        );
      return { withdrawal };
    },
  });
}
