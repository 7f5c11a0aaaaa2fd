import type { Texts } from '../../i18n/translator.js';
import { translator, type Language } from '../../i18n/translator.js';
import { formatDate } from '../../i18n/format.js';
import { routingDepartments, type RoutingConfig } from '../../municipality/case-data.js';
import type { Municipality } from '../../municipality/municipality.js';
import {
  fillStandardAnswer,
  standardAnswersFor,
  type StandardAnswer,
} from '../../municipality/standard-answers.js';
import type { Assignee, Case } from '../../ports/case-repository.js';

/** Every department the routing rules name, once each, in the order they first appear, as assignees. */
export function departmentsOf(routing: RoutingConfig): Extract<Assignee, { type: 'department' }>[] {
  return routingDepartments(routing).map((d) => ({ type: 'department', ...d }));
}

/** A standard answer ready to send: its title for staff, its text for the resident. */
export interface FilledStandardAnswer {
  id: string;
  title: string;
  text: string;
}

/** The case's language as a text language (older cases may hold something else: Dutch then). */
export function caseLanguage(c: Pick<Case, 'language'>): Language {
  return c.language === 'en' ? 'en' : 'nl';
}

/**
 * The standard answers that fit the case's topic, in the resident's language, with the name,
 * reference and dates filled in. Staff may still change the text before it is sent.
 */
export function standardAnswersForCase(
  m: Municipality,
  texts: Texts,
  c: Case,
  now: Date,
  /** The library's active answers (the data file's with the dashboard's edits on top). */
  answers: readonly StandardAnswer[] = m.cases.standardAnswers,
): FilledStandardAnswer[] {
  const lang = caseLanguage(c);
  const t = translator(texts, lang);
  const date = (d: Date) => formatDate(d, lang, m.timeZone, now);
  const values = {
    name: c.residentName ?? t('cases.resident_fallback_name'),
    reference: c.reference,
    date: date(c.answerBy),
    asked: date(c.createdAt),
    today: date(now),
  };
  return standardAnswersFor(answers, c.topic).map((a) => ({
    id: a.id,
    title: a.title[lang],
    text: fillStandardAnswer(a.text[lang], values),
  }));
}

/** Whether a standard answer with this id fits the case's topic. */
export function fitsCase(answers: readonly StandardAnswer[], c: Pick<Case, 'topic'>, id: string): boolean {
  return standardAnswersFor(answers, c.topic).some((a) => a.id === id);
}
