import { afterEach, describe, expect, it } from 'vitest';
import { validateAnswer, type AnswerInput } from '../../src/features/cases/answer-library.js';
import type { CaseViewer } from '../../src/features/cases/policy.js';
import { createCase, reassignCase } from '../../src/features/cases/case-service.js';
import { startTestApp, type TestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget } from '../support/services.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function appOn(kind: 'sqlite' | 'postgres'): Promise<TestApp> {
  const fresh = await freshTarget(kind);
  const t = await startTestApp({ databaseUrl: fresh.url });
  cleanups.push(fresh.cleanup, () => t.driver.close());
  return t;
}

const admin: CaseViewer = { id: 'acc-admin', name: 'Ada Admin', role: 'admin' };
const operator: CaseViewer = { id: 'acc-op', name: 'Olga Operator', role: 'operator' };

const input = (over: Partial<AnswerInput> = {}): AnswerInput => ({
  id: 'afval-grofvuil',
  topics: ['afval'],
  titleNl: 'Grofvuil ophalen',
  titleEn: 'Bulky waste pickup',
  textNl: 'Beste {name}, uw vraag {reference} beantwoorden wij vóór {date}.',
  textEn: 'Dear {name}, we answer your question {reference} by {date}.',
  ...over,
});

/** A waste (afval) case for the resident "Sanne", in Dutch; returns its reference. */
async function wasteCase(t: TestApp): Promise<string> {
  const m = t.app.municipality;
  const c = await t.app.uow.transaction(async (r) => {
    const made = await createCase(r, {
      residentKey: 'console:sanne',
      residentName: 'Sanne',
      channel: 'console',
      language: 'nl',
      districtId: m.districts[0]!.id,
      topic: 'afval',
      text: 'Mijn container is kapot.',
      idempotencyKey: 'lib-1',
      now: t.clock.now(),
      prefix: m.referencePrefix,
      norm: 5,
      holidays: m.cases.holidays,
      timeZone: m.timeZone,
    });
    const team = { type: 'department' as const, id: 'afval', name: 'Team Afval en Reiniging' };
    return reassignCase(r, made.id, team, 'system', t.clock.now());
  });
  return c.reference;
}

describe('validating a standard answer', () => {
  const topics = ['afval', 'evenementen'];
  it('accepts the known placeholders and refuses an unknown one, naming it', () => {
    expect(validateAnswer(input(), topics)).toEqual([]);
    expect(validateAnswer(input({ textEn: 'Dear {naam}, see {reference}' }), topics)).toEqual([
      { field: 'textEn', code: 'unknown_placeholder', placeholder: 'naam' },
    ]);
  });
  it('refuses a bad id, an unknown topic, empty and too long texts', () => {
    const errors = validateAnswer(
      input({ id: 'Grof Vuil', topics: ['onbekend'], titleNl: '  ', textNl: 'x'.repeat(4001) }),
      topics,
    );
    expect(errors.map((e) => `${e.field}:${e.code}`)).toEqual([
      'id:id_invalid',
      'topics:unknown_topic',
      'titleNl:empty',
      'textNl:too_long',
    ]);
  });
});

describe.each(databaseKinds)('the standard-answer library on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'an edit overrides the file answer, a delete hides it, an added answer joins; the case offers them',
    async () => {
      const t = await appOn(kind);
      const lib = t.app.commands.cases.library;
      const cases = t.app.commands.cases;
      const fileIds = t.app.municipality.cases.standardAnswers.map((a) => a.id);
      expect((await lib.list()).map((a) => a.id)).toEqual(fileIds);
      const ref = await wasteCase(t);
      const offered = async () => (await cases.standardAnswers(operator, ref)).map((s) => [s.id, s.title]);
      expect(await offered()).toContainEqual(['afval-container-kapot', 'Kapotte container wordt vervangen']);

      // Edit a file answer: it keeps its place and id, with the new text, filled in for the case.
      const edited = await lib.save(admin, 'edit', {
        ...input({ id: 'afval-container-kapot' }),
        titleNl: 'Nieuwe container',
        textNl: 'Beste {name}, voor vraag {reference} komt er een nieuwe container.',
      });
      expect(edited.ok).toBe(true);
      const afterEdit = await cases.standardAnswers(operator, ref);
      const one = afterEdit.find((s) => s.id === 'afval-container-kapot');
      expect(one?.title).toBe('Nieuwe container');
      expect(one?.text).toBe(`Beste Sanne, voor vraag ${ref} komt er een nieuwe container.`);
      expect((await lib.get('afval-container-kapot'))?.source).toBe('edited');

      // Add an answer for the topic.
      expect((await lib.save(admin, 'add', input())).ok).toBe(true);
      expect(await offered()).toContainEqual(['afval-grofvuil', 'Grofvuil ophalen']);
      // Adding an id that exists (file or added) is refused.
      expect(await lib.save(admin, 'add', input({ id: 'afval-ophaaldag' }))).toEqual({
        ok: false,
        errors: [{ field: 'id', code: 'id_taken' }],
      });

      // Delete a file answer: hidden from the case, cannot be sent any more, kept as deleted.
      expect(await lib.remove(admin, 'afval-ophaaldag')).toBe(true);
      expect((await offered()).map(([id]) => id)).not.toContain('afval-ophaaldag');
      await expect(
        cases.answer(operator, ref, { text: 'x', standardAnswerId: 'afval-ophaaldag' }),
      ).rejects.toMatchObject({ code: 'case.unknown_standard_answer' });
      expect((await lib.get('afval-ophaaldag'))?.deleted).toBe(true);
      expect(await lib.remove(admin, 'afval-ophaaldag')).toBe(false);
      expect(await lib.remove(admin, 'bestaat-niet')).toBe(false);
      // An edited answer can be sent, and the history notes which one it was.
      await cases.answer(operator, ref, { text: one!.text, standardAnswerId: 'afval-container-kapot' });

      // An unknown placeholder is refused and nothing changes.
      const bad = await lib.save(admin, 'edit', input({ id: 'afval-grofvuil', textNl: 'Beste {naam}' }));
      expect(bad).toEqual({
        ok: false,
        errors: [{ field: 'textNl', code: 'unknown_placeholder', placeholder: 'naam' }],
      });
      expect((await lib.get('afval-grofvuil'))?.text.nl).toBe(input().textNl);
      // Editing a deleted or unknown answer is refused.
      expect((await lib.save(admin, 'edit', input({ id: 'afval-ophaaldag' }))).ok).toBe(false);

      // Every change is audited: who, which answer, before and after.
      const audit = await t.app.uow.run((r) => r.audit.page({ limit: 50 }));
      const lines = audit
        .filter((l) => l.action.startsWith('standard-answer.'))
        .reverse()
        .map((l) => [l.actor, l.action, l.subject]);
      expect(lines).toEqual([
        ['staff:acc-admin', 'standard-answer.edit', 'standard-answer:afval-container-kapot'],
        ['staff:acc-admin', 'standard-answer.add', 'standard-answer:afval-grofvuil'],
        ['staff:acc-admin', 'standard-answer.delete', 'standard-answer:afval-ophaaldag'],
      ]);
      const edit = audit.find((l) => l.action === 'standard-answer.edit')!;
      expect(edit.detail).toMatchObject({
        before: { title: { nl: 'Kapotte container wordt vervangen' }, source: 'file' },
        after: { title: { nl: 'Nieuwe container' }, source: 'edited' },
      });
      const del = audit.find((l) => l.action === 'standard-answer.delete')!;
      expect(del.detail).toMatchObject({ before: { deleted: false }, after: { deleted: true } });
    },
    60_000,
  );
});
