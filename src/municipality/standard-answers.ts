import { existsSync } from 'node:fs';
import { z } from '../shared/zod.js';
import { dataError, parseDataFile, readJsonFile } from '../shared/data-file.js';

/** The placeholders a standard answer may use; anything else in braces stops start-up. */
export const STANDARD_ANSWER_PLACEHOLDERS = ['name', 'reference', 'date', 'asked', 'today'] as const;
export type StandardAnswerPlaceholder = (typeof STANDARD_ANSWER_PLACEHOLDERS)[number];

/** An answer's id in a data file: lower-case letters, digits and -. */
export const answerId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected an id of lower-case letters, digits and -');
/** An answer's text in one language: not empty. */
export const answerText = z.string().trim().min(1, 'expected a non-empty text');
const id = answerId;
const text = answerText;
const localized = z.object({ nl: text, en: text }).strict();

export const standardAnswersSchema = z
  .object({
    $comment: z.string().optional(),
    answers: z.array(
      z
        .object({
          id,
          /** Topic ids it fits; absent means every topic. */
          topics: z.array(id).min(1).optional(),
          title: localized,
          text: z.object({ nl: text.max(4000), en: text.max(4000) }).strict(),
        })
        .strict(),
    ),
  })
  .strict();

export type StandardAnswer = z.output<typeof standardAnswersSchema>['answers'][number];

/**
 * Validates standard-answers.json (already parsed JSON): unique ids, known topics, and only the
 * placeholders the dashboard fills, so a typo never reaches a resident as `{naam}`.
 */
export function parseStandardAnswers(
  value: unknown,
  file = 'standard-answers.json',
  topicIds?: readonly string[],
): StandardAnswer[] {
  const { answers } = parseDataFile(standardAnswersSchema, value, file);
  const seen = new Set<string>();
  answers.forEach((answer, i) => {
    if (seen.has(answer.id)) throw dataError(file, ['answers', i, 'id'], `"${answer.id}" is used twice`);
    seen.add(answer.id);
    answer.topics?.forEach((topic, j) => {
      if (topicIds && !topicIds.includes(topic))
        throw dataError(file, ['answers', i, 'topics', j], `unknown topic "${topic}"`);
    });
    for (const lang of ['nl', 'en'] as const) {
      const name = unknownPlaceholder(answer.text[lang]);
      if (name !== null) {
        const allowed = STANDARD_ANSWER_PLACEHOLDERS.map((p) => `{${p}}`).join(', ');
        throw dataError(file, ['answers', i, 'text', lang], `unknown placeholder {${name}} (use ${allowed})`);
      }
    }
  });
  return answers;
}

/** The first placeholder in `text` the dashboard cannot fill (`naam` in `{naam}`), or null. */
export function unknownPlaceholder(
  text: string,
  allowed: readonly string[] = STANDARD_ANSWER_PLACEHOLDERS,
): string | null {
  for (const [, name] of text.matchAll(/\{([^{}]*)\}/g)) if (!allowed.includes(name ?? '')) return name ?? '';
  return null;
}

/** Reads the standard answers when the municipality has the file; none otherwise. */
export function loadStandardAnswers(file: string, topicIds: readonly string[]): StandardAnswer[] {
  if (!existsSync(file)) return [];
  return parseStandardAnswers(readJsonFile(file), file, topicIds);
}

/** The answers that fit a topic. */
export function standardAnswersFor(answers: readonly StandardAnswer[], topic: string): StandardAnswer[] {
  return answers.filter((a) => !a.topics || a.topics.includes(topic));
}

/** Fills a standard answer's placeholders (every one is known: the file was checked at start). */
export function fillStandardAnswer<P extends string = StandardAnswerPlaceholder>(
  template: string,
  values: Record<P, string>,
): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) =>
    name in values ? values[name as P] : whole,
  );
}
