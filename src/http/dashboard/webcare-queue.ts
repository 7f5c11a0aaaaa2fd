import type { FastifyRequest } from 'fastify';
import type { QueueItem, WebcareCommands } from '../../features/webcare/webcare.js';
import { translator, type Texts, type Translate } from '../../i18n/translator.js';
import type { LiveEvent } from './live-events.js';
import { dashboardDateTime, renderPart } from './plugin.js';

/** The webcare queue page's address; its stream is `<QUEUE>/events`. */
export const QUEUE = '/dashboard/webcare';

/** What the queue page and its stream are built from. */
export interface QueueDeps {
  webcare: Pick<WebcareCommands, 'queue' | 'withdrawnWaiting'>;
  texts: Texts;
  /** Staff names by account id (who has a conversation). */
  names(): Promise<Map<string, string>>;
}

/**
 * One row of the queue, as the page and its stream render it (`views/webcare-queue-row.eta`).
 * `state` is what the stream's script compares to say what changed: `waiting:`, `taken:<operator>`
 * or `withdrawn:<operator>` (a takeover whose resident wrote "hoeft niet meer").
 */
export interface QueueRow {
  key: string;
  state: string;
  href: string;
  resident: string;
  since: Date;
  waiting: string;
  promise: string;
  closed: boolean;
  status: string;
}

/** How a resident is named on the page: their channel and chat id (no more is known). */
export function residentOf(address: { channel: string; userId: string }): string {
  return `${address.channel} ${address.userId}`;
}

/** Whole minutes, as the webcare pages show a wait. */
export const minutes = (ms: number): string => String(Math.floor(ms / 60_000));

/** A conversation's takeover page. */
export const conversationHref = (key: string): string => `${QUEUE}/${encodeURIComponent(key)}`;

/** The queue as one operator (`me`) sees it: its rows, oldest request first, and the summary line. */
export function queueView(
  queue: readonly QueueItem[],
  names: ReadonlyMap<string, string>,
  me: string,
  t: Translate,
): { rows: QueueRow[]; summary: string; waiting: number } {
  const statusOf = (q: QueueItem) =>
    q.operatorId === null
      ? t('dashboard.webcare.status.waiting')
      : q.operatorId === me
        ? t('dashboard.webcare.status.mine')
        : t('dashboard.webcare.status.other', { name: names.get(q.operatorId) ?? q.operatorId });
  const rows = queue.map((q) => ({
    key: q.conversationKey,
    state: `${q.operatorId === null ? 'waiting' : q.withdrawnAt ? 'withdrawn' : 'taken'}:${q.operatorId ?? ''}`,
    href: conversationHref(q.conversationKey),
    resident: residentOf(q.address),
    since: q.askedAt,
    waiting: t('dashboard.webcare.minutes', { minutes: minutes(q.waitingMs) }),
    promise: q.promise,
    closed: q.closed,
    // A takeover whose resident wrote "hoeft niet meer" says so: its operator can close it.
    status: q.withdrawnAt ? t('dashboard.webcare.status.withdrawn', { status: statusOf(q) }) : statusOf(q),
  }));
  const waiting = queue.filter((q) => q.operatorId === null).length;
  const summary = t('dashboard.webcare.count', {
    count: String(waiting),
    taken: String(queue.length - waiting),
  });
  return { rows, summary, waiting };
}

/** What the page's script says of each kind of change, in one line for them all. */
const CHANGES = {
  waiting: 'dashboard.webcare.live.queue_waiting',
  taken: 'dashboard.webcare.live.queue_taken',
  withdrawn: 'dashboard.webcare.live.queue_withdrawn',
  withdrawnLeft: 'dashboard.webcare.live.queue_withdrawn_left',
  gone: 'dashboard.webcare.live.queue_gone',
} as const;

/** Each change's words for one row, and for more with `{count}` left for the script to fill in. */
function changeTexts(t: Translate): Record<keyof typeof CHANGES, { one: string; other: string }> {
  const forms = (key: (typeof CHANGES)[keyof typeof CHANGES]) => ({
    one: t(key, { count: 1 }),
    other: t(key, { count: '{count}' }),
  });
  return {
    waiting: forms(CHANGES.waiting),
    taken: forms(CHANGES.taken),
    withdrawn: forms(CHANGES.withdrawn),
    withdrawnLeft: forms(CHANGES.withdrawnLeft),
    gone: forms(CHANGES.gone),
  };
}

/**
 * The queue page's stream: each tick reads the queue and sends what changed since it last sent.
 * `count` renews the header's label; `queue` carries the rows in the page's order, each with its key
 * and, when this stream has not sent it as it is now, its markup (the page's own row template, every
 * text escaped), and the summary line. A new stream (a page just built, or a browser reconnecting
 * after a drop) first sends every row: the script matches rows by key and compares their state, so
 * it puts each in its place, takes away the rows that left and says in one line what changed, also
 * what changed while the stream was down, once. `withdrawn` names the rows that left because their
 * resident no longer needs help (withdrew while waiting), so the page says that, not that they are
 * gone: a new stream names every such row of the last hour (it does not know the page's rows), a
 * running one those among the rows it sent that left.
 */
export function queueEvents(
  deps: QueueDeps,
  request: FastifyRequest,
  me: string,
): () => Promise<LiveEvent[]> {
  const lang = request.dashboardLang;
  const t = translator(deps.texts, lang);
  const said = changeTexts(t);
  const dateTime = (at: Date) => dashboardDateTime(at, lang);
  let sentRows: ReadonlyMap<string, string> = new Map();
  let sentOrder = '';
  let sentSummary = '';
  let sentLabel = '';
  let fresh = true;
  return async () => {
    const queue = await deps.webcare.queue();
    const taken = queue.some((q) => q.operatorId !== null);
    const view = queueView(queue, taken ? await deps.names() : new Map(), me, t);
    const rendered = new Map(
      view.rows.map((row) => [row.key, renderPart('webcare-queue-row', { row, t, dateTime })] as const),
    );
    const events: LiveEvent[] = [];
    const label = t('dashboard.nav.webcare_count', { count: String(view.waiting) });
    if (label !== sentLabel) events.push({ event: 'count', data: { href: QUEUE, label } });
    const order = JSON.stringify(view.rows.map((r) => r.key));
    const rows = [...rendered].map(([key, html]) => (sentRows.get(key) === html ? { key } : { key, html }));
    const left = [...sentRows.keys()].filter((key) => !rendered.has(key));
    const withdrawn =
      fresh || left.length > 0
        ? (await deps.webcare.withdrawnWaiting()).filter((key) => fresh || left.includes(key))
        : [];
    if (order !== sentOrder || view.summary !== sentSummary || rows.some((r) => 'html' in r))
      events.push({ event: 'queue', data: { rows, summary: view.summary, said, withdrawn } });
    fresh = false;
    sentLabel = label;
    sentRows = rendered;
    sentOrder = order;
    sentSummary = view.summary;
    return events;
  };
}
