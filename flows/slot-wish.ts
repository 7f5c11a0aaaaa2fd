import type { TimeParts, TimeWish } from '../src/understanding/time-wish.js';
import { locales } from '../src/i18n/translator.js';
import type { StepContext } from './types.js';

/** Names in the resident's language, of a fixed UTC day: the weekday or month itself is all that counts. */
function named(ctx: StepContext, options: Intl.DateTimeFormatOptions, at: number): string {
  return new Intl.DateTimeFormat(locales[ctx.lang], { ...options, timeZone: 'UTC' }).format(at);
}

/**
 * A time wish in words, to say which times are shown or that none fits: "op dinsdag 's avonds",
 * "in januari", "op 22 december per telefoon", "na 30 december", "niet in december", "on Tuesday or
 * Thursday in the evening".
 */
export function wishText(ctx: StepContext, wish: TimeWish): string {
  const wanted = partsText(ctx, wish);
  if (!wish.not) return wanted;
  const not = ctx.t('book.wish.not', { wish: partsText(ctx, wish.not) });
  return wanted ? `${wanted} ${ctx.t('book.wish.and')} ${not}` : not;
}

/** The parts of a wish that name a time, in words. */
function partsText(ctx: StepContext, wish: TimeParts): string {
  const parts: string[] = [];
  const month = (m: number) => named(ctx, { month: 'long' }, Date.UTC(2026, m - 1, 15));
  const date = (m: number, d: number) =>
    named(ctx, { day: 'numeric', month: 'long' }, Date.UTC(2028, m - 1, d));
  if (wish.month !== undefined && wish.bound)
    parts.push(
      ctx.t(`book.wish.${wish.bound}`, {
        when: wish.day !== undefined ? date(wish.month, wish.day) : month(wish.month),
      }),
    );
  else if (wish.month !== undefined && wish.day !== undefined)
    parts.push(ctx.t('book.wish.date', { date: date(wish.month, wish.day) }));
  if (wish.weekdays?.length && (wish.day === undefined || wish.bound)) {
    // 5 January 2026 was a Monday: ISO weekday 1.
    const days = wish.weekdays.map((d) => named(ctx, { weekday: 'long' }, Date.UTC(2026, 0, 4 + d)));
    parts.push(ctx.t('book.wish.weekdays', { days: days.join(` ${ctx.t('book.wish.or')} `) }));
  }
  if (wish.month !== undefined && wish.day === undefined && !wish.bound)
    parts.push(ctx.t('book.wish.month', { month: month(wish.month) }));
  if (wish.dayPart) parts.push(ctx.t(`book.wish.${wish.dayPart}`));
  if (wish.kind) parts.push(ctx.t(`book.wish.${wish.kind}`));
  return parts.join(' ');
}
