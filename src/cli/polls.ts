import type { App } from '../app/create-app.js';
import type { PollResults } from '../features/polls/poll.js';
import { DomainError } from '../shared/errors.js';
import { localIso } from '../shared/local-date.js';
import type { Args } from './args.js';
import { withCommandApp } from './command-app.js';

const USAGE = `usage: spreekuur polls create --question <q> --option <o> --option <o> … --district <id> …
                             [--opens <ISO>] [--closes <ISO>] [--scale] [--follow-up <question>]
       spreekuur polls close <id> [--outcome <what the municipality will do with it>]
       spreekuur polls outcome <id> --outcome <text> [--version <n>]
       spreekuur polls move <id> --closes <ISO>
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
  'poll.already_closed': `that poll is closed already; to send your text as what the municipality will do with it: spreekuur polls outcome <id> --outcome <text>`,
  'poll.outcome_too_long': `--outcome is at most 1000 characters`,
  'poll.outcome_empty': `--outcome is required: what the municipality will do with the outcome`,
  'poll.not_closed': `that poll is still open; close it first (spreekuur polls close <id>), then write its outcome`,
  'poll.outcome_changed': `the outcome text was changed since that --version; see the current one with spreekuur polls results <id> --json (outcome, outcomeVersion), then send yours with that version if it is better`,
  'poll.not_open': `that poll is closed, or its end date has passed: its end date can no longer be moved`,
  'poll.version': `--version must be a whole number: the outcomeVersion that spreekuur polls results <id> --json showed`,
};

/** Refusals of the poll's state as it is now (exit 1); the others are wrong input (exit 2). */
const STATE = new Set([
  'poll.not_found',
  'poll.already_closed',
  'poll.not_closed',
  'poll.outcome_changed',
  'poll.not_open',
]);

/** Per command, where a refusal means something else than at `create`. */
const WHY_AT: Record<string, Record<string, string>> = {
  move: { 'poll.closes': `--closes must be a date and time (ISO 8601) in the future, after the poll opens` },
};

const text = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);
const date = (v: string | true | undefined) => (typeof v === 'string' ? new Date(v) : null);

/** `spreekuur polls …`: polls (peilingen) per district from the command line. */
export async function pollsCommand(args: Args): Promise<number> {
  const [, sub, id] = args.words;
  if (!['create', 'close', 'outcome', 'move', 'results', 'list'].includes(sub ?? '')) return usage();
  if (sub !== 'create' && sub !== 'list' && !id) return usage();
  if (sub === 'move' && typeof args.options.closes !== 'string') return usage();
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
      if (sub === 'outcome') return await writeOutcome(app, id!, args);
      if (sub === 'move') return await moveEnd(app, id!, args);
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
      const why = error instanceof DomainError ? (WHY_AT[sub!]?.[error.code] ?? WHY[error.code]) : undefined;
      if (!(error instanceof DomainError) || !why) throw error;
      process.stderr.write(`${why.replaceAll('<id>', id ?? '<id>')}\n`);
      return STATE.has(error.code) ? 1 : 2;
    }
  });
}

/** `polls outcome <id> --outcome <text> [--version <n>]`: as the closed poll's page in the dashboard. */
async function writeOutcome(app: App, id: string, args: Args): Promise<number> {
  const polls = app.commands.polls;
  const given = args.options.version;
  if (given !== undefined && (typeof given !== 'string' || !/^\d+$/.test(given)))
    throw new DomainError('poll.version');
  // Without --version: the text as it is now (what `polls results` showed, unless someone saved since).
  const poll = await polls.get(id);
  if (!poll) throw new DomainError('poll.not_found');
  const version = given === undefined ? poll.outcomeVersion : Number(given);
  const written = await polls.writeOutcome(id, text(args.options.outcome) ?? '', version, 'cli');
  await app.settle();
  process.stdout.write(
    written.unchanged
      ? `Poll ${id} has that outcome text already; nobody was told again.\n`
      : `Saved the outcome of poll ${id} (version ${written.poll.outcomeVersion}): ` +
          `${written.told} resident(s) who answered were told` +
          (written.notTold
            ? `; ${written.notTold} at their next message (whatsapp-web.js: no message from them in 24 hours)`
            : '') +
          '.\n',
  );
  return 0;
}

/** `polls move <id> --closes <ISO>`: moves the end date of a poll that is not over. */
async function moveEnd(app: App, id: string, args: Args): Promise<number> {
  const closesAt = date(args.options.closes) ?? new Date(NaN);
  const poll = await app.commands.polls.moveEnd(id, closesAt, 'cli');
  const at = localIso(poll.closesAt ?? closesAt, app.municipality.timeZone);
  process.stdout.write(`Poll ${id} now closes at ${at}.\n`);
  return 0;
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
    /** The outcome text's version: `polls outcome --version` saves only while it is still this one. */
    outcomeVersion: p.outcomeVersion,
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
