import { MAX_CASE_TEXT_LENGTH, REOPEN_WINDOW_DAYS } from '../src/features/cases/case-service.js';
import type { StepContext } from './types.js';
import { formatDate, formatShort, formatTerm, formatTime } from '../src/i18n/format.js';
import type { Language } from '../src/i18n/translator.js';
import { findDistrict } from '../src/municipality/municipality.js';
import { PRIVACY_TOPICS } from '../src/features/cases/services.js';

/** "dinsdag 8 december" in the municipality's time zone and the resident's language. */
export function dateText(ctx: StepContext, at: number | Date): string {
  return formatDate(new Date(at), ctx.lang, ctx.municipality.timeZone, ctx.now);
}

/** "19:00" local time. */
export function timeText(ctx: StepContext, at: number | Date): string {
  return formatTime(new Date(at), ctx.lang, ctx.municipality.timeZone);
}

/** "di 8 dec, 19:00" for choices and lists. */
export function shortText(ctx: StepContext, at: number | Date): string {
  return formatShort(new Date(at), ctx.lang, ctx.municipality.timeZone);
}

/** How long messages, questions and appointments are kept (data/retention.json): "2 jaar", "90 dagen". */
export function retentionTerms(ctx: StepContext, lang: Language = ctx.lang) {
  const r = ctx.municipality.retention;
  return {
    chatTerm: formatTerm(r.messages.days, lang),
    caseTerm: formatTerm(r.cases.days, lang),
    bookingTerm: formatTerm(r.bookings.days, lang),
  };
}

/** A topic's label in the resident's language (a privacy request's topic says what was asked). */
export function topicLabel(ctx: StepContext, id: string): string {
  if (id === PRIVACY_TOPICS.access) return ctx.t('privacy.topic_access');
  if (id === PRIVACY_TOPICS.erasure) return ctx.t('privacy.topic_erasure');
  const topic = ctx.municipality.cases.topics.find((t) => t.id === id);
  return topic ? topic.label[ctx.lang] : id;
}

/** A district's name, or a kind "no district known". */
export function districtName(ctx: StepContext, id: string | null): string {
  return findDistrict(ctx.municipality, id ?? undefined)?.name ?? ctx.t('case.no_district');
}

/** The first words of a text, for lists and notices. */
export function firstWords(text: string, words = 12): string {
  const parts = text.trim().split(/\s+/);
  return parts.length <= words ? parts.join(' ') : `${parts.slice(0, words).join(' ')} …`;
}

/** An example reference in the municipality's format. */
export function exampleReference(ctx: StepContext): string {
  return `${ctx.municipality.referencePrefix}-${ctx.now.getUTCFullYear()}-000042`;
}

/** What a case error code (a DomainError from the cases feature) means, in words a resident reads. */
export function caseErrorText(ctx: StepContext, code: string): string {
  switch (code) {
    case 'case.not_found':
      return ctx.t('cases.error.not_found', { example: exampleReference(ctx) });
    case 'case.text_empty':
      return ctx.t('cases.error.text_empty');
    case 'case.text_too_long':
      return ctx.t('cases.error.text_too_long', { max: MAX_CASE_TEXT_LENGTH });
    case 'case.reopen_window_closed':
      return ctx.t('cases.error.reopen_window_closed', { days: REOPEN_WINDOW_DAYS });
    case 'case.rating_invalid':
      return ctx.t('cases.error.rating_invalid');
    case 'case.not_answered':
      return ctx.t('cases.error.not_answered');
    case 'case.concurrent_change':
      return ctx.t('cases.error.concurrent_change');
    default:
      return ctx.t('cases.error.illegal_transition');
  }
}
