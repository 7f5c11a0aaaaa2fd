import type { ChannelLogger } from '../../bots/common/logger.js';

/** A channel logger that keeps every line, to check what adapters log (and what they never log). */
export class RecordingLogger implements ChannelLogger {
  readonly lines: Array<{ level: string; obj: object; msg: string }> = [];
  debug(obj: object, msg: string): void {
    this.lines.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg: string): void {
    this.lines.push({ level: 'error', obj, msg });
  }
  /** The states the adapter reported, in order. */
  states(): string[] {
    return this.lines.filter((l) => l.msg === 'channel state').map((l) => (l.obj as { to: string }).to);
  }
}
