import { afterEach, describe, expect, it } from 'vitest';
import type { CaseViewer } from '../../src/features/cases/policy.js';
import { startOnFreshDatabase, type TestApp } from '../support/app-driver.js';
import type { SentMessage } from '../support/scenario.js';
import { databaseKinds } from '../support/services.js';
import { scanTables } from '../privacy/scan.js';

const operator: CaseViewer = { id: 'op-1', name: 'Olga Operator', role: 'operator' };
// Fatma Yilmaz is the alderman of Rijswijk-Buiten (2288 GD); the routing data sends proposals there.
const fatma: CaseViewer = { id: 'fy', name: 'Fatma Yilmaz', role: 'alderman:fatma-yilmaz' };

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** The whole service on a fresh database, Tuesday 1 December 2026, 10:00 in Rijswijk. */
const start = (kind: 'sqlite' | 'postgres'): Promise<TestApp> => startOnFreshDatabase(kind, stops);

const PLAN = {
  what: 'Een moestuin voor de buurt op het grasveld.',
  where: 'Grasveld Fluitekruidpad77',
  who: 'Ik en vijf buren',
  help: 'Een vergunning en wat geld voor aarde',
};

/** A resident of Rijswijk-Buiten makes a proposal in the chat; returns its reference and what they read. */
async function propose(t: TestApp, from: string): Promise<{ reference: string; said: string[] }> {
  const all: SentMessage[] = [];
  for (const line of [
    'hallo',
    'Ik heb een idee',
    PLAN.what,
    PLAN.where,
    PLAN.who,
    PLAN.help,
    '2288 GD',
    'Ja',
  ])
    all.push(...(await t.driver.send(from, line)));
  all.push(...(await t.driver.send(from, 'Ja, versturen')));
  const reference = all.map((m) => /RSW-\d{4}-\d{6}/.exec(m.text)?.[0]).find(Boolean);
  if (!reference) throw new Error(`no reference in:\n${all.map((m) => m.text).join('\n')}`);
  await t.app.settle();
  return { reference, said: all.map((m) => m.text) };
}

