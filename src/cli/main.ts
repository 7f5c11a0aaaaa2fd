import { ConfigError, StartupError } from '../shared/errors.js';
import { parseArgs } from './args.js';

const USAGE = `usage: spreekuur <command>
  serve                                  run the service (npm start)
  chat [--as <id>] [--jsonl]             chat as a resident in the terminal; --jsonl for scripts
  staff link-code --alderman <id>        print a one-time code an alderman sends as "koppel <code>"
  staff list [--json]                    list aldermen and their linked chat identities
  hours cancel --alderman <id> --date YYYY-MM-DD [--reason <text>]
                                         call off a day's consultation hour; booked residents are told
                                         after CANCEL_UNDO_SECONDS (it prints how to undo)
  hours undo <cancellation id>           take a cancellation back while no resident has been told
  hours slots --alderman <id> [--json]   list an alderman's free slots
  dead-letters list [--all] [--json]     incoming messages that could not be stored or handled
  dead-letters retry <id> | drop <id>    hand one in again, or drop it
  users add --email <e> --name <n> --role <role> [--password-stdin]
                                         add a dashboard account (else prints a one-time set-password link)
  users list [--json] | users disable --email <e> | users set-role --email <e> --role <role>
  users password-link --email <e>        a new one-time set-password link
  users second-factor --email <e> [--off]
                                         ask for an authenticator app's code after the password (or stop)
  audit verify [--json]                  check the audit log's hash chain; exit 1 at the first broken link
  privacy purge [--dry-run] [--now <ISO date>]
                                         delete or anonymise what is past its term (data/retention.json)
  privacy export <channel>:<user id>     print everything stored about a resident as JSON
  privacy erase <channel>:<user id> [--yes]
                                         delete or anonymise everything stored about a resident
  privacy log [--json]                   the privacy log: purges, exports and erasures
  polls create --question <q> --option <o> --option <o> … --district <id> … [--opens <ISO>]
               [--closes <ISO>] [--scale] [--follow-up <question>]
                                         start a poll (peiling); prints its id
  polls close <id> [--outcome <text>]    close it; residents who answered hear the outcome and the plan
  polls outcome <id> --outcome <text> [--version <n>]
                                         write or correct what the municipality does with a closed
                                         poll; who answered hears each saved text once
  polls move <id> --closes <ISO>         move the end date of a poll that is not over (not into the past)
  polls results <id> [--json | --csv]    results per option and district (no figure below 5 answers)
  polls list [--json]                    every poll, newest first
  updates send --district <id> [--district <id> …] --level <rung> --title <t> --text <t>
               [--link <url>] [--influence <sentence>] [--until YYYY-MM-DD] [--topic <id>]
                                         send a project update to the district's subscribers
  updates list [--json]                  the updates sent, with how many got and read them
  migrate                                apply database migrations and exit`;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  // `--help` anywhere (`spreekuur --help`, `spreekuur serve --help`) prints usage and starts nothing;
  // so does no command at all: the service starts only when asked (`serve`, as npm start does).
  const command = args.options.help === true ? 'help' : args.words[0];
  if (command === undefined) {
    process.stderr.write(`Name a command; \`spreekuur serve\` runs the service.\n${USAGE}\n`);
    return 2;
  }
  switch (command) {
    case 'serve':
      return (await import('./serve.js')).serveCommand();
    case 'chat':
      return (await import('./chat.js')).chatCommand(args);
    case 'staff':
      return (await import('./staff.js')).staffCommand(args);
    case 'hours':
      return (await import('./hours.js')).hoursCommand(args);
    case 'dead-letters':
      return (await import('./dead-letters.js')).deadLettersCommand(args);
    case 'users':
      return (await import('./users.js')).usersCommand(args);
    case 'audit':
      return (await import('./audit.js')).auditCommand(args);
    case 'privacy':
      return (await import('./privacy.js')).privacyCommand(args);
    case 'polls':
      return (await import('./polls.js')).pollsCommand(args);
    case 'updates':
      return (await import('./updates.js')).updatesCommand(args);
    case 'migrate':
      return (await import('./migrate.js')).migrateCommand();
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
      return 2;
  }
}

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Configuration, data and connection errors are one clear line, never a stack trace.
    if (error instanceof ConfigError || error instanceof StartupError)
      process.stderr.write(`${error.message}\n`);
    else if (isNamedStartupError(error)) process.stderr.write(`${(error as Error).message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
    // Open handles (a half-started queue) must not keep a failed start alive.
    setTimeout(() => process.exit(1), 200).unref();
  },
);

function isNamedStartupError(error: unknown): boolean {
  return error instanceof Error && error.name === 'RedisEvictionPolicyError';
}
