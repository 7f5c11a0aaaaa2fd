/** A resident's request about their data, from the chat: a case of its own kind for the privacy team. */
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseViewer } from '../../src/features/cases/policy.js';
import { ErasureHeldError } from '../../src/features/privacy/privacy-service.js';
import { startOnFreshDatabase, type TestApp } from '../support/app-driver.js';
import type { SentMessage } from '../support/scenario.js';
import { databaseKinds } from '../support/services.js';

const privacyTeam: CaseViewer = { id: 'pt-1', name: 'Pim Privacy', role: 'department:privacy' };
const afvalTeam: CaseViewer = { id: 'af-1', name: 'Ahmed', role: 'department:afval' };
const admin: CaseViewer = { id: 'ad-1', name: 'Anne Admin', role: 'admin' };
const operator: CaseViewer = { id: 'op-1', name: 'Olga Operator', role: 'operator' };

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** The whole service on a fresh database, Tuesday 1 December 2026, 10:00 in Rijswijk. */
const start = (kind: 'sqlite' | 'postgres'): Promise<TestApp> => startOnFreshDatabase(kind, stops);

/** What the resident reads after these lines, one text a line. */
async function chat(t: TestApp, from: string, lines: string[]): Promise<string> {
  const all: SentMessage[] = [];
  for (const line of lines) all.push(...(await t.driver.send(from, line)));
  await t.app.settle();
  return all.map((m) => m.text).join('\n');
}