const textsTo = (sent: SentMessage[], to: string) => sent.filter((m) => m.to === to).map((m) => m.text);

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`residents' proposals as cases (${kind})`, () => {
    it('a proposal from the chat is a case of its own kind, with its own norm, routed by kind, filtered in the inbox', async () => {
      const t = await start(kind);
      const { reference, said } = await propose(t, 'r1');
      // 10 working days from Tuesday 1 December: Tuesday 15 December (the question norm is 5).
      expect(said.join('\n')).toContain(`Uw nummer is ${reference}. U krijgt uiterlijk dinsdag 15 december`);

      const cases = t.app.commands.cases;
      const detail = await cases.detail(operator, reference);
      expect(detail.case).toMatchObject({
        kind: 'proposal',
        text: PLAN.what,
        proposal: { where: PLAN.where, who: PLAN.who, help: PLAN.help },
        stage: 'received',
        status: 'routed',
        districtId: 'rijswijk-buiten',
        assignee: { type: 'alderman', id: 'fatma-yilmaz' },
      });
      expect(detail.case.answerBy.toISOString()).toBe('2026-12-15T22:59:59.999Z');
      expect(detail.events[1]).toMatchObject({
        type: 'routed',
        detail: { ruleId: 'voorstellen-naar-wijkwethouder' },
      });
      expect(detail.may).toMatchObject({ stage: true, answer: false });

      const proposals = await cases.inbox(operator, { filters: { kind: 'proposal' } });
      expect(proposals.cases.map((c) => c.reference)).toEqual([reference]);
      expect(proposals.counts.kind).toEqual({ proposal: 1 });
      expect((await cases.inbox(operator, { filters: { kind: 'question' } })).total).toBe(0);
    });

    it('staff set the stages; each is audited, kept in the history and told to the resident; "not possible" needs a reason', async () => {
      const t = await start(kind);
      const { reference } = await propose(t, 'r1');
      const cases = t.app.commands.cases;

      let from = t.sent.length;
      await cases.setStage(fatma, reference, { stage: 'reviewing' });
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r1')).toEqual([
        `Over uw voorstel ${reference}: wij bekijken uw voorstel nu. U hoort van ons wat de volgende stap is.`,
      ]);
      expect((await cases.detail(fatma, reference)).case).toMatchObject({
        stage: 'reviewing',
        status: 'in_progress',
      });

      from = t.sent.length;
      await cases.setStage(fatma, reference, { stage: 'invited', reason: 'Wij bellen u deze week.' });
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r1').join('\n')).toContain(
        'Bericht van de gemeente: Wij bellen u deze week.',
      );

      await expect(
        cases.setStage(fatma, reference, { stage: 'not_possible', reason: '  ' }),
      ).rejects.toMatchObject({
        code: 'case.reason_required',
      });
      const reason = 'Het grasveld is nodig om regenwater op te vangen.';
      from = t.sent.length;
      await cases.setStage(fatma, reference, { stage: 'not_possible', reason });
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r1')).toEqual([
        `Over uw voorstel ${reference}: het spijt ons, uw voorstel kan niet. De reden: ${reason}`,
      ]);

      const detail = await cases.detail(operator, reference);
      expect(detail.case).toMatchObject({ stage: 'not_possible', status: 'answered', answer: reason });
      expect(detail.events.filter((e) => e.type === 'stage_changed').map((e) => e.detail)).toEqual([
        { stage: 'reviewing', from: 'received' },
        { stage: 'invited', from: 'reviewing', reason: 'Wij bellen u deze week.' },
        { stage: 'not_possible', from: 'invited', reason },
      ]);
      const audit = await t.app.commands.audit.page({ limit: 20, subject: `case:${reference}` });
      expect(audit.filter((l) => l.action === 'case.stage').map((l) => l.detail)).toEqual([
        { status: 'answered', stage: 'not_possible', assignee: { type: 'alderman', id: 'fatma-yilmaz' } },
        { status: 'in_progress', stage: 'invited', assignee: { type: 'alderman', id: 'fatma-yilmaz' } },
        { status: 'in_progress', stage: 'reviewing', assignee: { type: 'alderman', id: 'fatma-yilmaz' } },
      ]);

      // The resident reads the stage and the reason with "status <ref>".
      const status = await t.driver.send('r1', `status ${reference}`);
      expect(status.map((m) => m.text).join('\n')).toContain('Status: Uw voorstel kan helaas niet.');
      expect(status.map((m) => m.text).join('\n')).toContain(`Reactie: ${reason}`);
      // A decision can be revised: the answered proposal may still become "supported".
      await expect(cases.setStage(operator, reference, { stage: 'supported' })).resolves.toMatchObject({
        stage: 'supported',
      });
    });

    it('the alderman sets the stage from their own linked chat: audited and told to the resident; a resident typing stand only shows the status', async () => {
      const t = await start(kind);
      const code = await t.driver.staffCode!('fatma-yilmaz');
      await t.driver.send('a1', `koppel ${code}`);
      const { reference } = await propose(t, 'r1');
      const assigned = t.sent
        .filter((m) => m.to === 'a1')
        .map((m) => m.text)
        .join('\n');
      expect(assigned).toContain(reference);

      const from = t.sent.length;
      const reply = await t.driver.send('a1', `stand ${reference} gesteund. Wij bellen u volgende week.`);
      expect(reply.map((m) => m.text).join('\n')).toContain(
        `Voorstel ${reference} staat nu op: Wij steunen uw voorstel.`,
      );
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r1')).toEqual([
        `Goed nieuws over uw voorstel ${reference}: wij steunen uw plan! Wij nemen contact met u op over de volgende stappen.`,
        'Bericht van de gemeente: Wij bellen u volgende week.',
      ]);
      const detail = await t.app.commands.cases.detail(operator, reference);
      expect(detail.case).toMatchObject({ stage: 'supported', status: 'answered' });
      expect(detail.events.at(-1)).toMatchObject({
        type: 'stage_changed',
        actor: 'alderman:fatma-yilmaz',
        detail: { stage: 'supported', from: 'received', reason: 'Wij bellen u volgende week.' },
      });
      const audit = await t.app.commands.audit.page({ limit: 5, subject: `case:${reference}` });
      expect(audit.find((l) => l.action === 'case.stage')).toMatchObject({
        actor: 'alderman:fatma-yilmaz',
        detail: { status: 'answered', stage: 'supported', via: 'console' },
      });

      // A resident cannot set a stage: "stand <their reference>" shows its status.
      const resident = await t.driver.send('r1', `stand ${reference} kan niet: zomaar`);
      expect(resident.map((m) => m.text).join('\n')).toContain('Status: Wij steunen uw voorstel.');
      expect((await t.app.commands.cases.detail(operator, reference)).case.stage).toBe('supported');
    });

    // Regressions: the alderman's "vragen" list showed the raw topic id ("voorstel"), and
    // "antwoord <reference> <text>" answered a proposal past its stages.
    it('in the alderman\'s chat a proposal shows as one; "antwoord" on it is refused kindly and points to "stand"', async () => {
      const t = await start(kind);
      const code = await t.driver.staffCode!('fatma-yilmaz');
      await t.driver.send('a1', `koppel ${code}`);
      const { reference } = await propose(t, 'r1');

      const list = (await t.driver.send('a1', 'vragen')).map((m) => m.text).join('\n');
      const line = list.split('\n').find((l) => l.includes(reference)) ?? '';
      expect(line).toContain('voorstel van een inwoner');
      expect(line).not.toMatch(/· voorstel ·/);
      // Picking it shows the plan and how to set its stage, not an answer box.
      const picked = (await t.driver.send('a1', '1')).map((m) => m.text).join('\n');
      expect(picked).toContain(`Voorstel ${reference}`);
      expect(picked).toContain('Stand: Ontvangen');
      expect(picked).toContain(`stand ${reference} gevolgd door bekeken, gesprek, gesteund of kan niet`);

      const from = t.sent.length;
      const refused = await t.driver.send('a1', `antwoord ${reference} Wij doen het!`);
      const said = refused.map((m) => m.text).join('\n');
      expect(said).toContain(`${reference} is een voorstel, geen vraag`);
      expect(said).toContain(`stand ${reference} gevolgd door`);
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r1')).toEqual([]);
      const detail = await t.app.commands.cases.detail(operator, reference);
      expect(detail.case).toMatchObject({ stage: 'received', answer: null });
      expect(detail.case.status).not.toBe('answered');
    });

    // Regression: the dashboard hid the answer form of a proposal, but its command answered one.
    it('the dashboard command refuses to answer a proposal; its stages stay the only way', async () => {
      const t = await start(kind);
      const { reference } = await propose(t, 'r1');
      const from = t.sent.length;
      await expect(
        t.app.commands.cases.answer(fatma, reference, { text: 'Wij doen het!' }),
      ).rejects.toMatchObject({ code: 'case.is_proposal' });
      await t.app.settle();
      expect(textsTo(t.sent.slice(from), 'r1')).toEqual([]);
      expect((await t.app.commands.cases.detail(operator, reference)).case).toMatchObject({
        stage: 'received',
        answer: null,
      });
    });

    it("the proposal's where, who and help are in the resident's export and gone after erasure", async () => {
      const t = await start(kind);
      await propose(t, 'r1');
      const address = { channel: 'console', userId: 'r1' };
      const before = await scanTables(t.app.db, ['Fluitekruidpad77']);
      expect(before.cases?.length).toBe(1);
      const document = await t.app.commands.privacy.export(address, 'test');
      expect(JSON.stringify(document.data.cases)).toContain('Fluitekruidpad77');
      await t.app.commands.privacy.erase(address, 'test');
      expect(await scanTables(t.app.db, ['Fluitekruidpad77', PLAN.help])).toEqual({});
    });
  });
}
