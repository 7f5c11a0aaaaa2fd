import type { Municipality } from '../../municipality/municipality.js';
import {
  STANDARD_ANSWER_PLACEHOLDERS,
  unknownPlaceholder,
  type StandardAnswer,
} from '../../municipality/standard-answers.js';
import type { FeatureDeps } from '../../ports/feature.js';
import type { StoredStandardAnswer } from '../../ports/standard-answer-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import type { CaseViewer } from './policy.js';

/** Where an answer in the library comes from: the data file, the file's answer edited, or added. */
export type AnswerSource = 'file' | 'edited' | 'added';

/** One standard answer as the library has it: the data file's, overridden or hidden by the database. */
export interface LibraryAnswer extends StandardAnswer {
  source: AnswerSource;
  deleted: boolean;
}

/**
 * The data file's answers with the dashboard's edits on top: a stored row with the same id
 * replaces the file's answer (or hides it when deleted); other stored rows are added after them.
 */
export function mergeStandardAnswers(
  file: readonly StandardAnswer[],
  stored: readonly StoredStandardAnswer[],
): LibraryAnswer[] {
  const byId = new Map(stored.map((s) => [s.id, s]));
  const fromStore = (s: StoredStandardAnswer, source: AnswerSource): LibraryAnswer => ({
    id: s.id,
    ...(s.topics ? { topics: s.topics } : {}),
    title: s.title,
    text: s.text,
    source,
    deleted: s.deleted,
  });
  const merged = file.map((a): LibraryAnswer => {
    const s = byId.get(a.id);
    return s ? fromStore(s, 'edited') : { ...a, source: 'file', deleted: false };
  });
  const fileIds = new Set(file.map((a) => a.id));
  return [...merged, ...stored.filter((s) => !fileIds.has(s.id)).map((s) => fromStore(s, 'added'))];
}

/** The answers staff can choose from (deleted ones left out). */
export function activeAnswers(library: readonly LibraryAnswer[]): StandardAnswer[] {
  return library
    .filter((a) => !a.deleted)
    .map((a) => ({ id: a.id, ...(a.topics ? { topics: a.topics } : {}), title: a.title, text: a.text }));
}

/** What an admin typed in the form (strings as posted). */
export interface AnswerInput {
  id: string;
  /** Topic ids; empty = every topic. */
  topics: string[];
  titleNl: string;
  titleEn: string;
  textNl: string;
  textEn: string;
}

export type AnswerField = 'id' | 'topics' | 'titleNl' | 'titleEn' | 'textNl' | 'textEn';

/** Why a field is refused; `placeholder` names the unknown one. */
export interface AnswerError {
  field: AnswerField;
  code: 'id_invalid' | 'id_taken' | 'empty' | 'too_long' | 'unknown_topic' | 'unknown_placeholder';
  placeholder?: string;
}

export const TITLE_MAX = 200;
export const TEXT_MAX = 4000;

/**
 * Checks an answer the way standard-answers.json is checked at start: an id of lower-case letters,
 * digits and -, known topics, non-empty texts of bounded length, and only the placeholders the
 * dashboard fills (`{name}`, `{reference}`, `{date}`, `{asked}`, `{today}`).
 */
export function validateAnswer(input: AnswerInput, topicIds: readonly string[]): AnswerError[] {
  const errors: AnswerError[] = [];
  if (!/^[a-z0-9][a-z0-9-]*$/.test(input.id) || input.id.length > 100)
    errors.push({ field: 'id', code: 'id_invalid' });
  if (input.topics.some((t) => !topicIds.includes(t)))
    errors.push({ field: 'topics', code: 'unknown_topic' });
  const texts: [AnswerField, string, number][] = [
    ['titleNl', input.titleNl, TITLE_MAX],
    ['titleEn', input.titleEn, TITLE_MAX],
    ['textNl', input.textNl, TEXT_MAX],
    ['textEn', input.textEn, TEXT_MAX],
  ];
  for (const [field, value, max] of texts) {
    if (value.trim() === '') errors.push({ field, code: 'empty' });
    else if (value.length > max) errors.push({ field, code: 'too_long' });
    else if (field === 'textNl' || field === 'textEn') {
      const name = unknownPlaceholder(value);
      if (name !== null) errors.push({ field, code: 'unknown_placeholder', placeholder: name });
    }
  }
  return errors;
}

