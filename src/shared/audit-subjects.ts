/**
 * How the audit log names what a line is about. The log is never changed, so these strings are
 * fixed: a line written years ago must still be found by the subject written today. Every writer
 * and reader of these kinds spells a subject here, never by hand.
 */

/** The kinds of subject spelled here, each the part of a subject before its first `:`. */
const KINDS = ['conversation', 'case', 'booking', 'account', 'hours'] as const;

/** A kind of subject spelled here (`case` in `case:RSW-2026-000042`). */
export type SubjectKind = (typeof KINDS)[number];

/**
 * A resident's conversation: `conversation:` and the key's pseudonym. The log is never erased, and
 * a key holds the resident's phone number or chat id.
 */
export function conversationSubject(pseudonym: (value: string) => string, key: string): string {
  return `conversation:${pseudonym(key)}`;
}

/** A case, by the reference staff and the resident see: `case:RSW-2026-000042`. */
export function caseSubject(reference: string): string {
  return `case:${reference}`;
}

/** A booking, by its reference: `booking:AFS-…`. */
export function bookingSubject(reference: string): string {
  return `booking:${reference}`;
}

/** A staff account, by its id (its name and address change): `account:<id>`. */
export function accountSubject(id: string): string {
  return `account:${id}`;
}

/** The hours page as shown: one alderman's (`hours:<alderman id>`), or everyone's (`hours:all`). */
export function hoursPageSubject(aldermanId: string | null): string {
  return `hours:${aldermanId ?? 'all'}`;
}

/** One entry of the hours, by its kind and id: `hours:<kind>:<id>`. */
export function hoursEntrySubject(kind: string, id: string): string {
  return `hours:${kind}:${id}`;
}

/** One alderman's day, as cancelling or restoring it names it: `hours:<alderman id>:<date>`. */
export function hoursDaySubject(aldermanId: string, date: string): string {
  return `hours:${aldermanId}:${date}`;
}

/**
 * A subject's kind and what follows it (`case:RSW-2026-000042` is a case, `RSW-2026-000042`); null
 * for a subject of another kind (`poll:…`, an e-mail address tried) or with nothing after the kind.
 */
export function parseSubject(subject: string): { kind: SubjectKind; value: string } | null {
  const colon = subject.indexOf(':');
  if (colon < 0) return null;
  const kind = KINDS.find((k) => k === subject.slice(0, colon));
  const value = subject.slice(colon + 1);
  return kind && value ? { kind, value } : null;
}
