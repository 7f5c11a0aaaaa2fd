import { afterEach, describe, expect, it } from 'vitest';
import type { CaseViewer } from '../../src/features/cases/policy.js';
import { startOnFreshDatabase, type TestApp } from '../support/app-driver.js';
import type { SentMessage } from '../support/scenario.js';
import { databaseKinds } from '../support/services.js';

const operator: CaseViewer = { id: 'op-1', name: 'Olga Operator', role: 'operator' };
const afvalMember: CaseViewer = { id: 'afval-1', name: 'Ahmed', role: 'department:afval' };
const wijkteamMember: CaseViewer = { id: 'wijk-1', name: 'Wendy', role: 'department:wijkteam' };
// Fatma Yilmaz is the alderman of Rijswijk-Buiten (2288 GD).
const fatma: CaseViewer = { id: 'fy', name: 'Fatma Yilmaz', role: 'alderman:fatma-yilmaz' };
const anna: CaseViewer = { id: 'adv', name: 'Anna de Vries', role: 'alderman:anna-de-vries' };

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** The whole service on a fresh database, Tuesday 1 December 2026, 10:00 in Rijswijk. */
const start = (kind: 'sqlite' | 'postgres'): Promise<TestApp> => startOnFreshDatabase(kind, stops);

/** A resident in Rijswijk-Buiten asks a question on `topic` (a label); returns its reference. */
async function ask(t: TestApp, from: string, text: string, topic: string): Promise<string> {
  const all: SentMessage[] = [];
  for (const line of ['hallo', 'vraag', text, 'Klaar', '2288 GD', 'Ja', topic, 'Ja, versturen'])
    all.push(...(await t.driver.send(from, line)));
  const reference = all.map((m) => /RSW-\d{4}-\d{6}/.exec(m.text)?.[0]).find(Boolean);
  if (!reference) throw new Error(`no reference in:\n${all.map((m) => m.text).join('\n')}`);
  await t.app.settle();
  return reference;
}

