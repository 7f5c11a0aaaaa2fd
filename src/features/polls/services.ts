import { defineServices } from '../../ports/services.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { DomainError } from '../../shared/errors.js';
import { isOpen, MAX_FOLLOW_UP } from './poll.js';
import { pollView, type PollView } from './views.js';

/** The poll services flows may call. */
export const pollServices = defineServices<Pick<Repositories, 'polls'>>()({
  /** The polls open now in the resident's district, with their own answer to each. */
  'polls.open': async (repos, args: { districtId: string }, env): Promise<PollView[]> => {
    const polls = await repos.polls.openFor(args.districtId, env.now);
    return Promise.all(
      polls.map(async (p) => pollView(p, (await repos.polls.answerOf(p.id, env.address))?.choice ?? null)),
    );
  },
  /** Stores (or changes) the resident's answer; `poll.closed` when the poll no longer takes answers. */
  'polls.answer': async (repos, args: { pollId: string; districtId: string; choice: number }, env) => {
    const poll = await repos.polls.get(args.pollId);
    if (!poll || !isOpen(poll, env.now) || !poll.districts.includes(args.districtId))
      throw new DomainError('poll.closed');
    if (!Number.isInteger(args.choice) || args.choice < 0 || args.choice >= poll.options.length)
      throw new DomainError('poll.bad_choice');
    const before = await repos.polls.answerOf(poll.id, env.address);
    await repos.polls.answer({
      pollId: poll.id,
      address: env.address,
      districtId: args.districtId,
      choice: args.choice,
      answeredAt: env.now,
    });
    return { changed: before !== null && before.choice !== args.choice, followUp: poll.followUp };
  },
  /** Stores the resident's free-text answer to the poll's follow-up question. */
  'polls.follow_up': async (repos, args: { pollId: string; text: string }, env) => {
    const poll = await repos.polls.get(args.pollId);
    if (!poll || !isOpen(poll, env.now)) throw new DomainError('poll.closed');
    const text = args.text.trim().slice(0, MAX_FOLLOW_UP);
    if (!(await repos.polls.followUp(poll.id, env.address, text))) throw new DomainError('poll.closed');
    return {};
  },
});
