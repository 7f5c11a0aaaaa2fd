import type { NewCaseEvent, ReferenceNumbering } from '../../ports/case-repository.js';
import { NEXT_CASE_NUMBER_SQL, sequenceParameter } from './case-numbers.js';

/** `RSW-2026-000042`: the reference of `number` under `numbering` (as formatReference makes it). */
export function numberedReference(numbering: ReferenceNumbering, number: number): string {
  return `${numbering.prefix}-${numbering.year}-${String(number).padStart(numbering.digits, '0')}`;
}

/**
 * PostgreSQL: one statement that draws the number of (prefix, year), makes the reference of it as
 * numberedReference does, inserts the case under it (ON CONFLICT DO NOTHING: a used idempotency key)
 * and, with `withEvent`, its first event with the reference in the event's detail. Its result is one
 * row: `value`, null when (prefix, year) has no sequence yet (nothing done), and `reference`, null
 * when the case was not stored. `columns` are the case's columns; every one but `reference` takes a
 * parameter; the parameters are those of `numberedCaseParameters`.
 */
export function numberedCaseSql(columns: readonly string[], withEvent: boolean): string {
  const selected = columns.map((column) => (column === 'reference' ? 'r.reference' : '?')).join(', ');
  const event = withEvent
    ? `, e AS (INSERT INTO case_events (case_id, at, actor, type, detail)
         SELECT id, ?::timestamptz, ?, ?, ? || to_json(reference)::text || ? FROM c)`
    : '';
  return `WITH n AS (${NEXT_CASE_NUMBER_SQL}),
     r AS (SELECT ? || '-' || ? || '-' || lpad(value::text, greatest(?, length(value::text)), '0') AS reference
           FROM n WHERE value IS NOT NULL),
     c AS (INSERT INTO cases (${columns.join(', ')}) SELECT ${selected} FROM r
           ON CONFLICT DO NOTHING RETURNING id, reference)${event}
     SELECT (SELECT value FROM n) AS value, (SELECT reference FROM c) AS reference`;
}

/** The parameters of numberedCaseSql, given the case's values without its reference. */
export function numberedCaseParameters(
  numbering: ReferenceNumbering,
  caseValues: readonly unknown[],
  first?: NewCaseEvent,
): unknown[] {
  const { prefix, year, digits } = numbering;
  const event = first ? [first.at, first.actor, first.type, ...detailAround(first.detail)] : [];
  return [sequenceParameter(prefix, year), prefix, String(year), digits, ...caseValues, ...event];
}

/** Stands for the reference while the detail is written out; no value of a detail is this string. */
const MARK = '\u0000reference';

/**
 * The event's detail as JSON text before and after its `reference` value, so that the database puts
 * the reference between them: the text comes out as JSON.stringify gives it with the reference in.
 */
function detailAround(detail: Record<string, unknown>): [string, string] {
  const text = JSON.stringify({ ...detail, reference: MARK });
  const mark = JSON.stringify(MARK);
  const at = text.indexOf(mark);
  return [text.slice(0, at), text.slice(at + mark.length)];
}
