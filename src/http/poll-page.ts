import type { FastifyInstance } from 'fastify';
import type { PollResults } from '../features/polls/poll.js';
import { translator, type Language, type Texts } from '../i18n/translator.js';
import { escapeHtml as e } from '../shared/html.js';
import { pollResultsHtml } from './poll-chart.js';

/** What the public results page is built from. */
export interface PollPageDeps {
  /** The results once the poll is over; null before that or for an unknown id. */
  results(id: string): Promise<PollResults | null>;
  districtName: (id: string) => string;
  texts: Texts;
  municipality: { name: string; defaultLanguage: Language; timeZone: string };
}

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function page(r: PollResults, lang: Language, deps: PollPageDeps): string {
  const t = translator(deps.texts, lang);
  const other: Language = lang === 'nl' ? 'en' : 'nl';
  const closed = r.poll.closedAt ?? r.poll.closesAt;
  const when = closed
    ? closed.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
        timeZone: deps.municipality.timeZone,
        dateStyle: 'long',
        timeStyle: 'short',
      })
    : '';
  const outcome = r.poll.outcome
    ? `<h2 class="utrecht-heading-2">${e(t('dashboard.polls.outcome_shown'))}</h2><p class="utrecht-paragraph">${e(r.poll.outcome)}</p>`
    : '';
  return `<!doctype html>
<html lang="${lang}" class="utrecht-theme">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t('polls.public.title'))}: ${e(r.poll.question)} – ${e(deps.municipality.name)}</title>
<link rel="stylesheet" href="/assets/nlds.css">
<link rel="stylesheet" href="/assets/theme.css">
<link rel="stylesheet" href="/dashboard/dashboard.css">
</head>
<body class="utrecht-document utrecht-theme">
<header class="poll-page"><p class="utrecht-paragraph"><a class="utrecht-link" href="?lang=${other}" lang="${other}" hreflang="${other}">${e(t('dashboard.other_language'))}</a></p></header>
<main class="poll-page" id="main">
<h1 class="utrecht-heading-1">${e(r.poll.question)}</h1>
<p class="utrecht-paragraph">${e(t('polls.public.intro', { municipality: deps.municipality.name }))}</p>
${r.poll.scale ? `<p class="utrecht-paragraph">${e(t('polls.public.scale'))}</p>` : ''}
${when ? `<p class="utrecht-paragraph">${e(t('polls.public.closed', { date: when }))}</p>` : ''}
${outcome}
<h2 class="utrecht-heading-2">${e(t('dashboard.polls.results'))}</h2>
${pollResultsHtml(r, { t, districtName: deps.districtName, level: 3 })}
</main>
</body>
</html>`;
}

/**
 * GET /peilingen/<id>: a poll's results for everyone, once it is over. Only figures (no group under
 * 5 answers), the question, the options and the outcome text: nothing about any resident, and not
 * the free-text answers. Before it closes, or for an unknown id, the same 404.
 */
export function pollPageRoute(deps: PollPageDeps): (server: FastifyInstance) => void {
  return (server) => {
    server.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
      '/peilingen/:id',
      async (request, reply) => {
        const id = request.params.id;
        const results = /^[a-z0-9]{1,40}$/.test(id) ? await deps.results(id) : null;
        reply.header('Content-Security-Policy', CSP).header('Referrer-Policy', 'no-referrer');
        reply.header('X-Content-Type-Options', 'nosniff');
        if (!results) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
        const lang: Language =
          request.query.lang === 'en' || request.query.lang === 'nl'
            ? request.query.lang
            : deps.municipality.defaultLanguage;
        return reply
          .header('Cache-Control', 'public, max-age=300')
          .type('text/html; charset=utf-8')
          .send(page(results, lang, deps));
      },
    );
  };
}
