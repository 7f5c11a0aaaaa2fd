import type { PollResults } from '../features/polls/poll.js';
import { DomainError } from '../shared/errors.js';
import type { Args } from './args.js';
import { withCommandApp } from './command-app.js';

const USAGE = `usage: spreekuur polls create --question <q> --option <o> --option <o> … --district <id> …
                             [--opens <ISO>] [--closes <ISO>] [--scale] [--follow-up <question>]
       spreekuur polls close <id> [--outcome <what the municipality will do with it>]
       spreekuur polls results <id> [--json | --csv]
       spreekuur polls list [--json]`;

const WHY: Record<string, string> = {
  'poll.question': `--question is required (at most 300 characters)`,
  'poll.options': `give 2 to 6 different --option values (at most 80 characters each), or --scale without options`,
  'poll.districts': `give at least one --district; each must be a district id of data/districts.json`,
  'poll.opens': `--opens must be a date and time (ISO 8601)`,
  'poll.closes': `--closes must be a date and time (ISO 8601) in the future, after --opens`,
  'poll.follow_up': `--follow-up is at most 300 characters`,
  'poll.not_found': `there is no poll with that id`,
  'poll.already_closed': `that poll is closed already`,
  'poll.outcome_too_long': `--outcome is at most 1000 characters`,
};

const text = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);
const date = (v: string | true | undefined) => (typeof v === 'string' ? new Date(v) : null);

/** `spreekuur polls …`: polls (peilingen) per district from the command line. */
export async function pollsCommand(args: Args): Promise<number> {
  const [, sub, id] = args.words;
  if (!['create', 'close', 'results', 'list'].includes(sub ?? '')) return usage();
  if ((sub === 'close' || sub === 'results') && !id) return usage();
  return withCommandApp(async (app) => {
    const polls = app.commands.polls;
    try {
      if (sub === 'create') {
        const poll = await polls.create(
          {
            question: text(args.options.question) ?? '',
            options: args.lists.option ?? [],
            scale: args.options.scale === true,
            districts: args.lists.district ?? [],
            followUp: text(args.options['follow-up']) ?? null,
            opensAt: date(args.options.opens),
            closesAt: date(args.options.closes),
          },
          'cli',
        );
        process.stdout.write(`${poll.id}\n`);
        return 0;
      }
      if (sub === 'close') {
        const closed = await polls.close(id!, text(args.options.outcome) ?? '', 'cli');
        await app.settle();
        process.stdout.write(
          `Closed poll ${id}: ${closed.told} resident(s) who answered were told the outcome` +
            (closed.notTold
              ? `; ${closed.notTold} not (whatsapp-web.js: no message from them in 24 hours)`
              : '') +
            '.\n',
        );
        return 0;
      }
      if (sub === 'list') {
        const all = await polls.list();
        process.stdout.write(
          args.options.json === true
            ? `${JSON.stringify(all, null, 2)}\n`
            : all.map((p) => `${p.id}\t${p.closedAt ? 'closed' : 'open'}\t${p.question}`).join('\n') + '\n',
        );
        return 0;
      }
      const results = await polls.results(id!);
      if (!results) throw new DomainError('poll.not_found');
      if (args.options.csv === true) process.stdout.write((await polls.csv(id!)) ?? '');
      else if (args.options.json === true)
        process.stdout.write(`${JSON.stringify(resultsJson(results, polls.districtName), null, 2)}\n`);
      else process.stdout.write(resultsText(results, polls.districtName));
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError) || !WHY[error.code]) throw error;
      process.stderr.write(`${WHY[error.code]}\n${error.code.startsWith('poll.') ? '' : USAGE}`);
      return error.code === 'poll.not_found' || error.code === 'poll.already_closed' ? 1 : 2;
    }
  });
}

function usage(): number {
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

/** The results as JSON: the same figures as the pages (null where a group is too small). */
export function resultsJson(r: PollResults, name: (id: string) => string) {
  const p = r.poll;
  return {
    id: p.id,
    question: p.question,
    options: p.options,
    scale: p.scale,
    opensAt: p.opensAt.toISOString(),
    closesAt: p.closesAt?.toISOString() ?? null,
    closedAt: p.closedAt?.toISOString() ?? null,
    outcome: p.outcome,
    total: r.total,
    districts: r.districts.map((d) => ({ ...d, name: name(d.districtId) })),
  };
}

function resultsText(r: PollResults, name: (id: string) => string): string {
  const group = (title: string, g: PollResults['total'] | PollResults['districts'][number]) =>
    [
      `${title}: ${g.answers ?? 'fewer than 5'} answers`,
      ...(g.answers === null ? [] : g.options.map((o) => `  ${o.label}\t${o.count}\t${o.percent}%`)),
    ].join('\n');
  return (
    [
      r.poll.question,
      group('All districts', r.total),
      ...r.districts.map((d) => group(name(d.districtId), d)),
    ].join('\n') + '\n'
  );
}