export const PLACEHOLDERS = STANDARD_ANSWER_PLACEHOLDERS;

type Repos = Pick<Repositories, 'standardAnswers' | 'audit'>;

/** The library as it is now: the data file's answers with the database's edits on top. */
export async function libraryOf(m: Municipality, repos: Pick<Repositories, 'standardAnswers'>) {
  return mergeStandardAnswers(m.cases.standardAnswers, await repos.standardAnswers.all());
}

function snapshot(a: LibraryAnswer | undefined) {
  return a
    ? { topics: a.topics ?? null, title: a.title, text: a.text, deleted: a.deleted, source: a.source }
    : null;
}

export type SaveResult = { ok: true; answer: LibraryAnswer } | { ok: false; errors: AnswerError[] };

/**
 * Admins' commands on the standard answers. Every change is stored in the database (the data file
 * stays as it is) and appended to the audit log with who, which answer, and before and after.
 */
export function answerLibraryCommands(deps: FeatureDeps) {
  const m = deps.municipality;
  const topicIds = m.cases.topics.map((t) => t.id);

  async function change(
    r: Repos,
    viewer: CaseViewer,
    action: 'add' | 'edit' | 'delete',
    before: LibraryAnswer | undefined,
    row: StoredStandardAnswer,
  ): Promise<LibraryAnswer> {
    await r.standardAnswers.save(row);
    const after = mergeStandardAnswers(m.cases.standardAnswers, [row]).find((a) => a.id === row.id);
    await r.audit.append(
      {
        actor: row.updatedBy,
        action: `standard-answer.${action}`,
        subject: `standard-answer:${row.id}`,
        detail: { by: viewer.name, before: snapshot(before), after: snapshot(after) },
      },
      row.updatedAt,
    );
    return after!;
  }

  return {
    /** Every answer, deleted ones included (marked), file order first, then added ones. */
    list: () => deps.uow.run((r) => libraryOf(m, r)),

    /** One answer (also a deleted one), or null. */
    get: async (id: string) => (await deps.uow.run((r) => libraryOf(m, r))).find((a) => a.id === id) ?? null,

    /**
     * Adds (`mode: 'add'`; the id must be new, also among deleted ones) or edits an answer. An edit of
     * a file answer overrides it; the form's errors come back instead of a change.
     */
    save: (viewer: CaseViewer, mode: 'add' | 'edit', input: AnswerInput): Promise<SaveResult> =>
      deps.uow.transaction(async (r) => {
        const errors = validateAnswer(input, topicIds);
        const library = await libraryOf(m, r);
        const before = library.find((a) => a.id === input.id);
        if (mode === 'add' && before && !errors.some((e) => e.field === 'id'))
          errors.push({ field: 'id', code: 'id_taken' });
        if (mode === 'edit' && (!before || before.deleted)) errors.push({ field: 'id', code: 'id_invalid' });
        if (errors.length) return { ok: false as const, errors };
        const answer = await change(r, viewer, mode, before, {
          id: input.id,
          topics: input.topics.length ? input.topics : null,
          title: { nl: input.titleNl.trim(), en: input.titleEn.trim() },
          text: { nl: input.textNl.trim(), en: input.textEn.trim() },
          deleted: false,
          updatedAt: deps.clock.now(),
          updatedBy: `staff:${viewer.id}`,
        });
        return { ok: true as const, answer };
      }),

    /** Deletes an answer: it is no longer offered; a file answer stays hidden. False when unknown. */
    remove: (viewer: CaseViewer, id: string): Promise<boolean> =>
      deps.uow.transaction(async (r) => {
        const before = (await libraryOf(m, r)).find((a) => a.id === id);
        if (!before || before.deleted) return false;
        await change(r, viewer, 'delete', before, {
          id,
          topics: before.topics ?? null,
          title: before.title,
          text: before.text,
          deleted: true,
          updatedAt: deps.clock.now(),
          updatedBy: `staff:${viewer.id}`,
        });
        return true;
      }),
  };
}
