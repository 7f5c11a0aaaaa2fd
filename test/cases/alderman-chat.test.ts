import { afterEach, describe, expect, it } from 'vitest';
import type { CaseViewer } from '../../src/features/cases/policy.js';
import { maskSensitive } from '../../src/features/cases/sensitive.js';
import { startOnFreshDatabase, type TestApp } from '../support/app-driver.js';
import type { SentMessage } from '../support/scenario.js';
import { databaseKinds } from '../support/services.js';
import { translator } from '../../src/i18n/translator.js';
import { shippedTexts } from '../support/texts.js';

const operator: CaseViewer = { id: 'op-1', name: 'Olga Operator', role: 'operator' };
const nl = translator(shippedTexts, 'nl');

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** The whole service; a1 is Fatma Yilmaz's own chat (Rijswijk-Buiten), linked with a code. */
const start = (kind: 'sqlite' | 'postgres'): Promise<TestApp> =>
  startOnFreshDatabase(kind, stops, { a1: 'fatma-yilmaz' });

/** r1 in Rijswijk-Buiten asks a question; returns its reference once the alderman has been told. */
async function ask(t: TestApp, text: string): Promise<string> {
  const all: SentMessage[] = [];
  for (const line of [
    'hallo',
    'vraag',
    text,
    'Klaar',
    '2288 GD',
    'Ja',
    'Groen en openbare ruimte',
    'Ja, versturen',
  ])
    all.push(...(await t.driver.send('r1', line)));
  const reference = all.map((m) => /RSW-\d{4}-\d{6}/.exec(m.text)?.[0]).find(Boolean);
  if (!reference) throw new Error(`no reference in:\n${all.map((m) => m.text).join('\n')}`);
  await t.app.settle();
  return reference;
}

