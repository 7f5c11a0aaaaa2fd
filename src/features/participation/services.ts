import { defineServices } from '../../ports/services.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { conversationKey } from '../../shared/address.js';
import { DomainError } from '../../shared/errors.js';

/** A subscription as a resident's conversation sees it. */
export interface SubscriptionView {
  districtId: string;
  topic: string | null;
  /** When they said yes (epoch ms). */
  since: number;
}

/** The subscription services flows may call. */
export const participationServices = defineServices<Pick<Repositories, 'participation'>>()({
  /** The resident said yes to updates for a district (and topic): the consent is stored with its time. */
  'participation.subscribe': async (repos, args: { districtId: string; topic?: string }, env) => {
    if (!env.municipality.districts.some((d) => d.id === args.districtId))
      throw new DomainError('participation.unknown_district');
    const key = conversationKey(env.address);
    await repos.participation.subscribe({
      conversationKey: key,
      address: env.address,
      districtId: args.districtId,
      topic: args.topic ?? null,
      consentedAt: env.now,
    });
    return { since: env.now.getTime() };
  },
  /** Ends the resident's subscriptions; returns how many there were. */
  'participation.unsubscribe': async (repos, _args: Record<string, never>, env) => ({
    removed: await repos.participation.unsubscribe(conversationKey(env.address)),
  }),
  /** The resident's subscriptions, with when they said yes. */
  'participation.mine': async (repos, _args: Record<string, never>, env): Promise<SubscriptionView[]> =>
    (await repos.participation.subscriptionsOf(conversationKey(env.address))).map((s) => ({
      districtId: s.districtId,
      topic: s.topic,
      since: s.consentedAt.getTime(),
    })),
});
