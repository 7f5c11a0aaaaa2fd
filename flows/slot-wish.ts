import type { TimeWish } from '../src/understanding/time-wish.js';
import { locales } from '../src/i18n/translator.js';
import type { StepContext } from './types.js';

/** Names in the resident's language, of a fixed UTC day: the weekday or month itself is all that counts. */
function named(ctx: StepContext, options: Intl.DateTimeFormatOptions, at: number): string {
  return new Intl.DateTimeFormat(locales[ctx.lang], { ...options, timeZone: 'UTC' }).format(at);
}

/**
 * A time wish in words, to say which times are shown or that none fits: "op dinsdag 's avonds",
 * "in januari", "op 22 december per telefoon", "on Tuesday or Thursday in the evening".
 */
export function wishText(ctx: StepContext, wish: TimeWish): string {
  const parts: string[] = [];
  if (wish.month !== undefined && wish.day !== undefined)
    parts.push(
      ctx.t('book.wish.date', {
        date: named(ctx, { day: 'numeric', month: 'long' }, Date.UTC(2028, wish.month - 1, wish.day)),
      }),
    );
  else if (wish.weekdays?.length) {
    // 5 January 2026 was a Monday: ISO weekday 1.
    const days = wish.weekdays.map((d) => named(ctx, { weekday: 'long' }, Date.UTC(2026, 0, 4 + d)));
    parts.push(ctx.t('book.wish.weekdays', { days: days.join(` ${ctx.t('book.wish.or')} `) }));
  }
  if (wish.month !== undefined && wish.day === undefined)
    parts.push(
      ctx.t('book.wish.month', { month: named(ctx, { month: 'long' }, Date.UTC(2026, wish.month - 1, 15)) }),
    );
  if (wish.dayPart) parts.push(ctx.t(`book.wish.${wish.dayPart}`));
  if (wish.kind) parts.push(ctx.t(`book.wish.${wish.kind}`));
  return parts.join(' ');
}
