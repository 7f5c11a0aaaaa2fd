import { defineServices } from '../../ports/services.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { linkWithCode } from './link-code.js';

/** The staff services flows may call. */
export const staffServices = defineServices<Pick<Repositories, 'staff' | 'audit'>>()({
  /** Links the chat asking to the alderman whose one-time code it sent; resolves to the alderman's id. */
  'staff.link': (repos, args: { code: string }, env) => linkWithCode(repos, env.address, args.code, env.now),
});
