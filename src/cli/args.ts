/** Parsed command line: positional words and `--name value` / `--flag` options. */
export interface Args {
  words: string[];
  options: Record<string, string | true>;
}

/** Reads `argv` (without node and the script). */
export function parseArgs(argv: readonly string[]): Args {
  const words: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) options[name] = inline;
    else if (next !== undefined && !next.startsWith('--') && !FLAGS.has(name)) {
      options[name] = next;
      i++;
    } else options[name] = true;
  }
  return { words, options };
}

const FLAGS = new Set(['jsonl', 'json', 'help', 'password-stdin', 'dry-run', 'yes', 'off']);
