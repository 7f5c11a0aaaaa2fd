import { LADDER } from '../ports/participation-repository.js';
import { DomainError } from '../shared/errors.js';
import type { Args } from './args.js';
import { withCommandApp } from './command-app.js';

const USAGE = `usage: spreekuur updates send --district <id> [--district <id> …] --level <${LADDER.join('|')}>
         --title <title> --text <text> [--link <url>] [--influence <one sentence>] [--until YYYY-MM-DD] [--topic <id>]
       spreekuur updates list [--json]`;

/** `spreekuur updates …`: send a project update to the subscribers of districts, or list the updates sent. */
export async function updatesCommand(args: Args): Promise<number> {
  const [, sub] = args.words;
  if (sub !== 'send' && sub !== 'list') return usage();
  const text = (name: string) => (typeof args.options[name] === 'string' ? args.options[name] : undefined);
  return withCommandApp(async (app) => {
    if (sub === 'list') {
      const updates = await app.commands.participation.updates.list(50);
      process.stdout.write(
        args.options.json === true
          ? `${JSON.stringify(updates, null, 2)}\n`
          : updates
              .map(
                (u) =>
                  `${u.id}\t${u.createdAt.toISOString()}\t${u.level}\t${u.districts.join(',')}\t${u.title}\t${u.counts?.recipients ?? 0} recipients`,
              )
              .join('\n') + '\n',
      );
      return 0;
    }
    try {
      const { updateId, recipients } = await app.commands.participation.updates.send(
        {
          title: text('title') ?? '',
          text: text('text') ?? '',
          link: text('link'),
          districts: args.lists.district ?? [],
          topic: text('topic'),
          level: text('level') ?? '',
          influence: text('influence'),
          until: text('until'),
        },
        { kind: 'cli' },
      );
      process.stdout.write(`Update ${updateId} queued for ${recipients} subscriber(s).\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const known = app.municipality.districts.map((d) => d.id).join(', ');
      const topics = app.municipality.cases.topics.map((t) => t.id).join(', ');
      process.stderr.write(`${problem(error, known, topics)}\n${USAGE}\n`);
      return 2;
    }
  });
}

/** What was wrong with the command, in one line. */
function problem(error: DomainError, districts: string, topics: string): string {
  switch (error.code) {
    case 'participation.level':
      return `--level must be one of: ${LADDER.join(', ')}`;
    case 'participation.no_district':
    case 'participation.unknown_district':
      return `--district must be one or more of: ${districts}`;
    case 'participation.title':
      return '--title is required (at most 120 characters)';
    case 'participation.text':
      return '--text is required (at most 1000 characters)';
    case 'participation.link':
      return '--link must be an http(s):// address';
    case 'participation.until':
      return '--until must be a date YYYY-MM-DD, today or later';
    case 'participation.unknown_topic':
      return `--topic must be one of: ${topics}`;
    case 'participation.influence':
      return '--influence must be one sentence (at most 300 characters)';
    default:
      return error.code;
  }
}

function usage(): number {
  process.stderr.write(`${USAGE}\n`);
  return 2;
}
