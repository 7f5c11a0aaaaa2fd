import pino, { type Logger } from 'pino';

/**
 * The service's logger: JSON in production, readable otherwise. Message bodies and phone numbers
 * never go in: callers log ids and hashes, and these paths are redacted as a second line of defence.
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
  return pino({
    level: options.level,
    redact,
    transport: {
      target: 'pino-pretty',
      options: { destination, colorize: false, translateTime: 'SYS:HH:MM:ss' },
    },
  });
}
