import { existsSync } from 'node:fs';
import { z } from '../shared/zod.js';
import { dataError, parseDataFile, readJsonFile } from '../shared/data-file.js';
import {
  answerId as id,
  answerText as text,
  fillStandardAnswer,
  unknownPlaceholder,
} from './standard-answers.js';

/**
 * The placeholders a webcare answer may use: only what a takeover knows. A case's answers use
 * {reference} and dates; a resident who asked for a person has none of those yet.
 */
export const WEBCARE_ANSWER_PLACEHOLDERS = ['operator', 'municipality'] as const;
export type WebcareAnswerPlaceholder = (typeof WEBCARE_ANSWER_PLACEHOLDERS)[number];

export const webcareAnswersSchema = z
  .object({
    $comment: z.string().optional(),
    answers: z.array(
      z
        .object({
          id,
          title: z.object({ nl: text.max(80), en: text.max(80) }).strict(),
          // As long as an operator's reply may be (MAX_REPLY in the webcare feature).
          text: z.object({ nl: text.max(2000), en: text.max(2000) }).strict(),
        })
        .strict(),
    ),
  })
  .strict();

export type WebcareAnswer = z.output<typeof webcareAnswersSchema>['answers'][number];

/** Validates webcare-answers.json (already parsed JSON): unique ids and only the placeholders a takeover fills. */
export function parseWebcareAnswers(value: unknown, file = 'webcare-answers.json'): WebcareAnswer[] {
  const { answers } = parseDataFile(webcareAnswersSchema, value, file);
  const seen = new Set<string>();
  answers.forEach((answer, i) => {
    if (seen.has(answer.id)) throw dataError(file, ['answers', i, 'id'], `"${answer.id}" is used twice`);
    seen.add(answer.id);
    for (const lang of ['nl', 'en'] as const) {
      const name = unknownPlaceholder(answer.text[lang], WEBCARE_ANSWER_PLACEHOLDERS);
      if (name === null) continue;
      const allowed = WEBCARE_ANSWER_PLACEHOLDERS.map((p) => `{${p}}`).join(', ');
      throw dataError(file, ['answers', i, 'text', lang], `unknown placeholder {${name}} (use ${allowed})`);
    }
  });
  return answers;
}

/** Reads the webcare answers when the municipality has the file; none otherwise. */
export function loadWebcareAnswers(file: string): WebcareAnswer[] {
  if (!existsSync(file)) return [];
  return parseWebcareAnswers(readJsonFile(file), file);
}

/** Fills a webcare answer's placeholders (every one is known: the file was checked at start). */
export function fillWebcareAnswer(
  template: string,
  values: Record<WebcareAnswerPlaceholder, string>,
): string {
  return fillStandardAnswer<WebcareAnswerPlaceholder>(template, values);
}
