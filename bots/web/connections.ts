import type { ServerFrame } from './protocol.js';

/** One open page: a WebSocket or an SSE stream. */
export interface Transport {
  send(frame: ServerFrame): void;
  close(): void;
}

/**
 * A page's connection. Until its history has been sent, live frames wait in a queue, so a message
 * that arrives meanwhile is never lost between the history read and the first push.
 */
export class LiveConnection {
  private waiting: ServerFrame[] | null = [];

  constructor(private readonly transport: Transport) {}

  push(frame: ServerFrame): void {
    if (this.waiting) this.waiting.push(frame);
    else this.transport.send(frame);
  }

  /** Sends the history, then what arrived while it was read (the page skips what it already has). */
  open(history: ServerFrame): void {
    const waiting = this.waiting ?? [];
    this.waiting = null;
    this.transport.send(history);
    for (const frame of waiting) this.transport.send(frame);
  }

  /** Sends a frame at once, ahead of anything waiting (answers to the page's own frames). */
  reply(frame: ServerFrame): void {
    this.transport.send(frame);
  }

  close(): void {
    this.transport.close();
  }
}

/** The open pages per resident; a resident may have several tabs open. */
export class ConnectionRegistry {
  private readonly byResident = new Map<string, Set<LiveConnection>>();

  /** Registers a page; returns the function that removes it again. */
  add(residentId: string, connection: LiveConnection): () => void {
    let set = this.byResident.get(residentId);
    if (!set) this.byResident.set(residentId, (set = new Set()));
    set.add(connection);
    return () => {
      set.delete(connection);
      if (set.size === 0 && this.byResident.get(residentId) === set) this.byResident.delete(residentId);
    };
  }

  /** Pushes a frame to every open page of a resident; returns how many there were. */
  push(residentId: string, frame: ServerFrame): number {
    const set = this.byResident.get(residentId);
    for (const connection of set ?? []) connection.push(frame);
    return set?.size ?? 0;
  }

  /** Tells every page of a resident that this device forgot the conversation, and closes them. */
  forget(residentId: string): void {
    for (const connection of [...(this.byResident.get(residentId) ?? [])]) {
      connection.reply({ type: 'forgotten' });
      connection.close();
    }
    this.byResident.delete(residentId);
  }

  /** Closes every page (the service stops). */
  closeAll(): void {
    for (const set of this.byResident.values()) for (const connection of set) connection.close();
    this.byResident.clear();
  }

  /** How many pages are open. */
  get size(): number {
    let n = 0;
    for (const set of this.byResident.values()) n += set.size;
    return n;
  }
}
