import { join } from 'node:path';
import { z } from '../../src/shared/zod.js';
import { formatDate, formatTime } from '../../src/i18n/format.js';
import type { Language } from '../../src/i18n/translator.js';
import type { NoticeCause } from '../../src/ports/held-message-repository.js';
import { dataError, parseDataFile, readJsonFile } from '../../src/shared/data-file.js';
import type { GraphTemplate } from './graph-client.js';

/** The notices that may have a template of their own, and the values each can fill in. */
export const NOTICE_PARAMETERS = {
  /** Anything else the service writes outside the window (a live-session message, a staff notice). */
  default: ['municipality'],
  'booking.reminder': ['municipality', 'reference', 'date', 'time', 'place'],
  'booking.cancelled': ['municipality', 'reference', 'date', 'time'],
  'case.answered': ['municipality', 'reference'],
  'case.delay': ['municipality', 'reference', 'date'],
  'case.proposal_stage': ['municipality', 'reference'],
  'poll.closed': ['municipality'],
  'poll.invite': ['municipality'],
  'participation.update': ['municipality', 'title'],
} as const satisfies Record<string, readonly string[]>;

type Notice = keyof typeof NOTICE_PARAMETERS;
type Parameter = (typeof NOTICE_PARAMETERS)[Notice][number];

const languageCode = z
  .string()
  .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'expected a WhatsApp language code like nl or en_GB');
const template = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'expected the approved name: lower case, digits and _'),
  parameters: z.array(z.string()).max(10).default([]),
  /** The approved texts, for reference and for the check that placeholders and parameters agree. */
  body: z.object({ nl: z.string().min(1), en: z.string().min(1) }),
  language: z.object({ nl: languageCode, en: languageCode }).partial().optional(),
});
const file = z.object({
  languages: z.object({ nl: languageCode, en: languageCode }),
  templates: z.record(z.string(), template),
});

type TemplateSpec = z.output<typeof template>;

/** What a template's values are read from: the notice and the municipality. */
export interface TemplateContext {
  municipality: string;
  timeZone: string;
  now: Date;
}

/** The approved templates by notice, checked once at start (`data/whatsapp-templates.json`). */
export class TemplateSet {
  private constructor(
    private readonly languages: Record<Language, string>,
    private readonly templates: Map<string, TemplateSpec>,
  ) {}

  /** Reads and checks the file; any problem is a one-line Data error naming the file and field. */
  static load(dataDir: string): TemplateSet {
    const path = join(dataDir, 'whatsapp-templates.json');
    return TemplateSet.parse(readJsonFile(path), path);
  }

  static parse(value: unknown, path: string): TemplateSet {
    const parsed = parseDataFile(file, value, path);
    if (!parsed.templates.default) throw dataError(path, 'templates', "needs a 'default' template");
    for (const [notice, spec] of Object.entries(parsed.templates)) {
      if (!(notice in NOTICE_PARAMETERS)) {
        const known = Object.keys(NOTICE_PARAMETERS).join(', ');
        throw dataError(path, `templates.${notice}`, `unknown notice (known: ${known})`);
      }
      const allowed: readonly string[] = NOTICE_PARAMETERS[notice as Notice];
      spec.parameters.forEach((p, i) => {
        if (!allowed.includes(p))
          throw dataError(
            path,
            `templates.${notice}.parameters[${i}]`,
            `"${p}" is not one of ${allowed.join(', ')}`,
          );
      });
      for (const lang of ['nl', 'en'] as const) {
        const found = placeholderCount(spec.body[lang]);
        if (found !== spec.parameters.length)
          throw dataError(
            path,
            `templates.${notice}.body.${lang}`,
            `has ${found} placeholders ({{1}}…) but ${spec.parameters.length} parameters`,
          );
      }
    }
    return new TemplateSet(parsed.languages, new Map(Object.entries(parsed.templates)));
  }

  /** The template message for a notice (its own template, or the default one) in the person's language. */
  build(notice: NoticeCause | null, lang: Language, context: TemplateContext): GraphTemplate {
    const known = notice && this.templates.has(notice.name) ? notice : null;
    const spec = this.templates.get(known?.name ?? 'default')!;
    const values = spec.parameters.map((p) =>
      templateParameter(valueOf(p as Parameter, known?.payload ?? {}, lang, context)),
    );
    return {
      name: spec.name,
      language: { code: spec.language?.[lang] ?? this.languages[lang] },
      ...(values.length
        ? { components: [{ type: 'body', parameters: values.map((text) => ({ type: 'text', text })) }] }
        : {}),
    };
  }
}

function placeholderCount(text: string): number {
  const numbers = new Set([...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1])));
  for (let n = 1; n <= numbers.size; n++) if (!numbers.has(n)) return -1;
  return numbers.size;
}

function valueOf(
  parameter: Parameter,
  payload: Record<string, unknown>,
  lang: Language,
  c: TemplateContext,
): string {
  const booking = record(payload.booking);
  const kase = record(payload.case);
  switch (parameter) {
    case 'municipality':
      return c.municipality;
    case 'reference':
      return text(booking.reference) ?? text(kase.reference) ?? '-';
    case 'date': {
      const at = number(booking.start) ?? number(payload.newDate) ?? number(kase.answerBy);
      return at === undefined ? '-' : formatDate(new Date(at), lang, c.timeZone, c.now);
    }
    case 'time': {
      const at = number(booking.start);
      return at === undefined ? '-' : formatTime(new Date(at), lang, c.timeZone);
    }
    case 'place':
      return text(booking.place) ?? '-';
    case 'title':
      return text(payload.title) ?? '-';
  }
}

/** WhatsApp refuses parameters with new lines, tabs or more than four spaces in a row; and keeps them short. */
export function templateParameter(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return (flat.length > 200 ? `${flat.slice(0, 199)}…` : flat) || '-';
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
