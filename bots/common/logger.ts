/** The slice of a pino logger the channel adapters use; pass the app's logger, or get silence. */
export interface ChannelLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const ignore = (): void => undefined;

/** A logger that drops everything; the default when no logger is given. */
export const silentLogger: ChannelLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * An error reduced to what may go into a log. SDK errors can carry the request (chat ids, phone
 * numbers, message text), so only the name, a code and a scrubbed message are kept.
 */
export function loggableError(err: unknown): { name: string; code?: string | number; message: string } {
  if (!(err instanceof Error)) return { name: typeof err, message: 'non-error thrown' };
  const code = (err as { code?: unknown }).code;
  const message = scrubDigits(err.message).slice(0, 200);
  return typeof code === 'string' || typeof code === 'number'
    ? { name: err.name, code, message }
    : { name: err.name, message };
}

/** Replaces long digit runs (phone numbers, chat ids) so they never reach a log line. */
export function scrubDigits(text: string): string {
  return text.replace(/\d{6,}/g, '#');
}
