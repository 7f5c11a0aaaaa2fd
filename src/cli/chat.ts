import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { ConsoleAdapter, renderForTerminal, type ConsoleLine } from '../../bots/console/console-adapter.js';
import { createApp, type App } from '../app/create-app.js';
import type { Args } from './args.js';
import { commandLogger, loadConfig } from './context.js';

/** `spreekuur chat`: a resident at the terminal, or (`--jsonl`) a script driving the service. */
export async function chatCommand(args: Args): Promise<number> {
  const config = loadConfig();
  const jsonl = args.options.jsonl === true;
  const write = jsonl
    ? (line: ConsoleLine) => process.stdout.write(`${JSON.stringify(line)}\n`)
    : (line: ConsoleLine) => process.stdout.write(`\n${renderForTerminal(line)}\n`);
  const logger = commandLogger(config, {
    toStderr: true,
    level: jsonl || config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
  });
  const app = await createApp({
    config,
    logger,
    channels: [() => ({ adapter: new ConsoleAdapter(write) })],
    dashboard: false,
  });
  await app.start();
  try {
    if (jsonl) await runJsonl(app);
    else await runInteractive(app, typeof args.options.as === 'string' ? args.options.as : 'inwoner');
  } finally {
    await app.settle();
    await app.stop();
  }
  return 0;
}

async function runJsonl(app: App): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (!raw.trim()) continue;
    const input = parseLine(raw);
    if ('error' in input) {
      process.stdout.write(`${JSON.stringify({ error: input.error, line: n })}\n`);
      continue;
    }
    await app.engine.receive({
      channel: 'console',
      userId: input.from,
      messageId: input.id ?? `${run}:${n}`,
      text: input.text,
      hasMedia: input.media === true,
    });
    await app.settle();
    process.stdout.write(`${JSON.stringify({ ack: n })}\n`);
  }
}

interface JsonlInput {
  from: string;
  text: string;
  id?: string;
  media?: boolean;
}

/** Reads one input line: `{"from":"r1","text":"…"}` (optional `id` for dedupe, `media` for an attachment). */
export function parseLine(raw: string): JsonlInput | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { error: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'expected a JSON object' };
  const { from, text, id, media } = value as Record<string, unknown>;
  if (from !== undefined && (typeof from !== 'string' || !from.trim()))
    return { error: '"from" must be a non-empty text' };
  if (text !== undefined && typeof text !== 'string') return { error: '"text" must be a text' };
  if (id !== undefined && typeof id !== 'string') return { error: '"id" must be a text' };
  return {
    from: typeof from === 'string' ? from.trim() : 'r1',
    text: typeof text === 'string' ? text : '',
    ...(typeof id === 'string' ? { id } : {}),
    ...(media === true ? { media: true } : {}),
  };
}

async function runInteractive(app: App, as: string): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: `${as}> ` });
  process.stdout.write(`Spreekuur — ${app.municipality.name}. Typ een bericht (Ctrl+D om te stoppen).\n`);
  rl.prompt();
  let n = 0;
  for await (const line of rl) {
    n++;
    await app.engine.receive({
      channel: 'console',
      userId: as,
      messageId: `tty:${Date.now()}:${n}`,
      text: line,
    });
    await app.settle();
    rl.prompt();
  }
}
