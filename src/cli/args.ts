import { addressOfKey, lacksCountryCode, typedAddress, type Address } from '../shared/address.js';

/** Parsed command line: positional words and `--name value` / `--flag` options. */
export interface Args {
  words: string[];
  /** The last value of each option. */
  options: Record<string, string | true>;
  /** Every value of an option given more than once (`--option a --option b`), in order. */
  lists: Record<string, string[]>;
}

/** Reads `argv` (without node and the script). */
export function parseArgs(argv: readonly string[]): Args {
  const words: string[] = [];
  const options: Record<string, string | true> = {};
  const lists: Record<string, string[]> = {};
  const set = (name: string, value: string | true) => {
    options[name] = value;
    if (value !== true) (lists[name] ??= []).push(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) set(name, inline);
    else if (next !== undefined && !next.startsWith('--') && !FLAGS.has(name)) {
      set(name, next);
      i++;
    } else set(name, true);
  }
  return { words, options, lists };
}

const FLAGS = new Set(['jsonl', 'json', 'help', 'password-stdin', 'dry-run', 'yes', 'off', 'scale', 'csv']);

/**
 * A chat address from `--channel <c> --user <id>` or from the third word, `<channel>:<user id>` (a
 * WhatsApp number as typed: its `@c.us` id). A WhatsApp number without its country code names
 * nobody: undefined (`subjectProblem` says why).
 */
export function subjectOf(args: Args): Address | undefined {
  const typed = typedSubject(args);
  if (!typed || lacksCountryCode(typed.channel, typed.userId)) return undefined;
  return typedAddress(typed.channel, typed.userId);
}

/** Why the command's chat identity names nobody, when it is a WhatsApp number without its country code. */
export function subjectProblem(args: Args): string | null {
  const typed = typedSubject(args);
  return typed && lacksCountryCode(typed.channel, typed.userId)
    ? `${typed.userId.trim()}: a WhatsApp number without its country code finds nobody; type it with the country code and without the leading 0 (31612345678 for 06 12345678)`
    : null;
}

/** The chat identity as typed, before a WhatsApp number becomes its id. */
function typedSubject(args: Args): Address | undefined {
  const { channel, user } = args.options;
  if (typeof channel === 'string' && typeof user === 'string') return { channel, userId: user };
  const key = args.words[2];
  if (!key) return undefined;
  try {
    return addressOfKey(key);
  } catch {
    return undefined;
  }
}
