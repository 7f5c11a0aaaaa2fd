import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * One server-sent event: its name, what it carries (sent as JSON) and, for an event that moves the
 * page on, `id`: where a stream that drops after it resumes (the browser sends it back as
 * `Last-Event-ID` when it reconnects). Digits, letters and dots only.
 */
export interface LiveEvent {
  event: string;
  data: unknown;
  id?: string;
}

/** How often a live page's stream looks for news (the database is shared by every process). */
export const LIVE_POLL_MS = 1000;
/**
 * A stream with nothing to say writes a comment line this often: proxies and load balancers close a
 * connection that stays silent (nginx after 60 s), and every reconnect sends the transcript again.
 */
export const KEEP_ALIVE_MS = 20_000;

/**
 * The id of the last event a reconnecting browser got (its `Last-Event-ID`), when it has the form
 * `pattern` expects; else null, and the stream starts where the page's URL says.
 */
export function resumedFrom(request: FastifyRequest, pattern: RegExp): RegExpExecArray | null {
  const id = request.headers['last-event-id'];
  return typeof id === 'string' ? pattern.exec(id) : null;
}

/** The open streams of each HTTP server, to end when it closes. */
const openStreams = new WeakMap<object, Set<() => void>>();

/**
 * Ends the server's open streams when it closes. Else a page left open would hold a stopping
 * process (SIGTERM, a restart) until the browser leaves; ended, the browser reconnects (to another
 * process, or to this one when it is back) and resumes from its Last-Event-ID.
 */
export function endStreamsOnClose(scope: FastifyInstance): void {
  scope.addHook('preClose', (done) => {
    for (const stop of openStreams.get(scope.server) ?? []) stop();
    done();
  });
}

/** One event as the stream sends it. */
function framed(e: LiveEvent): string {
  const id = e.id === undefined ? '' : `id: ${e.id}\n`;
  return `${id}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/**
 * Streams server-sent events (`text/event-stream`) to one dashboard page: every `intervalMs` it
 * asks `tick` for news and sends it; `tick` returning null ends the stream. The stream polls the
 * database rather than listening in this process, because a resident's message may be stored by
 * another process (a channel's own service, `spreekuur chat`). It stops when the browser leaves.
 * A browser whose stream dropped (a proxy's timeout, a restart) connects again by itself; `tick`
 * starts from the `Last-Event-ID` it sends (see `resumedFrom`), or sends again what the page may lack
 * under keys the page shows once (a takeover), so nothing is shown twice or missed.
 */
export function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  tick: () => Promise<LiveEvent[] | null>,
  intervalMs = LIVE_POLL_MS,
  keepAliveMs = KEEP_ALIVE_MS,
): FastifyReply {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'keep-alive',
    // A proxy must pass each event on at once, not buffer the stream (nginx).
    'X-Accel-Buffering': 'no',
  });
  // The browser waits this long before it connects again after a dropped stream.
  out.write(`retry: ${intervalMs * 3}\n\n`);
  let open = true;
  let timer: NodeJS.Timeout | undefined;
  let wroteAt = Date.now();
  const streams = openStreams.get(request.server.server) ?? new Set<() => void>();
  openStreams.set(request.server.server, streams);
  const stop = () => {
    open = false;
    streams.delete(stop);
    if (timer) clearTimeout(timer);
    out.end();
  };
  streams.add(stop);
  request.raw.once('close', stop);
  const run = async () => {
    try {
      const events = await tick();
      if (!open) return;
      if (events === null) return stop();
      // One write: a connection that drops mid-tick loses a tail of whole events, resumed by their ids.
      if (events.length > 0) {
        out.write(events.map(framed).join(''));
        wroteAt = Date.now();
      } else if (Date.now() - wroteAt >= keepAliveMs) {
        out.write(': keep-alive\n\n');
        wroteAt = Date.now();
      }
      timer = setTimeout(() => void run(), intervalMs);
    } catch (error) {
      request.log.error({ err: error }, 'live events failed');
      stop();
    }
  };
  void run();
  return reply;
}
