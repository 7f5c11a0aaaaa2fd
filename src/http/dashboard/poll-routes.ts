import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NewPoll } from '../../features/polls/poll.js';
import { isOpen, isOver, LIMITS } from '../../features/polls/poll.js';
import type { PollCommands } from '../../features/polls/polls.js';
import { translator, type TextKey, type Texts, type Translate } from '../../i18n/translator.js';
import type { Poll } from '../../ports/poll-repository.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { atLocalTime, localMinute } from '../../shared/local-date.js';
import { pollResultsHtml } from '../poll-chart.js';
import { requireRole } from './guards.js';
import { staffOf } from './guards.js';
import type { DashboardSection } from './types.js';

/** What the poll pages are built from (wired in src/app/dashboard.ts). */
export interface PollSectionDeps {
  polls: Pick<
    PollCommands,
    | 'create'
    | 'close'
    | 'writeOutcome'
    | 'moveEnd'
    | 'list'
    | 'get'
    | 'results'
    | 'followUps'
    | 'csv'
    | 'districtName'
  >;
  texts: Texts;
  districts: { id: string; name: string }[];
  timeZone: string;
  clock: Clock;
}

const FIELDS = ['question', 'options', 'districts', 'opens', 'closes', 'follow_up'] as const;
const OPTION_FIELDS = [1, 2, 3, 4, 5, 6].map((n) => `option${n}`);
const operators = requireRole('operator', 'admin');

type Form = Record<string, string>;

/**
 * The posted fields, whole: the poll commands refuse what is over LIMITS and the page gives it back
 * to correct (cutting here sent a shortened text unnoticed, or lost the end of a refused one).
 */
function formOf(request: FastifyRequest): Form {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
  );
}

/** The length limit a refusal names (the same LIMITS as the forms), by its error code. */
const LIMIT_OF: Record<string, number> = {
  'poll.question': LIMITS.question,
  'poll.options': LIMITS.option,
  'poll.follow_up': LIMITS.follow_up,
  'poll.outcome_too_long': LIMITS.outcome,
};

/** The refusal's words; those about a length name the limit. */
function errorText(tr: Translate, code: string): string {
  const max = LIMIT_OF[code];
  return max === undefined
    ? tr(`dashboard.polls.error.${code}` as TextKey)
    : tr(`dashboard.polls.error.${code}` as 'dashboard.polls.error.poll.question', { max: String(max) });
}

/** A `datetime-local` value read as the municipality's wall-clock time; null when empty. */
function localTime(value: string | undefined, zone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(value?.trim() ?? '');
  if (!value?.trim()) return null;
  return match ? atLocalTime(match[1]!, match[2]!, zone) : new Date(NaN);
}

/** A refused form of a poll's page: which one, the field as typed, the reason, the status. */
interface Refused {
  form: 'close' | 'outcome' | 'end';
  value: string;
  error: string;
  status: 400 | 409;
}

/** The words above a refused form's reasons. */
function headingOf(refused: Refused): TextKey {
  // A closing refused because the poll closed meanwhile: the text is kept in the outcome form.
  if (refused.error === 'poll.already_closed') return 'dashboard.polls.not_sent';
  if (refused.form === 'end') return 'dashboard.polls.not_moved';
  return refused.form === 'close' ? 'dashboard.polls.not_closed' : 'dashboard.polls.outcome_not_saved';
}

/** The code of a poll command's refusal; anything else is thrown on. */
function pollError(error: unknown): string {
  if (error instanceof DomainError && error.code.startsWith('poll.')) return error.code;
  throw error;
}

/** The notice after a change (from the redirect's query): closed, outcome text saved, end date moved. */
function noticeOf(query: Record<string, string | undefined>) {
  const rest = query.notTold && query.notTold !== '0' ? query.notTold : '';
  if (query.told) return { kind: 'closed', told: query.told, notTold: rest };
  if (query.outcomeTold === 'same') return { kind: 'outcome_same', told: '', notTold: '' };
  if (query.outcomeTold) return { kind: 'outcome', told: query.outcomeTold, notTold: rest };
  if (query.moved) return { kind: 'moved', told: '', notTold: '' };
  return null;
}

function statusOf(poll: Poll, now: Date): 'open' | 'closed' | 'over' | 'planned' {
  if (poll.closedAt) return 'closed';
  if (isOpen(poll, now)) return 'open';
  return isOver(poll, now) ? 'over' : 'planned';
}

