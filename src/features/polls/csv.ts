import { MIN_GROUP, type GroupFigures, type PollResults } from './poll.js';

function cell(value: string | number): string {
  const text = String(value);
  // Quoted always; a leading = + - @ is defused so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The results as CSV (one row per group and option), with the same privacy rule as the pages:
 * a group of fewer than MIN_GROUP answers has no figures, only the note that it is too small.
 */
export function resultsCsv(results: PollResults, districtName: (id: string) => string): string {
  const header = ['group', 'answers', 'option', 'count', 'percent'];
  const rows: (string | number)[][] = [];
  const group = (name: string, g: GroupFigures) => {
    for (const o of g.options)
      rows.push([name, g.answers ?? `fewer than ${MIN_GROUP}`, o.label, o.count ?? '', o.percent ?? '']);
  };
  group(results.total.partial ? 'all districts with enough answers' : 'all districts', results.total);
  for (const d of results.districts) group(districtName(d.districtId), d);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