const textsTo = (sent: SentMessage[], to: string) => sent.filter((m) => m.to === to).map((m) => m.text);

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`staff act on cases from the dashboard (${kind})`, () => {
    it('an operator answers a department case from a standard answer; the resident gets it and can rate it', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'r1', 'Mijn groene container is kapot.', 'Afval');
      const cases = t.app.commands.cases;

      const inbox = await cases.inbox(operator, {
        filters: { assignee: { type: 'department', id: 'afval' } },
      });
      expect(inbox.cases.map((c) => c.reference)).toEqual([ref]);
      expect(inbox.cases[0]!.assignee).toEqual({
        type: 'department',
        id: 'afval',
        name: 'Team Afval en Reiniging',
      });

      const standard = await cases.standardAnswers(operator, ref);
      const broken = standard.find((a) => a.id === 'afval-container-kapot')!;
      expect(broken.text).toContain(`vraag ${ref}`);
      expect(broken.text).not.toMatch(/\{\w+\}/);

      const from = t.sent.length;
      await cases.answer(operator, ref, { text: broken.text, standardAnswerId: broken.id });
      await t.app.settle();
      const toResident = textsTo(t.sent.slice(from), 'r1');
      expect(toResident.join('\n')).toContain(`U heeft antwoord op uw vraag ${ref}`);
      expect(toResident.join('\n')).toContain('Wij vervangen de container binnen 10 werkdagen');

      // Rating keeps working after a dashboard answer.
      await t.driver.send('r1', 'Ja, dank u');
      const rated = await t.driver.send('r1', '5');
      expect(rated.map((m) => m.text).join('\n')).toMatch(/bedankt|dank/i);
      const detail = await cases.detail(operator, ref);
      expect(detail.case).toMatchObject({ status: 'closed', rating: 5 });
      expect(detail.events.map((e) => e.type)).toEqual(['created', 'routed', 'answered', 'closed', 'rated']);
      expect(detail.events[2]).toMatchObject({
        actor: 'staff:op-1',
        detail: { standardAnswerId: 'afval-container-kapot' },
      });
    });

    it('a department sees only its cases; another department or an outside case is not found', async () => {
      const t = await start(kind);
      const bin = await ask(t, 'r1', 'Container kapot', 'Afval');
      const care = await ask(t, 'r2', 'Ik heb hulp nodig bij het huishouden', 'Zorg en welzijn');
      const cases = t.app.commands.cases;

      expect((await cases.inbox(afvalMember, {})).cases.map((c) => c.reference)).toEqual([bin]);
      expect((await cases.inbox(wijkteamMember, {})).cases.map((c) => c.reference)).toEqual([care]);
      await expect(cases.detail(afvalMember, care)).rejects.toMatchObject({ code: 'case.not_found' });
      await expect(cases.note(afvalMember, care, 'even kijken')).rejects.toMatchObject({
        code: 'case.not_found',
      });
      await expect(cases.answer(wijkteamMember, bin, { text: 'Hoi' })).rejects.toMatchObject({
        code: 'case.not_found',
      });
      // The same "not found" as for a reference that does not exist.
      await expect(cases.detail(afvalMember, 'RSW-2026-999999')).rejects.toMatchObject({
        code: 'case.not_found',
      });

      // An alderman reads their district's department cases but cannot change them.
      const read = await cases.detail(fatma, bin);
      expect(read.may).toMatchObject({ view: true, answer: false, note: false, close: false });
      await expect(cases.answer(fatma, bin, { text: 'Ik regel het' })).rejects.toMatchObject({
        code: 'case.forbidden',
      });
      await expect(cases.detail(anna, bin)).rejects.toMatchObject({ code: 'case.not_found' });
    });

    it('notes stay internal; a request for information waits for the resident’s next message, which is added', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'r1', 'Kan de container eerder geleegd worden?', 'Afval');
      const cases = t.app.commands.cases;

      let from = t.sent.length;
      await cases.note(afvalMember, ref, 'Geheim: buurman klaagt al vaker <b>hard</b>');
      await cases.assign(afvalMember, ref, {
        type: 'person',
        id: afvalMember.id,
        name: afvalMember.name,
        role: afvalMember.role,
      });
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r1')).toEqual([]);
      expect((await cases.inbox(afvalMember, { filters: { assignee: { type: 'me' } } })).total).toBe(1);

      const before = (await cases.detail(afvalMember, ref)).case.answerBy;
      from = t.sent.length;
      await cases.requestInfo(afvalMember, ref, 'Welke container bedoelt u: groen of grijs?');
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r1').join('\n')).toContain('Welke container bedoelt u');
      expect((await cases.detail(afvalMember, ref)).case.status).toBe('waiting');

      // Two working days later the resident answers: added to the case, the date moves two working days.
      await t.driver.advance?.(2 * 86_400_000);
      const reply = await t.driver.send('r1', 'De grijze, voor restafval.');
      expect(reply.map((m) => m.text).join('\n')).toContain(`toegevoegd aan vraag ${ref}`);
      const after = await cases.detail(afvalMember, ref);
      expect(after.case.status).toBe('in_progress');
      expect(after.case.answerBy.getTime() - before.getTime()).toBe(2 * 86_400_000);
      const info = after.events.find((e) => e.type === 'info_received');
      expect(info?.detail).toMatchObject({ text: 'De grijze, voor restafval.', waitedWorkingDays: 2 });
      expect(after.events.map((e) => e.type)).toEqual([
        'created',
        'routed',
        'note',
        'assigned',
        'info_requested',
        'info_received',
      ]);
    });

    it('moving the answer-by date tells the resident the new date and why; closing needs no answer', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'r1', 'Wanneer wordt het park gemaaid?', 'Afval');
      const cases = t.app.commands.cases;
      await expect(
        cases.moveAnswerBy(afvalMember, ref, { date: '2026-12-05', reason: 'zaterdag' }),
      ).rejects.toMatchObject({ code: 'case.date_invalid' });
      const from = t.sent.length;
      const moved = await cases.moveAnswerBy(afvalMember, ref, {
        date: '2026-12-14',
        reason: 'We wachten op de aannemer.',
      });
      await t.app.settle();
      const told = textsTo(t.sent.slice(from), 'r1').join('\n');
      expect(told).toContain('maandag 14 december');
      expect(told).toContain('We wachten op de aannemer.');
      expect(moved.answerBy.toISOString()).toBe('2026-12-14T22:59:59.999Z');

      await cases.assign(operator, ref, { type: 'department', id: 'kcc', name: 'ignored' });
      expect((await cases.detail(operator, ref)).case.assignee).toEqual({
        type: 'department',
        id: 'kcc',
        name: 'Klantcontactcentrum',
      });
      await expect(cases.detail(afvalMember, ref)).rejects.toMatchObject({ code: 'case.not_found' });
      await expect(
        cases.assign(operator, ref, { type: 'department', id: 'nope', name: 'x' }),
      ).rejects.toMatchObject({ code: 'case.unknown_target' });
      // A person who could not see the case cannot get it.
      await expect(
        cases.assign(operator, ref, {
          type: 'person',
          id: 'afval-1',
          name: 'Ahmed',
          role: 'department:afval',
        }),
      ).rejects.toMatchObject({ code: 'case.forbidden' });
      const closed = await cases.close(operator, ref, 'Dubbele vraag');
      expect(closed.status).toBe('closed');
    });

    // Regression: moving the answer-by date earlier told the resident "wij hebben meer tijd nodig".
    it('moving the answer-by date earlier tells the resident the answer comes sooner; later, that it takes longer', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'r1', 'Wanneer wordt het park gemaaid?', 'Afval'); // answer by Tuesday 8 December
      const cases = t.app.commands.cases;
      let from = t.sent.length;
      await cases.moveAnswerBy(afvalMember, ref, { date: '2026-12-03', reason: 'Het is al bekend.' });
      await t.app.settle();
      let told = textsTo(t.sent.slice(from), 'r1').join('\n');
      expect(told).toBe(
        `Over uw vraag ${ref}: u krijgt eerder antwoord. U krijgt uiterlijk donderdag 3 december antwoord. De reden: Het is al bekend.`,
      );
      from = t.sent.length;
      await cases.moveAnswerBy(afvalMember, ref, { date: '2026-12-07', reason: 'De aannemer belt later.' });
      await t.app.settle();
      told = textsTo(t.sent.slice(from), 'r1').join('\n');
      expect(told).toContain(
        'wij hebben meer tijd nodig. U krijgt nu uiterlijk maandag 7 december antwoord.',
      );
    });

    // Regression: closing a question that had no answer told the resident nothing, and needed no
    // reason: their question just ended. Now a reason is needed, and the resident hears it.
    it('closing an unanswered question needs a reason and tells the resident; after the answer it is silent', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'r1', 'Mag ik een dakkapel bouwen?', 'Afval');
      const cases = t.app.commands.cases;
      for (const empty of [undefined, '', '   '])
        await expect(cases.close(afvalMember, ref, empty)).rejects.toMatchObject({ code: 'case.text_empty' });
      let from = t.sent.length;
      const closed = await cases.close(afvalMember, ref, 'Dit gaat over een vergunning. Bel 14 070.');
      await t.app.settle();
      expect(closed.status).toBe('closed');
      const told = textsTo(t.sent.slice(from), 'r1').join('\n');
      expect(told).toContain(ref);
      expect(told).toContain('afgesloten');
      expect(told).toContain('Dit gaat over een vergunning. Bel 14 070.');

      const answered = await ask(t, 'r2', 'Wanneer komt de kerstboom?', 'Afval');
      await cases.answer(afvalMember, answered, { text: 'Op 12 december.' });
      await t.app.settle();
      from = t.sent.length;
      expect((await cases.close(afvalMember, answered)).status).toBe('closed');
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r2')).toEqual([]);
    });

    it('a resident busy elsewhere is asked to send "aanvullen", and can add the information then', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'r1', 'Mag ik een container extra?', 'Afval');
      const cases = t.app.commands.cases;
      await t.driver.send('r1', 'vraag');
      const from = t.sent.length;
      await cases.requestInfo(operator, ref, 'Voor welk adres?');
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r1').join('\n')).toContain("Stuur dan 'aanvullen'");
      await t.driver.send('r1', 'menu');
      const write = await t.driver.send('r1', 'aanvullen');
      expect(write.map((m) => m.text).join('\n')).toContain(`voor vraag ${ref}`);
      const added = await t.driver.send('r1', 'Dorpsstraat 1');
      expect(added.map((m) => m.text).join('\n')).toContain(`toegevoegd aan vraag ${ref}`);
      expect((await t.driver.send('r1', 'aanvullen')).map((m) => m.text).join('\n')).toContain(
        'niet op informatie',
      );
    });

    it('a department case gets a reminder in its history a working day before, and escalates after', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'r1', 'Wanneer komt de grofvuil?', 'Afval');
      const cases = t.app.commands.cases;
      const { answerBy } = (await cases.detail(afvalMember, ref)).case;
      // Asked Tuesday 1 December: answer by Tuesday 8 December; reminded Monday 7 December at 09:00.
      expect(answerBy.toISOString()).toBe('2026-12-08T22:59:59.999Z');
      await t.driver.advance?.(Date.parse('2026-12-07T08:30:00Z') - t.clock.now().getTime());
      expect((await cases.inbox(afvalMember, { filters: { due: 'soon' } })).total).toBe(1);
      await t.app.sweep();
      const reminded = await cases.detail(afvalMember, ref);
      expect(reminded.events.map((e) => e.type)).toEqual(['created', 'routed', 'reminded']);
      const from = t.sent.length;
      await t.driver.advance?.(2 * 86_400_000);
      await t.app.sweep();
      await t.app.settle();
      const late = await cases.detail(afvalMember, ref);
      expect(late.events.map((e) => e.type)).toEqual([
        'created',
        'routed',
        'reminded',
        'delay_told',
        'escalated',
      ]);
      expect(late.workingDaysLeft).toBe(-1);
      expect((await cases.inbox(afvalMember, { filters: { due: 'overdue' } })).total).toBe(1);
      // Regression: the delay notice promised the resident a new date that was kept nowhere; their
      // status still said the day that had passed, and the case page did not show the promise.
      expect(textsTo(t.sent.slice(from), 'r1').join('\n')).toContain('uiterlijk vrijdag 11 december');
      expect(late.case.promisedBy?.toISOString()).toBe('2026-12-11T22:59:59.999Z');
      expect(late.case.answerBy.toISOString()).toBe('2026-12-08T22:59:59.999Z');
      const status = (await t.driver.send('r1', 'mijn vragen')).map((m) => m.text).join('\n');
      expect(status).toContain('vrijdag 11 december');
      expect(status).not.toContain('8 december');
      // A new answer-by date from staff replaces the promise.
      await cases.moveAnswerBy(afvalMember, ref, {
        date: '2026-12-14',
        reason: 'Wij wachten op de vervoerder.',
      });
      expect((await cases.detail(afvalMember, ref)).case.promisedBy).toBeNull();
    });
  });
}
