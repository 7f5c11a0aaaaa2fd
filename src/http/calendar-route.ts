import type { FastifyInstance } from 'fastify';

/** Finds a calendar file by its unguessable token; undefined when there is none. */
export type CalendarLookup = (token: string) => Promise<string | undefined>;

/**
 * GET /calendar/<token>.ics: a booking's calendar file. The token is the only key, so it is long
 * and random; an unknown one gets the same 404 whatever the reason.
 */
export function calendarRoute(lookup: CalendarLookup): (server: FastifyInstance) => void {
  return (server) => {
    server.get<{ Params: { file: string } }>('/calendar/:file', async (request, reply) => {
      const match = /^([A-Za-z0-9_-]{16,128})\.ics$/.exec(request.params.file);
      const ics = match?.[1] ? await lookup(match[1]) : undefined;
      if (!ics) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      return reply
        .header('Cache-Control', 'private, no-store')
        .header('Content-Disposition', 'attachment; filename="spreekuur.ics"')
        .type('text/calendar; charset=utf-8')
        .send(ics);
    });
  };
}