/** The polls pages: everyone signed in sees results; operators and admins create and close (audited). */
export function pollSection(deps: PollSectionDeps): DashboardSection {
  const pollOf = async (request: FastifyRequest) =>
    deps.polls.get((request.params as { id: string }).id.slice(0, 40));
  const t = (request: FastifyRequest): Translate => translator(deps.texts, request.dashboardLang);

  const newForm = (request: FastifyRequest, reply: FastifyReply, form: Form, error?: string) => {
    const tr = t(request);
    const field = error ? error.replace('poll.', '') : '';
    return reply.code(error ? 400 : 200).page('poll-new', {
      title: tr('dashboard.polls.new_title'),
      form,
      scale: form.kind === 'scale',
      options: OPTION_FIELDS.map((name, i) => ({ name, n: i + 1, value: form[name] ?? '' })),
      districts: deps.districts.map((d) => ({ ...d, checked: form[`district-${d.id}`] === 'on' })),
      error: error ? errorText(tr, error) : '',
      limits: LIMITS,
      errorField: FIELDS.includes(field as (typeof FIELDS)[number]) ? field : '',
    });
  };

  /**
   * A poll's page; after a refused closing, outcome text or end date with the reason and the
   * field as typed (the form it came from), so nothing typed is lost.
   */
  const pollPage = async (request: FastifyRequest, reply: FastifyReply, poll: Poll, refused?: Refused) => {
    await request.audit('poll.view', `poll:${poll.id}`);
    const tr = t(request);
    const me = staffOf(request);
    const [results, followUps] = await Promise.all([
      deps.polls.results(poll.id),
      deps.polls.followUps(poll.id),
    ]);
    const now = deps.clock.now();
    const query = request.query as Record<string, string | undefined>;
    const staff = me.role === 'operator' || me.role === 'admin';
    const typed = (form: Refused['form']) => (refused?.form === form ? refused.value : undefined);
    return reply.code(refused?.status ?? 200).page('poll', {
      title: poll.question,
      poll,
      status: tr(`dashboard.polls.status.${statusOf(poll, now)}`),
      districts: poll.districts.map(deps.polls.districtName).join(', '),
      chart: pollResultsHtml(results!, { t: tr, districtName: deps.polls.districtName }),
      followUps: followUps.map((f) => ({
        district: deps.polls.districtName(f.districtId),
        text: f.text,
      })),
      mayClose: poll.closedAt === null && staff,
      // Not once over: a poll past its end date is closing (its job or the sweep).
      mayMove: staff && !isOver(poll, now),
      mayWriteOutcome: poll.closedAt !== null && staff,
      publicHref: isOver(poll, now) ? `/peilingen/${poll.id}` : '',
      notice: refused ? null : noticeOf(query),
      outcome: typed('close') ?? '',
      laterOutcome: typed('outcome') ?? poll.outcome ?? '',
      closes: typed('end') ?? (poll.closesAt ? localMinute(poll.closesAt, deps.timeZone) : ''),
      refused: refused
        ? { form: refused.form, error: errorText(tr, refused.error), heading: tr(headingOf(refused)) }
        : null,
      limits: LIMITS,
    });
  };

  /** The poll's page again after a refusal; the poll as it is now (it may have closed meanwhile). */
  const refusedPage = async (request: FastifyRequest, reply: FastifyReply, id: string, refused: Refused) => {
    const poll = await deps.polls.get(id);
    if (!poll) return reply.notFoundPage();
    // The text goes to the form the poll has now: closing while open, its outcome once closed.
    const typedInto = (form: Refused['form']): Refused['form'] =>
      form === 'end' ? form : poll.closedAt ? 'outcome' : 'close';
    return pollPage(request, reply, poll, { ...refused, form: typedInto(refused.form) });
  };

  return {
    nav: [{ href: '/dashboard/polls', label: 'dashboard.nav.polls', visible: () => true }],
    routes(scope) {
      scope.get('/polls', async (request, reply) => {
        const tr = t(request);
        const now = deps.clock.now();
        const polls = await deps.polls.list();
        const me = staffOf(request);
        return reply.page('polls', {
          title: tr('dashboard.polls.title'),
          mayCreate: me.role === 'operator' || me.role === 'admin',
          rows: polls.map((p) => ({
            href: `/dashboard/polls/${p.id}`,
            question: p.question,
            districts: p.districts.map(deps.polls.districtName).join(', '),
            status: tr(`dashboard.polls.status.${statusOf(p, now)}`),
            closes: p.closesAt,
          })),
        });
      });

      scope.get('/polls/new', { preHandler: operators }, (request, reply) => newForm(request, reply, {}));

      scope.post('/polls', { preHandler: operators }, async (request, reply) => {
        const form = formOf(request);
        const scale = form.kind === 'scale';
        const input: NewPoll = {
          question: form.question ?? '',
          options: OPTION_FIELDS.map((f) => form[f]?.trim() ?? '').filter(Boolean),
          scale,
          districts: deps.districts.filter((d) => form[`district-${d.id}`] === 'on').map((d) => d.id),
          followUp: form.follow_up ?? null,
          opensAt: localTime(form.opens, deps.timeZone),
          closesAt: localTime(form.closes, deps.timeZone),
        };
        try {
          const poll = await deps.polls.create(input, `staff:${staffOf(request).id}`);
          return reply.redirect(`/dashboard/polls/${poll.id}`, 303);
        } catch (error) {
          if (!(error instanceof DomainError) || !error.code.startsWith('poll.')) throw error;
          return newForm(request, reply, form, error.code);
        }
      });

      scope.get('/polls/:id', async (request, reply) => {
        const poll = await pollOf(request);
        if (!poll) return reply.notFoundPage();
        return pollPage(request, reply, poll);
      });

      scope.get('/polls/:id/results.csv', async (request, reply) => {
        const poll = await pollOf(request);
        const csv = poll ? await deps.polls.csv(poll.id) : null;
        if (!poll || csv === null) return reply.notFoundPage();
        await request.audit('poll.export', `poll:${poll.id}`);
        return reply
          .header('Content-Disposition', `attachment; filename="peiling-${poll.id}.csv"`)
          .type('text/csv; charset=utf-8')
          .send(csv);
      });

      scope.post('/polls/:id/close', { preHandler: operators }, async (request, reply) => {
        const poll = await pollOf(request);
        if (!poll) return reply.notFoundPage();
        const outcome = formOf(request).outcome ?? '';
        try {
          const closed = await deps.polls.close(poll.id, outcome, `staff:${staffOf(request).id}`);
          return reply.redirect(
            `/dashboard/polls/${poll.id}?told=${closed.told}&notTold=${closed.notTold}`,
            303,
          );
        } catch (error) {
          const code = pollError(error);
          if (code === 'poll.not_found') return reply.notFoundPage();
          // Refused (too long, or closed meanwhile): the page again, with the reason and the text.
          // A poll closed meanwhile shows it in the form for its outcome text, ready to send.
          const status = code === 'poll.already_closed' ? 409 : 400;
          return refusedPage(request, reply, poll.id, { form: 'close', value: outcome, error: code, status });
        }
      });

      scope.post('/polls/:id/outcome', { preHandler: operators }, async (request, reply) => {
        const poll = await pollOf(request);
        if (!poll) return reply.notFoundPage();
        const form = formOf(request);
        const outcome = form.outcome ?? '';
        const version = Number.parseInt(form.version ?? '', 10);
        try {
          const written = await deps.polls.writeOutcome(
            poll.id,
            outcome,
            Number.isInteger(version) ? version : -1,
            `staff:${staffOf(request).id}`,
          );
          const told = written.unchanged ? 'same' : String(written.told);
          return reply.redirect(
            `/dashboard/polls/${poll.id}?outcomeTold=${told}&notTold=${written.notTold}`,
            303,
          );
        } catch (error) {
          const code = pollError(error);
          if (code === 'poll.not_found') return reply.notFoundPage();
          const status = code === 'poll.outcome_changed' ? 409 : 400;
          return refusedPage(request, reply, poll.id, {
            form: 'outcome',
            value: outcome,
            error: code,
            status,
          });
        }
      });

      scope.post('/polls/:id/end', { preHandler: operators }, async (request, reply) => {
        const poll = await pollOf(request);
        if (!poll) return reply.notFoundPage();
        const closes = formOf(request).closes ?? '';
        try {
          const at = localTime(closes, deps.timeZone);
          if (!at) throw new DomainError('poll.closes_missing');
          await deps.polls.moveEnd(poll.id, at, `staff:${staffOf(request).id}`);
          return reply.redirect(`/dashboard/polls/${poll.id}?moved=1`, 303);
        } catch (error) {
          const code = pollError(error);
          if (code === 'poll.not_found') return reply.notFoundPage();
          // A date refused here is one to move to: its own words, not those of the new poll form.
          const shown = code === 'poll.closes' ? 'poll.closes_past' : code;
          return refusedPage(request, reply, poll.id, {
            form: 'end',
            value: closes,
            error: shown,
            status: 400,
          });
        }
      });
    },
  };
}
