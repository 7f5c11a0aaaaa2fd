import type { Municipality } from '../../municipality/municipality.js';
import type { Assignee } from '../../ports/case-repository.js';
import { departmentsOf } from './staff-texts.js';

/** A department a case can be handed to: its id in the routing rules and its name. */
export interface Department {
  id: string;
  name: string;
}

/** Words before the team that say nothing about which one ("naar afval", "to waste"). */
const FILLER = new Set(['naar', 'aan', 'to', 'de', 'het', 'the']);

/**
 * The departments the words name ("afval", "naar team afval", "klantcontactcentrum"): the one whose
 * id the words are, else every one whose id or name holds each of the words. None when the words
 * name none; more than one when they fit several ("team").
 */
export function departmentsNamed(departments: readonly Department[], text: string): Department[] {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((w) => w && !FILLER.has(w));
  if (words.length === 0) return [];
  const exact = departments.filter((d) => d.id.toLowerCase() === words.join(' '));
  if (exact.length > 0) return exact;
  return departments.filter((d) => {
    const own = new Set([d.id.toLowerCase(), ...d.name.toLowerCase().split(/[^\p{L}\p{N}-]+/u)]);
    return words.every((w) => own.has(w));
  });
}

type Teams = Pick<Municipality, 'aldermen' | 'cases'>;

/** Whether two assignees are the same team. */
export function sameAssignee(a: Assignee, b: Assignee | null): boolean {
  return b !== null && a.type === b.type && a.id === b.id;
}

/** Whether the team exists: an alderman of the municipality, or a department of its routing rules. */
export function isKnownTeam(m: Teams, target: Assignee): boolean {
  if (target.type === 'alderman') return m.aldermen.some((a) => a.id === target.id);
  return departmentsOf(m.cases.routing).some((d) => d.id === target.id);
}

/** The team as the data names it (a department's name from the routing rules, never from a form). */
export function canonicalTeam(m: Teams, target: Assignee): Assignee {
  if (target.type === 'alderman') return { type: 'alderman', id: target.id };
  return departmentsOf(m.cases.routing).find((d) => d.id === target.id) ?? target;
}
