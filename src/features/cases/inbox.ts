import type {
  CaseFilters,
  CaseScope,
  DueMoments,
  InboxPage,
  InboxQuery,
} from '../../ports/case-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { endOfLocalDay, localDateOf } from '../../shared/local-date.js';
import { OPEN_STATUSES } from './case-status.js';
import { normalizeReference } from './reference.js';
import { shiftWorkingDays, type WorkingDayOptions } from './working-days.js';

/** At most this many cases on one inbox page. */
export const MAX_PAGE_SIZE = 100;
/** Words of a search beyond this many are ignored (each is one LIKE). */
const MAX_SEARCH_WORDS = 8;

export interface InboxRequest {
  scope: CaseScope;
  viewerId: string;
  filters?: CaseFilters;
  /** A reference (typed loosely) or words from the question. */
  search?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
  now: Date;
}

/**
 * The end of the next working day after today (local): "due within 1 working day" means an
 * answer-by at or before it, so on Friday it reaches Monday night, over a holiday past it.
 */
export function dueSoonUntil(now: Date, options: WorkingDayOptions): Date {
  const next = shiftWorkingDays(localDateOf(now, options.timeZone), 1, options.holidays);
  return endOfLocalDay(next, options.timeZone);
}

/**
 * What "overdue" and "due within 1 working day" are measured against at `now`: the cases that owe a
 * reaction (OPEN_STATUSES), by their answer-by date. The inbox and the /metrics gauges take these.
 */
export function dueMoments(now: Date, options: WorkingDayOptions): DueMoments {
  return { now, dueSoonUntil: dueSoonUntil(now, options), openStatuses: OPEN_STATUSES };
}

/** A search box's text as the repository takes it: an exact reference, or words; none when blank. */
export function parseSearch(text: string | undefined): InboxQuery['search'] {
  const trimmed = text?.trim() ?? '';
  if (!trimmed) return undefined;
  const reference = normalizeReference(trimmed);
  if (reference) return { reference };
  const words = trimmed.split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS);
  return { words: words.map((w) => w.slice(0, 100)) };
}

/** An inbox page with where it is in the list and the moments its deadline flags were measured at. */
export interface InboxResult extends InboxPage {
  page: number;
  pageSize: number;
  pages: number;
  now: Date;
  dueSoonUntil: Date;
}

/** One page of the cases a viewer may see, the earliest answer-by first, with counts per filter. */
export async function caseInbox(
  repos: Pick<Repositories, 'cases'>,
  request: InboxRequest,
  options: WorkingDayOptions,
): Promise<InboxResult> {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request.pageSize ?? 25)));
  const page = Math.max(1, Math.floor(request.page ?? 1));
  const search = parseSearch(request.search);
  const due = dueMoments(request.now, options);
  const result = await repos.cases.inbox({
    scope: request.scope,
    viewerId: request.viewerId,
    filters: request.filters ?? {},
    ...(search ? { search } : {}),
    ...due,
    offset: (page - 1) * pageSize,
    limit: pageSize,
  });
  const pages = Math.max(1, Math.ceil(result.total / pageSize));
  return { ...result, page, pageSize, pages, now: request.now, dueSoonUntil: due.dueSoonUntil };
}
