import type { GroupFigures, PollResults } from '../features/polls/poll.js';
import type { Translate } from '../i18n/translator.js';
import { escapeHtml as e } from '../shared/html.js';

const WIDTH = 480;
const ROW = 52;
/** Room for the figure after the longest bar ("100% (1234)"). */
const VALUE_ROOM = 110;
/** Dark enough on white for text and bars alike (contrast above 7:1). */
const BAR = '#1f4e79';
const INK = '#1a1a1a';

/** A bar chart of one group's shares as SVG with a name and a description for screen readers. */
function chart(id: string, title: string, desc: string, g: GroupFigures): string {
  const height = g.options.length * ROW;
  const bars = g.options
    .map((o, i) => {
      const y = i * ROW;
      const w = Math.round(((o.percent ?? 0) / 100) * (WIDTH - VALUE_ROOM));
      return (
        `<text x="0" y="${y + 16}" fill="${INK}" font-size="14">${e(o.label)}</text>` +
        `<rect x="0" y="${y + 24}" width="${Math.max(w, 1)}" height="20" fill="${BAR}"></rect>` +
        `<text x="${w + 8}" y="${y + 39}" fill="${INK}" font-size="14">${o.percent}% (${o.count})</text>`
      );
    })
    .join('');
  return (
    `<svg class="poll-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" ` +
    `width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${e(title)}</title><desc id="${id}-desc">${e(desc)}</desc>${bars}</svg>`
  );
}

function table(caption: string, g: GroupFigures, t: Translate): string {
  const rows = g.options
    .map(
      (o) =>
        `<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">${e(o.label)}</th>` +
        `<td class="utrecht-table__cell utrecht-table__cell--numeric">${o.count}</td>` +
        `<td class="utrecht-table__cell utrecht-table__cell--numeric">${o.percent}%</td></tr>`,
    )
    .join('');
  return (
    `<table class="utrecht-table poll-table"><caption class="utrecht-table__caption">${e(caption)}</caption>` +
    `<thead class="utrecht-table__header"><tr class="utrecht-table__row">` +
    `<th scope="col" class="utrecht-table__header-cell">${e(t('dashboard.polls.col.option'))}</th>` +
    `<th scope="col" class="utrecht-table__header-cell">${e(t('dashboard.polls.col.count'))}</th>` +
    `<th scope="col" class="utrecht-table__header-cell">${e(t('dashboard.polls.col.percent'))}</th>` +
    `</tr></thead><tbody class="utrecht-table__body">${rows}</tbody></table>`
  );
}

function group(id: string, name: string, g: GroupFigures, t: Translate, level: number): string {
  const heading = `<h${level} class="utrecht-heading-${level}" id="${id}-h">${e(name)}</h${level}>`;
  const open = `<section class="poll-group" aria-labelledby="${id}-h">${heading}`;
  if (g.answers === null)
    return `${open}<p class="utrecht-paragraph">${e(t('dashboard.polls.too_few'))}</p></section>`;
  const count = `<p class="utrecht-paragraph">${e(t('dashboard.polls.answers', { count: g.answers }))}</p>`;
  return (
    `${open}${count}` +
    `<div class="poll-figures">` +
    chart(id, t('dashboard.polls.chart_title', { group: name }), t('dashboard.polls.chart_desc'), g) +
    table(t('dashboard.polls.table_caption', { group: name }), g, t) +
    `</div></section>`
  );
}

/**
 * A poll's results as HTML: for all districts and for each district, a bar chart (SVG) with a table
 * of the same figures beside it; a group of fewer than 5 answers shows only that it is too small.
 * Every text (question, options, names) is escaped: staff-written text never becomes markup.
 */
export function pollResultsHtml(
  r: PollResults,
  o: { t: Translate; districtName: (id: string) => string; level?: number },
): string {
  const level = o.level ?? 2;
  const { t } = o;
  const notes = [
    `<p class="utrecht-paragraph">${e(t('dashboard.polls.privacy_note'))}</p>`,
    ...(r.total.partial ? [`<p class="utrecht-paragraph">${e(t('dashboard.polls.partial_note'))}</p>`] : []),
  ].join('');
  return (
    notes +
    group('poll-all', t('dashboard.polls.all'), r.total, t, level) +
    r.districts.map((d, i) => group(`poll-d${i}`, o.districtName(d.districtId), d, t, level)).join('')
  );
}
