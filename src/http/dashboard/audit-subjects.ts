import { normalizeReference } from '../../features/cases/reference.js';
import type { Translate } from '../../i18n/translator.js';
import { parseSubject } from '../../shared/audit-subjects.js';

/** How many characters of a conversation's pseudonym (22 in all) a line of the audit page shows. */
const SHORT_PSEUDONYM = 8;

/** How the audit page shows what a line is about. */
export interface SubjectView {
  /** A word for what it is ("Gesprek"), shown before `name`; null when `name` says it. */
  kind: string | null;
  /** An account's name, a case's reference, (the start of) a pseudonym, or the subject as logged. */
  name: string;
  /** Whether `name` is a code (a pseudonym), shown in `<code>`. */
  code: boolean;
  /** The whole subject when `name` shortens it (the code's title). */
  whole: string | null;
  /** The page of the subject itself (a case's page), or null. */
  href: string | null;
}

/**
 * A subject (`conversation:<pseudonym>`, `case:<reference>`, `account:<id>`, an e-mail address tried)
 * as a person reads it. `accounts` names accounts by subject; `short` shows a pseudonym's start only.
 * Pure: it reads nothing, so a page of lines costs no lookup (a case's subject holds its reference).
 */
export function subjectView(
  subject: string,
  options: { accounts: ReadonlyMap<string, string>; t: Translate; short: boolean },
): SubjectView {
  const account = options.accounts.get(subject);
  if (account) return { kind: null, name: account, code: false, whole: null, href: null };
  const parsed = parseSubject(subject);
  if (parsed?.kind === 'conversation') {
    const { value } = parsed;
    const shortened = options.short && value.length > SHORT_PSEUDONYM;
    return {
      kind: options.t('dashboard.audit.conversation'),
      name: shortened ? value.slice(0, SHORT_PSEUDONYM) : value,
      code: true,
      whole: shortened ? value : null,
      href: null,
    };
  }
  if (parsed?.kind === 'case' && normalizeReference(parsed.value) === parsed.value)
    return {
      kind: null,
      name: parsed.value,
      code: false,
      whole: null,
      href: `/dashboard/cases/${encodeURIComponent(parsed.value)}`,
    };
  return { kind: null, name: subject, code: false, whole: null, href: null };
}
