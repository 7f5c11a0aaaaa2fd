import type { DeadLetter } from '../ports/dead-letter-repository.js';
import type { Args } from './args.js';
import { withCommandApp } from './command-app.js';

const USAGE = `usage: spreekuur dead-letters list [--all] [--json]
       spreekuur dead-letters retry <id>
       spreekuur dead-letters drop <id>`;

/** `spreekuur dead-letters …`: incoming items that could not be stored or handled, for an operator. */
export async function deadLettersCommand(args: Args): Promise<number> {
  const [, sub, idWord] = args.words;
  if (sub !== 'list' && sub !== 'retry' && sub !== 'drop') return usage();
  const id = Number(idWord);
  if (sub !== 'list' && !(Number.isInteger(id) && id > 0)) return usage();
  return withCommandApp(async (app) => {
    if (sub === 'list') {
      const letters = await app.uow.run((repos) =>
        repos.deadLetters.list({ all: args.options.all === true, limit: 500 }),
      );
      process.stdout.write(
        args.options.json === true ? `${JSON.stringify(letters.map(toJson), null, 2)}\n` : table(letters),
      );
      return 0;
    }
    const done = sub === 'retry' ? await app.engine.retryDeadLetter(id) : await app.engine.dropDeadLetter(id);
    if (!done) {
      process.stderr.write(`Dead letter ${id} does not exist or is no longer open.\n`);
      return 1;
    }
    if (sub === 'retry') await app.settle();
    process.stdout.write(`Dead letter ${id} ${sub === 'retry' ? 'handed in again' : 'dropped'}.\n`);
    return 0;
  });
}

function usage(): number {
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

function toJson(letter: DeadLetter): Record<string, unknown> {
  return {
    ...letter,
    payload: JSON.parse(letter.payload) as unknown,
    createdAt: letter.createdAt.toISOString(),
    ...(letter.resolvedAt ? { resolvedAt: letter.resolvedAt.toISOString() } : {}),
  };
}

/** The list for a terminal: a header, then one tab-separated line per letter, newest first. */
const TABLE_HEADER = ['id', 'created', 'status', 'stage', 'channel', 'tries', 'error'].join('\t');

function table(letters: DeadLetter[]): string {
  if (letters.length === 0) return 'No dead letters.\n';
  const rows = letters.map((l) =>
    [
      l.id,
      l.createdAt.toISOString(),
      l.status,
      l.stage,
      l.address.channel,
      `${l.attempts} tries`,
      l.error.slice(0, 120),
    ].join('\t'),
  );
  return `${[TABLE_HEADER, ...rows].join('\n')}\n`;
}
