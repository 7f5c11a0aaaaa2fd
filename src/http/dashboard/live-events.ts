import type { FastifyReply, FastifyRequest } from 'fastify';

/** One server-sent event: its name and what it carries (sent as JSON). */
export interface LiveEvent {
  event: string;
  data: unknown;
}

/** How often a live page's stream looks for news (the database is shared by every process). */
export const LIVE_POLL_MS = 1000;

/**
 * Streams server-sent events (`text/event-stream`) to one dashboard page: every `intervalMs` it
 * asks `tick` for news and sends it; `tick` returning null ends the stream. The stream polls the
 * database rather than listening in this process, because a resident's message may be stored by
 * another process (a channel's own service, `spreekuur chat`). It stops when the browser leaves.
 */
export function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  tick: () => Promise<LiveEvent[] | null>,
  intervalMs = LIVE_POLL_MS,
): FastifyReply {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'keep-alive',
  });
  // The browser waits this long before it connects again after a dropped stream.
  out.write(`retry: ${intervalMs * 3}\n\n`);
  let open = true;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    open = false;
    if (timer) clearTimeout(timer);
    out.end();
  };
  request.raw.once('close', stop);
  const run = async () => {
    try {
      const events = await tick();
      if (!open) return;
      if (events === null) return stop();
      for (const e of events) out.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
      timer = setTimeout(() => void run(), intervalMs);
    } catch (error) {
      request.log.error({ err: error }, 'live events failed');
      stop();
    }
  };
  void run();
  return reply;
}
