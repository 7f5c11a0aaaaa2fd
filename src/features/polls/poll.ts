import type { Poll, PollCount } from '../../ports/poll-repository.js';
import { DomainError } from '../../shared/errors.js';

/** No figure is shown for a group of fewer answers than this (privacy). */
export const MIN_GROUP = 5;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 6;
/**
 * The longest texts staff may give, after spaces are tidied: the dashboard forms take their
 * maxlength, hints and refusals from here, so page and server hold to the same numbers.
 */
export const LIMITS = { question: 300, option: 80, follow_up: 300, outcome: 1000 } as const;
export const MAX_QUESTION = LIMITS.question;
export const MAX_OPTION = LIMITS.option;
/** The longest free-text follow-up a resident may write. */
export const MAX_FOLLOW_UP = 1000;
/** The labels of a 1–5 scale. */
export const SCALE = ['1', '2', '3', '4', '5'] as const;

/** What staff give to create a poll. */
export interface NewPoll {
  question: string;
  /** 2–6 labels; empty for a scale. */
  options: readonly string[];
  scale?: boolean;
  districts: readonly string[];
  followUp?: string | null;
  opensAt?: Date | null;
  closesAt?: Date | null;
}

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Checks a new poll and returns it as stored; a DomainError names what is wrong
 * (`poll.question`, `poll.options`, `poll.districts`, `poll.closes`, `poll.follow_up`).
 */
export function newPoll(
  input: NewPoll,
  o: { id: string; now: Date; createdBy: string; knownDistricts: readonly string[] },
): Poll {
  const question = clean(input.question);
  if (!question || question.length > MAX_QUESTION) throw new DomainError('poll.question');
  const scale = input.scale === true;
  const options = input.options.map(clean);
  if (scale ? options.length > 0 : !validOptions(options)) throw new DomainError('poll.options');
  const districts = [...new Set(input.districts)];
  if (districts.length === 0 || districts.some((d) => !o.knownDistricts.includes(d)))
    throw new DomainError('poll.districts');
  const opensAt = input.opensAt ?? o.now;
  const closesAt = input.closesAt ?? null;
  if (Number.isNaN(opensAt.getTime())) throw new DomainError('poll.opens');
  if (closesAt && (Number.isNaN(closesAt.getTime()) || closesAt <= o.now || closesAt <= opensAt))
    throw new DomainError('poll.closes');
  const followUp = input.followUp ? clean(input.followUp) : '';
  if (followUp.length > LIMITS.follow_up) throw new DomainError('poll.follow_up');
  return {
    id: o.id,
    question,
    options: scale ? [...SCALE] : options,
    scale,
    districts,
    followUp: followUp || null,
    opensAt,
    closesAt,
    closedAt: null,
    outcome: null,
    outcomeVersion: 0,
    createdBy: o.createdBy,
    createdAt: o.now,
  };
}

function validOptions(options: string[]): boolean {
  const distinct = new Set(options.map((x) => x.toLowerCase()));
  return (
    options.length >= MIN_OPTIONS &&
    options.length <= MAX_OPTIONS &&
    distinct.size === options.length &&
    options.every((x) => x.length > 0 && x.length <= MAX_OPTION)
  );
}

/** Whether residents can answer it now. */
export function isOpen(poll: Poll, now: Date): boolean {
  return poll.closedAt === null && poll.opensAt <= now && (poll.closesAt === null || poll.closesAt > now);
}

/** Whether it is over: closed by staff, or past its closing time. */
export function isOver(poll: Poll, now: Date): boolean {
  return poll.closedAt !== null || (poll.closesAt !== null && poll.closesAt <= now);
}

/** One option's figure in a group; null when the group is too small to show. */
export interface OptionFigure {
  label: string;
  count: number | null;
  percent: number | null;
}

/** The figures of one group of answers (a district, or all of them). */
export interface GroupFigures {
  /** null when the group has fewer than MIN_GROUP answers: nothing of it is shown. */
  answers: number | null;
  options: OptionFigure[];
}

/** A poll's results as anyone may see them: per option and per district, small groups hidden. */
export interface PollResults {
  poll: Poll;
  total: GroupFigures & {
    /**
     * True when the total leaves out districts below the threshold: with them in, the total minus
     * the shown districts would give away a group of fewer than MIN_GROUP answers.
     */
    partial: boolean;
  };
  districts: (GroupFigures & { districtId: string })[];
}

function figures(options: readonly string[], counts: number[]): GroupFigures {
  const answers = counts.reduce((a, b) => a + b, 0);
  if (answers < MIN_GROUP)
    return { answers: null, options: options.map((label) => ({ label, count: null, percent: null })) };
  return {
    answers,
    options: options.map((label, i) => {
      const count = counts[i] ?? 0;
      return { label, count, percent: Math.round((count / answers) * 100) };
    }),
  };
}

/** Turns raw counts into results where no group smaller than MIN_GROUP shows a figure. */
export function pollResults(poll: Poll, counts: readonly PollCount[]): PollResults {
  const byDistrict = new Map<string, number[]>();
  for (const d of poll.districts)
    byDistrict.set(
      d,
      poll.options.map(() => 0),
    );
  for (const c of counts) {
    const row = byDistrict.get(c.districtId) ?? poll.options.map(() => 0);
    row[c.choice] = (row[c.choice] ?? 0) + c.count;
    byDistrict.set(c.districtId, row);
  }
  const districts = [...byDistrict].map(([districtId, row]) => ({
    districtId,
    ...figures(poll.options, row),
  }));
  const sum = (rows: number[][]) => poll.options.map((_, i) => rows.reduce((a, r) => a + (r[i] ?? 0), 0));
  const rows = [...byDistrict.values()];
  const shown = rows.filter((r) => r.reduce((a, b) => a + b, 0) >= MIN_GROUP);
  const hidden = rows.filter((r) => r.reduce((a, b) => a + b, 0) < MIN_GROUP);
  const hiddenAnswers = hidden.flat().reduce((a, b) => a + b, 0);
  const partial = hiddenAnswers > 0 && hiddenAnswers < MIN_GROUP;
  return { poll, total: { ...figures(poll.options, sum(partial ? shown : rows)), partial }, districts };
}
