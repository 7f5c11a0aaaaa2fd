import type { ChannelAdapter, ChannelState, Ingress } from '../../src/ports/channel.js';
import type { OutboundMessage } from '../../src/ports/messages.js';

/** One line the console writes for a message the service sent. */
export interface ConsoleLine {
  to: string;
  text: string;
  choices?: { id: string; label: string }[];
}

/**
 * The terminal channel: people are plain names (`--as`, or `from` in JSONL); what the service sends
 * goes to `write`, which renders it (numbered choices for people, JSON lines for scripts).
 */
export class ConsoleAdapter implements ChannelAdapter {
  readonly name = 'console';
  private current: ChannelState = 'stopped';

  constructor(private readonly write: (line: ConsoleLine) => void) {}

  state(): ChannelState {
    return this.current;
  }

  start(_ingress: Ingress): Promise<void> {
    this.current = 'ready';
    return Promise.resolve();
  }

  send(message: OutboundMessage): Promise<void> {
    const line: ConsoleLine = { to: message.to.userId, text: message.text };
    if (message.choices?.length) line.choices = message.choices.map((c) => ({ id: c.id, label: c.label }));
    this.write(line);
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.current = 'stopped';
    return Promise.resolve();
  }
}

/** How a person at a terminal reads a message: the text, then the choices numbered. */
export function renderForTerminal(line: ConsoleLine): string {
  const choices = (line.choices ?? []).map((c, i) => `  ${i + 1}. ${c.label}`);
  return [line.text, ...choices].join('\n');
}