const referenceIn = (text: string) => /RSW-\d{4}-\d{6}/.exec(text)?.[0] ?? '';

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`privacy requests from the chat (${kind})`, () => {
    it('"mijn gegevens" + yes files an access request for the privacy team, due in one month; a repeat tells the same reference', async () => {
      const t = await start(kind);
      const said = await chat(t, 'r1', ['hallo', 'mijn gegevens', 'Ja, stuur mijn verzoek']);
      const reference = referenceIn(said);
      expect(reference).not.toBe('');
      // One month after Tuesday 1 December: Friday 1 January (the AVG term, not working days).
      expect(said).toContain(
        `Het nummer is ${reference}. U krijgt uiterlijk vrijdag 1 januari 2027 antwoord in deze chat.`,
      );

      const cases = t.app.commands.cases;
      const detail = await cases.detail(privacyTeam, reference);
      expect(detail.case).toMatchObject({
        kind: 'privacy',
        topic: 'privacy-access',
        residentKey: 'console:r1',
        channel: 'console',
        status: 'routed',
        assignee: { type: 'department', id: 'privacy', name: 'Team Privacy' },
      });
      expect(detail.case.text).toContain('artikel 15 AVG');
      expect(detail.case.answerBy.toISOString()).toBe('2027-01-01T22:59:59.999Z');
      expect(detail.events.map((e) => [e.type, e.detail.ruleId ?? e.detail.kind])).toEqual([
        ['created', 'privacy'],
        ['routed', 'privacyverzoeken-naar-privacyteam'],
      ]);

      // Asked again (in other words) while it is open: no second case, the same reference.
      const again = await chat(t, 'r1', ['ik wil mijn gegevens zien', 'ja']);
      expect(again).toContain(`U heeft dit al gevraagd. Het privacyteam werkt aan uw verzoek ${reference}.`);
      const mine = await cases.inbox(privacyTeam, { filters: { kind: 'privacy' } });
      expect(mine.cases.map((c) => c.reference)).toEqual([reference]);
      // The chat deleted nothing: the conversation and its messages are all still there.
      const record = await t.app.uow.run((r) => r.conversationSearch.record('console:r1', 100));
      expect(record?.lines.filter((l) => l.side === 'in').map((l) => l.text)).toEqual([
        'hallo',
        'mijn gegevens',
        'Ja, stuur mijn verzoek',
        'ik wil mijn gegevens zien',
        'ja',
      ]);
    });

    it('"verwijder mijn gegevens" + yes is an erasure request of its own; only the privacy team and admins see them; an answer reaches the resident', async () => {
      const t = await start(kind);
      const access = referenceIn(await chat(t, 'r2', ['hallo', 'my data', 'yes']));
      const erasure = referenceIn(await chat(t, 'r2', ['verwijder mijn gegevens', 'ja']));
      // "No" files nothing.
      expect(referenceIn(await chat(t, 'r3', ['hallo', 'verwijder mijn gegevens', 'nee']))).toBe('');
      expect(erasure).not.toBe(access);
      const cases = t.app.commands.cases;
      expect((await cases.detail(admin, erasure)).case).toMatchObject({
        kind: 'privacy',
        topic: 'privacy-erasure',
        residentKey: 'console:r2',
        assignee: { type: 'department', id: 'privacy' },
      });
      const inbox = await cases.inbox(privacyTeam, {});
      expect(inbox.cases.map((c) => c.reference).sort()).toEqual([access, erasure].sort());
      expect(inbox.counts.kind).toEqual({ privacy: 2 });
      expect((await cases.inbox(admin, { filters: { kind: 'privacy' } })).total).toBe(2);
      expect((await cases.inbox(afvalTeam, {})).total).toBe(0);
      await expect(cases.detail(afvalTeam, access)).rejects.toBeTruthy();
      // Webcare operators see every other case, but not residents' privacy requests, nor their counts.
      const ask = referenceIn(
        await chat(t, 'r4', [
          'hallo',
          'vraag',
          'Kapotte lantaarnpaal',
          'Klaar',
          '2288 GD',
          'Ja',
          'Afval',
          'Ja, versturen',
        ]),
      );
      const seen = await cases.inbox(operator, {});
      expect(seen.cases.map((c) => c.reference)).toEqual([ask]);
      expect(seen.counts.kind).toEqual({ question: 1 });
      await expect(cases.detail(operator, access)).rejects.toMatchObject({ name: 'CaseNotFoundError' });
      await expect(cases.answer(operator, erasure, { text: 'x' })).rejects.toBeTruthy();

      const from = t.sent.length;
      await cases.answer(privacyTeam, access, {
        text: 'In de bijlage van onze mail vindt u al uw gegevens.',
      });
      await t.app.settle();
      const told = t.sent
        .slice(from)
        .filter((m) => m.to === 'r2')
        .map((m) => m.text)
        .join('\n');
      expect(told).toContain(access);
      expect(told).toContain('In de bijlage van onze mail vindt u al uw gegevens.');
      // Answered, the access request is no longer open: a new one may be filed.
      // Asked while "Heeft dit antwoord u geholpen?" is open: that question is optional (tentative),
      // so the chat goes there at once, without "Wilt u daarmee stoppen?", and a yes sends it.
      const nextText = await chat(t, 'r2', ['mijn gegevens', 'ja']);
      expect(nextText).not.toContain('Dan gaan we naar');
      const next = referenceIn(nextText);
      expect(next).not.toBe('');
      expect(next).not.toBe(access);
    });

    it('erasing a resident waits until their own privacy requests are answered: refused before, nothing changed; erased after the answer reached them', async () => {
      const t = await start(kind);
      const erasure = referenceIn(await chat(t, 'r5', ['hallo', 'verwijder mijn gegevens', 'ja']));
      const access = referenceIn(await chat(t, 'r5', ['mijn gegevens', 'ja']));
      expect(erasure).not.toBe('');
      expect(access).not.toBe('');
      const address = { channel: 'console', userId: 'r5' };
      const privacy = t.app.commands.privacy;
      const cases = t.app.commands.cases;
      // Both requests open (the privacy team asked for proof of identity on one): refused, naming both.
      await cases.requestInfo(privacyTeam, access, 'Stuur een kopie van uw legitimatie via de post.');
      await t.app.settle();
      // What is stored of them (the privacy log, which each export adds to, aside).
      // What the erasure would take. The logs only grow: viewing the case below adds an audit line
      // about it, which the export (0f061d0) now holds.
      const stored = async () => {
        const {
          privacy_audit: _log,
          audit_log: _audit,
          ...data
        } = (await privacy.export(address, 'test')).data;
        return data;
      };
      const before = await stored();
      const holds = async () =>
        (await privacy.erasureHolds(address))
          .map((h) => (h.kind === 'request' ? h.reference : h.kind))
          .sort();
      expect(await holds()).toEqual([access, erasure].sort());
      const refused = await privacy.erase(address, 'test').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ErasureHeldError);
      expect((refused as ErasureHeldError).references.slice().sort()).toEqual([access, erasure].sort());
      expect((refused as ErasureHeldError).sending).toBe(false);
      expect((refused as Error).message).toMatch(/^not erased: privacy request RSW-.*answer it first/);
      // Nothing went: the requests are open with the resident's words, the chat is kept, no erasure logged.
      expect((await cases.detail(privacyTeam, erasure)).case).toMatchObject({
        status: 'routed',
        residentKey: 'console:r5',
      });
      expect(await stored()).toEqual(before);
      expect((await privacy.log(10)).map((e) => e.action)).not.toContain('erase');

      // One answered, the other still open: still refused, naming only the open one.
      await cases.answer(privacyTeam, erasure, { text: 'Wij wissen vandaag al uw gegevens.' });
      await t.app.settle();
      expect(await holds()).toEqual([access]);
      await expect(privacy.erase(address, 'test')).rejects.toBeInstanceOf(ErasureHeldError);

      // Both answered, and the answers reached the resident: now their data goes.
      const from = t.sent.length;
      await cases.answer(privacyTeam, access, { text: 'U krijgt uw gegevens per post.' });
      await t.app.settle();
      const told = t.sent.slice(from).filter((m) => m.to === 'r5');
      expect(told.map((m) => m.text).join('\n')).toContain('U krijgt uw gegevens per post.');
      expect(await holds()).toEqual([]);

      // A message to them not sent yet (a channel that is slow or down) holds the erasure too: it
      // would go with their data. Once it went out, the erasure goes.
      const now = t.clock.now();
      const [slow] = await t.app.uow.run((r) =>
        r.conversations.addToOutbox(
          [{ kind: 'message', to: address, text: 'Uw antwoord, nog onderweg.' }],
          now,
          new Date(now.getTime() + 3_600_000),
        ),
      );
      expect(await holds()).toEqual(['sending']);
      const waiting = await privacy.erase(address, 'test').catch((e: unknown) => e);
      expect(waiting).toMatchObject({ sending: true, references: [] });
      expect((waiting as Error).message).toBe(
        'not erased: a message to or from this resident is still on its way; erase once it has gone out',
      );
      expect(await stored()).toMatchObject({ conversations: [expect.anything()] });
      await t.app.uow.run((r) => r.conversations.markDelivered([slow!.id], now));
      expect(await holds()).toEqual([]);
      const counts = await privacy.erase(address, 'test');
      expect(counts.cases).toBe(2);
      // The requests stay as anonymous answered cases; the resident is gone from them.
      const after = (await cases.detail(admin, erasure)).case;
      expect(after).toMatchObject({ status: 'answered', text: '' });
      expect(after.residentKey).not.toBe('console:r5');
      expect((await privacy.log(10)).map((e) => e.action)).toContain('erase');
    });
  });
}
