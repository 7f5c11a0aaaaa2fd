import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import type { CaseViewer } from '../../src/features/cases/policy.js';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app-driver.js';
import type { SentMessage } from '../support/scenario.js';
import { databaseKinds, freshTarget } from '../support/services.js';

interface Received {
  to: string[];
  raw: string;
}

/** An SMTP server on a loopback port that keeps every message; `refuse` refuses that many first. */
async function smtpServer(options: { refuse?: number } = {}) {
  const received: Received[] = [];
  let refusals = options.refuse ?? 0;
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        attempts++;
        if (refusals > 0) {
          refusals--;
          const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
          return callback(error);
        }
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers and plain-text body of a single-part message (quoted-printable decoded). */
function parse(raw: string): { from: string; subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(header('Content-Transfer-Encoding')))
    body = Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return { from: header('From'), subject: header('Subject'), text: body.replace(/\r\n/g, '\n') };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

const afvalMember: CaseViewer = { id: 'afval-1', name: 'Ahmed', role: 'department:afval' };

async function start(kind: 'sqlite' | 'postgres', env: Record<string, string>): Promise<TestApp> {
  const fresh = await freshTarget(kind);
  // Tuesday 1 December 2026, 10:00 in Rijswijk.
  const t = await startTestApp({
    databaseUrl: fresh.url,
    clock: new ManualClock('2026-12-01T09:00:00Z'),
    env: {
      PUBLIC_URL: 'https://spreekuur.example.nl',
      SMTP_FROM: 'Spreekuur <spreekuur@example.nl>',
      ...env,
    },
  });
  stops.push(fresh.cleanup, () => t.app.stop());
  return t;
}

async function addAccounts(t: TestApp): Promise<void> {
  const add = (email: string, role: string) =>
    t.app.commands.accounts.add({ email, name: email.split('@')[0]!, role }, 'test');
  await add('ahmed@afval.example.nl', 'department:afval');
  await add('bea@afval.example.nl', 'department:afval');
  await add('oud@afval.example.nl', 'department:afval');
  await t.app.commands.accounts.disable('oud@afval.example.nl', 'test');
  await add('wendy@wijkteam.example.nl', 'department:wijkteam');
  await add('olga@example.nl', 'operator');
}

async function ask(t: TestApp, from: string, text: string, topic: string): Promise<string> {
  const all: SentMessage[] = [];
  for (const line of ['hallo', 'vraag', text, 'Klaar', '2288 GD', 'Ja', topic, 'Ja, versturen'])
    all.push(...(await t.driver.send(from, line)));
  const reference = all.map((m) => /RSW-\d{4}-\d{6}/.exec(m.text)?.[0]).find(Boolean);
  if (!reference) throw new Error(`no reference in:\n${all.map((m) => m.text).join('\n')}`);
  await t.app.settle();
  return reference;
}

/** Moves the clock to `iso`, runs the sweep and lets every due job finish. */
async function at(t: TestApp, iso: string): Promise<void> {
  await t.driver.advance?.(Date.parse(iso) - t.clock.now().getTime());
  await t.app.sweep();
  await t.app.settle();
}

for (const { kind, available } of databaseKinds)
  describe.skipIf(!available)(
    `a department’s members get the case reminder and escalation by e-mail (${kind})`,
    () => {
      it('one mail each to every active member of the department, for the reminder and again for the escalation', async () => {
        const smtp = await smtpServer();
        stops.push(smtp.close);
        const t = await start(kind, { SMTP_URL: smtp.url });
        await addAccounts(t);
        const ref = await ask(t, 'r1', 'Wanneer komt de grofvuil bij Dorpsstraat 12?', 'Afval');
        // With numbers a resident should not send: they stay out of every mail (masked or not).
        const care = await ask(
          t,
          'r2',
          'Ik heb hulp nodig bij het huishouden. BSN 111222333, bel 06-12345678, IBAN NL91ABNA0417164300',
          'Zorg en welzijn',
        );
        /** Who was mailed about a reference, sorted. */
        const mailedAbout = (mails: Received[], reference: string) =>
          mails
            .filter((m) => parse(m.raw).subject.includes(reference))
            .flatMap((m) => m.to)
            .sort();
        expect(smtp.received).toEqual([]);

        // Answer by Tuesday 8 December; the reminder runs Monday 7 December.
        await at(t, '2026-12-07T08:30:00Z');
        const reminders = smtp.received.splice(0);
        expect(reminders).toHaveLength(3);
        expect(reminders.every((m) => m.to.length === 1)).toBe(true);
        expect(mailedAbout(reminders, ref)).toEqual(['ahmed@afval.example.nl', 'bea@afval.example.nl']);
        // The other department's case goes to that department only; the disabled account gets nothing.
        expect(mailedAbout(reminders, care)).toEqual(['wendy@wijkteam.example.nl']);
        const mail = parse(reminders.find((m) => m.to[0] === 'ahmed@afval.example.nl')!.raw);
        expect(mail.from).toContain('spreekuur@example.nl');
        expect(mail.subject).toBe(
          `Herinnering: vraag ${ref} moet uiterlijk dinsdag 8 december beantwoord zijn / Reminder: question ${ref} must be answered by Tuesday 8 December`,
        );
        const text = mail.text;
        expect(text).toContain(`https://spreekuur.example.nl/dashboard/cases/${ref}`);
        expect(text).toContain('over Afval staat bij Team Afval en Reiniging');
        expect(text.indexOf('Beantwoord de vraag')).toBeLessThan(text.indexOf('Answer it in the dashboard'));
        // No resident text or personal data: only the reference and the topic.
        expect(text).not.toMatch(/grofvuil|Dorpsstraat|2288/i);
        for (const m of reminders.map((r) => parse(r.raw)))
          expect(`${m.subject}\n${m.text}`).not.toMatch(/huishouden|111222333|12345678|NL91|ABNA|••/);
        expect((await t.app.commands.cases.detail(afvalMember, ref)).events.map((e) => e.type)).toContain(
          'reminded',
        );

        // A repeated sweep mails no one again.
        await t.app.sweep();
        await t.app.settle();
        expect(smtp.received).toEqual([]);

        await at(t, '2026-12-09T08:30:00Z');
        const escalations = smtp.received.splice(0);
        expect(escalations).toHaveLength(3);
        expect(mailedAbout(escalations, ref)).toEqual(['ahmed@afval.example.nl', 'bea@afval.example.nl']);
        expect(mailedAbout(escalations, care)).toEqual(['wendy@wijkteam.example.nl']);
        const late = parse(
          escalations.find((m) => m.to[0] === 'bea@afval.example.nl' && m.raw.includes(ref))!.raw,
        );
        expect(late.subject).toContain(`Te laat: vraag ${ref}`);
        expect(late.text).toContain(`/dashboard/cases/${ref}`);

        await t.app.sweep();
        await t.app.settle();
        expect(smtp.received).toEqual([]);
      });

      it('an SMTP server that refuses once gets the mail again later, delivered once; the reminder is not held up', async () => {
        const smtp = await smtpServer({ refuse: 1 });
        stops.push(smtp.close);
        const t = await start(kind, { SMTP_URL: smtp.url });
        await t.app.commands.accounts.add(
          { email: 'ahmed@afval.example.nl', name: 'Ahmed', role: 'department:afval' },
          'test',
        );
        const ref = await ask(t, 'r1', 'Container kapot', 'Afval');

        await at(t, '2026-12-07T08:30:00Z');
        expect(smtp.attempts()).toBe(1);
        expect(smtp.received).toEqual([]);
        expect((await t.app.commands.cases.detail(afvalMember, ref)).events.map((e) => e.type)).toEqual([
          'created',
          'routed',
          'reminded',
        ]);

        // The queue tries again after its backoff.
        await at(t, '2026-12-07T08:31:00Z');
        expect(smtp.received.map((m) => m.to)).toEqual([['ahmed@afval.example.nl']]);
        await at(t, '2026-12-07T10:00:00Z');
        expect(smtp.received).toHaveLength(1);
        expect(smtp.attempts()).toBe(2);
      });

      it('without SMTP_URL nothing is mailed and the reminder and escalation still happen', async () => {
        const smtp = await smtpServer();
        stops.push(smtp.close);
        const t = await start(kind, {});
        await addAccounts(t);
        const ref = await ask(t, 'r1', 'Container kapot', 'Afval');
        await at(t, '2026-12-07T08:30:00Z');
        await at(t, '2026-12-09T08:30:00Z');
        expect(smtp.attempts()).toBe(0);
        expect((await t.app.commands.cases.detail(afvalMember, ref)).events.map((e) => e.type)).toEqual([
          'created',
          'routed',
          'reminded',
          'delay_told',
          'escalated',
        ]);
      });
    },
  );

describe('SMTP configuration', () => {
  it('a wrong SMTP_URL is a clear error that never shows the password', () => {
    expect(() => parseConfig({ SMTP_URL: 'smtp//mail:geheim@smtp.example.nl' })).toThrow(
      /^Configuration error: SMTP_URL: expected smtp:\/\/.*\(got "smtp\/\/\*\*\*@smtp\.example\.nl"\)$/,
    );
    expect(() => parseConfig({ SMTP_URL: 'https://mail:geheim@smtp.example.nl' })).toThrow(/SMTP_URL/);
    expect(() => parseConfig({ SMTP_URL: 'https://mail:geheim@smtp.example.nl' })).not.toThrow(/geheim/);
    expect(() => parseConfig({ SMTP_URL: 'smtp:/mail:geheim@smtp.example.nl' })).not.toThrow(/geheim/);
    expect(() => parseConfig({ SMTP_URL: 'mail:geheim@smtp.example.nl' })).not.toThrow(/geheim/);
    expect(parseConfig({ SMTP_URL: 'smtps://mail:geheim@smtp.example.nl:465' }).SMTP_URL).toBe(
      'smtps://mail:geheim@smtp.example.nl:465',
    );
  });
});
