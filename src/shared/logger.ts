import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import type * as PinoPretty from 'pino-pretty';

const PRETTY = { colorize: false, translateTime: 'SYS:HH:MM:ss' } as const;

/**
 * The service's logger: JSON in production, readable otherwise. Message bodies and phone numbers
 * never go in: callers log ids and hashes, and these paths are redacted as a second line of defence.
 * A command's logger (`toStderr`) formats in the process's own thread: the service's pino-pretty transport
 * starts a worker thread, a second Node of ~50 ms CPU that a command (logging only warnings) pays
 * at every start.
 */
export function createLogger(options: { level: string; production: boolean; toStderr?: boolean }): Logger {
  const destination = options.toStderr ? 2 : 1;
  const redact = {
    paths: ['text', 'body', 'phone', 'userId', '*.text', '*.body', '*.phone', '*.userId'],
    censor: '[hidden]',
  };
  if (options.production || options.level === 'silent') {
    return pino({ level: options.level, redact }, pino.destination({ dest: destination, sync: false }));
  }
  if (options.toStderr) return pino({ level: options.level, redact }, prettyOnFirstLine(destination));
  return pino({
    level: options.level,
    redact,
    transport: { target: 'pino-pretty', options: { destination, ...PRETTY } },
  });
}

/**
 * Pretty lines written synchronously to `fd`, formatted by pino-pretty in this thread; pino-pretty
 * is loaded at the first line, so a command that logs nothing never loads it.
 */
function prettyOnFirstLine(fd: number): DestinationStream {
  const out = pino.destination({ dest: fd, sync: true });
  let format: ((line: string) => string) | undefined;
  return {
    write(line: string) {
      format ??= (createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty).prettyFactory(PRETTY);
      out.write(format(line));
    },
  };
}