const textsTo = (sent: SentMessage[], to: string) => sent.filter((m) => m.to === to).map((m) => m.text);
const answersTo = (t: TestApp, reference: string) =>
  textsTo(t.sent, 'r1').filter((text) => text.includes(`antwoord op uw vraag ${reference}`));

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`an alderman works on questions from their own chat (${kind})`, () => {
    it('answering a question a colleague answered meanwhile says so, and the resident gets one answer', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'De stoeptegels voor mijn huis liggen los.');
      await t.driver.send('a1', 'vragen');
      await t.driver.send('a1', ref);
      await t.driver.send('a1', 'Wij leggen de tegels deze week vast.');
      // Meanwhile an operator answers it from the dashboard.
      await t.app.commands.cases.answer(operator, ref, { text: 'De tegels worden morgen vastgezet.' });
      await t.app.settle();

      const refused = textsTo(await t.driver.send('a1', 'Ja, versturen'), 'a1');
      // Regression: this was "Dat lukte niet: Dat kan nu niet met deze vraag.", which says neither
      // what happened nor that the text did not go out.
      expect(refused[0]).toBe(nl('staff.cases.already_answered', { reference: ref }));
      expect(answersTo(t, ref)).toHaveLength(1);

      // It has left the alderman's list.
      expect(textsTo(await t.driver.send('a1', 'vragen'), 'a1')[0]).toBe(nl('staff.cases.none'));
    });

    // Regression: a question an operator gave to a department just left the alderman's list, without
    // a word to her (one given to her was announced).
    it('tells the alderman when a question of hers is given to another team, and only then', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'Het grasveld achter de school is een modderpoel.');
      await t.app.commands.cases.assign(operator, ref, { type: 'department', id: 'afval', name: 'ignored' });
      await t.app.settle();
      const told = (text: string) => textsTo(t.sent, 'a1').filter((m) => m === text);
      const notice = nl('staff.case.handed_over', { reference: ref, to: 'Team Afval en Reiniging' });
      expect(told(notice)).toHaveLength(1);
      expect(textsTo(await t.driver.send('a1', 'vragen'), 'a1')[0]).toBe(nl('staff.cases.none'));
      // Between departments she hears nothing more; back to her, it is announced as new.
      await t.app.commands.cases.assign(operator, ref, { type: 'department', id: 'kcc', name: 'ignored' });
      await t.app.commands.cases.assign(operator, ref, { type: 'alderman', id: 'fatma-yilmaz' });
      await t.app.settle();
      expect(textsTo(t.sent, 'a1').filter((m) => m.includes('overgedragen'))).toEqual([notice]);
      // On to a colleague alderman: told, with the colleague's name.
      await t.app.commands.cases.assign(operator, ref, { type: 'alderman', id: 'anna-de-vries' });
      await t.app.settle();
      expect(
        told(nl('staff.case.handed_over', { reference: ref, to: 'wethouder Anna de Vries' })),
      ).toHaveLength(1);
    });

    it('forwards a question of hers to a department from chat: it is theirs in the inbox and leaves her list', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'De afvalbak bij de bushalte is kapot.');
      const sent = textsTo(await t.driver.send('a1', `doorsturen ${ref} naar afval`), 'a1');
      expect(sent[0]).toBe(nl('staff.forward.done', { reference: ref, team: 'Team Afval en Reiniging' }));
      await t.app.settle();
      const detail = await t.app.commands.cases.detail(operator, ref);
      expect(detail.case.assignee).toEqual({
        type: 'department',
        id: 'afval',
        name: 'Team Afval en Reiniging',
      });
      expect(detail.events.map((e) => [e.type, e.actor])).toContainEqual([
        'reassigned',
        'alderman:fatma-yilmaz',
      ]);
      // She handed it on herself: no "overgedragen" notice on top of her own confirmation.
      expect(textsTo(t.sent, 'a1').filter((m) => m.includes('overgedragen'))).toEqual([]);
      expect(textsTo(await t.driver.send('a1', 'vragen'), 'a1')[0]).toBe(nl('staff.cases.none'));
      // Now it is not hers to forward again.
      const again = textsTo(await t.driver.send('a1', `doorsturen ${ref} naar kcc`), 'a1');
      expect(again[0]).toBe(nl('staff.cases.not_yours'));
    });

    it('a double-tapped answer goes out once; a second answer after it hears that it is answered', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'Wanneer wordt het gras gemaaid?');
      const line = `antwoord ${ref} Volgende week dinsdag.`;
      const first = textsTo(await t.driver.send('a1', line), 'a1');
      expect(first[0]).toBe(nl('staff.cases.sent', { reference: ref }));
      await t.driver.send('a1', line);
      const again = textsTo(await t.driver.send('a1', `antwoord ${ref} Of woensdag.`), 'a1');
      expect(again[0]).toBe(nl('staff.cases.already_answered', { reference: ref }));
      expect(answersTo(t, ref)).toHaveLength(1);
    });

    it('asks the resident for information from chat; the reply is added to the question and the alderman told', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'De stoeptegels voor mijn huis liggen los.');
      await t.driver.send('a1', 'vragen');
      await t.driver.send('a1', ref);
      await t.driver.send('a1', 'Welk huisnummer is het?');
      const sent = await t.driver.send('a1', 'Vraag om informatie');
      expect(textsTo(sent, 'a1')[0]).toBe(nl('staff.cases.info_sent', { reference: ref }));
      expect(textsTo(sent, 'r1')[0]).toBe(
        nl('case.info_request', { reference: ref, question: 'Welk huisnummer is het?' }),
      );
      const fatma: CaseViewer = { id: 'fy', name: 'Fatma Yilmaz', role: 'alderman:fatma-yilmaz' };
      expect((await t.app.commands.cases.detail(fatma, ref)).case.status).toBe('waiting');
      // Regression: a question waiting for the resident left the alderman's list ("U heeft geen
      // open vragen"), so what they had asked was nowhere in their chat.
      const listed = textsTo(await t.driver.send('a1', 'vragen'), 'a1')[0] ?? '';
      expect(listed).toContain(`${ref} · Rijswijk-Buiten · Groen en openbare ruimte · wacht op informatie`);
      await t.driver.send('a1', 'menu');

      const replied = await t.driver.send('r1', 'Nummer 12');
      await t.app.settle();
      expect(textsTo(t.sent, 'a1').join('\n')).toContain('“Nummer 12”');
      expect(textsTo(replied, 'r1')[0]).toContain(`vraag ${ref}`);
      const detail = await t.app.commands.cases.detail(fatma, ref);
      expect(detail.case.status).toBe('in_progress');
      expect(detail.events.map((e) => [e.type, e.actor])).toEqual([
        ['created', 'resident'],
        ['routed', 'system'],
        ['info_requested', 'alderman:fatma-yilmaz'],
        ['info_received', 'resident'],
      ]);
    });

    it('opening a question shows what was said on it since: the answer, questions for information, the resident’s words', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'De stoeptegels voor mijn huis liggen los.');
      for (const line of ['vragen', ref, 'Welk huisnummer is het?', 'Vraag om informatie'])
        await t.driver.send('a1', line);
      await t.driver.send('r1', 'Nummer 12, bel gerust 0612345678');
      await t.driver.send('a1', `antwoord ${ref} Wij leggen ze donderdag vast.`);
      for (const line of ['Nee, ik heb nog een vraag', 'Hoe laat komen ze donderdag?'])
        await t.driver.send('r1', line);
      await t.app.settle();

      await t.driver.send('a1', 'vragen');
      const shown = textsTo(await t.driver.send('a1', ref), 'a1').join('\n');
      // Regression: only the first question was shown, so the alderman answered without the
      // house number they had asked for, or the reaction they were answering.
      expect(shown).toContain(
        [
          nl('staff.cases.thread'),
          `• ${nl('staff.cases.thread.info_requested', { text: 'Welk huisnummer is het?' })}`,
          `• ${nl('staff.cases.thread.info_received', { text: maskSensitive('Nummer 12, bel gerust 0612345678') })}`,
          `• ${nl('staff.cases.thread.answered', { text: 'Wij leggen ze donderdag vast.' })}`,
          `• ${nl('staff.cases.thread.reopened', { text: 'Hoe laat komen ze donderdag?' })}`,
        ].join('\n'),
      );
      expect(shown).not.toContain('0612345678');
      expect(shown).toContain(nl('staff.cases.write'));
    });

    it('a question asked in English says so to the alderman; their English answer reaches the resident in English', async () => {
      const t = await start(kind);
      const asked: SentMessage[] = [];
      for (const line of [
        'hello',
        'English',
        'ask a question',
        'The pavement tiles in front of my house are loose.',
        'Done',
        '2288 GD',
        'Yes',
        'Parks and public space',
        'Yes, send it',
      ])
        asked.push(...(await t.driver.send('r1', line)));
      await t.app.settle();
      const ref = asked.map((m) => /RSW-\d{4}-\d{6}/.exec(m.text)?.[0]).find(Boolean) ?? '';
      // Regression: nothing told the alderman, whose chat is in Dutch, that this resident reads English.
      const notice = textsTo(t.sent, 'a1').find((text) => text.includes(`Nieuwe vraag ${ref}`));
      expect(notice).toContain(nl('staff.cases.resident_lang.en'));
      await t.driver.send('a1', 'vragen');
      expect(textsTo(await t.driver.send('a1', ref), 'a1')[0]).toContain(nl('staff.cases.resident_lang.en'));
      await t.driver.send('a1', 'We will fix the tiles on Thursday.');
      await t.driver.send('a1', 'Ja, versturen');
      const en = translator(shippedTexts, 'en');
      expect(textsTo(t.sent, 'r1')).toContain(
        en('answer.received', { reference: ref, answer: 'We will fix the tiles on Thursday.' }),
      );
    });

    it('a question closed in the dashboard is not answered from chat, and the alderman is told', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'Dit is dezelfde vraag als gisteren.');
      await t.app.commands.cases.close(
        operator,
        ref,
        'Dubbele vraag: u krijgt antwoord op uw eerdere vraag.',
      );
      await t.app.settle();
      const refused = textsTo(await t.driver.send('a1', `antwoord ${ref} Ik kijk ernaar.`), 'a1');
      expect(refused[0]).toBe(nl('staff.cases.already_closed', { reference: ref }));
      expect(answersTo(t, ref)).toHaveLength(0);
    });

    it('picking a question from the list that was answered meanwhile shows the answer the resident got', async () => {
      const t = await start(kind);
      const ref = await ask(t, 'Mag ik een container op straat zetten?');
      await t.driver.send('a1', 'vragen');
      // A colleague answers while the alderman's list is on their screen.
      await t.app.commands.cases.answer(operator, ref, { text: 'Ja, met een vergunning.' });
      await t.app.settle();
      const shown = textsTo(await t.driver.send('a1', ref.toLowerCase().replace(/-/g, ' ')), 'a1');
      expect(shown[0]).toBe(
        nl('staff.cases.answered_before', { reference: ref, answer: 'Ja, met een vergunning.' }),
      );
    });
  });
}
