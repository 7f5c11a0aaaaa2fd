import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import {
  fillWebcareAnswer,
  loadWebcareAnswers,
  parseWebcareAnswers,
} from '../../src/municipality/webcare-answers.js';
import { dashboardHttp } from '../support/dashboard-http.js';
import { startDashboardServer, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';

const answer = (nl: string, extra: object = {}) => ({
  answers: [
    { id: 'a', title: { nl: 'T', en: 'T' }, text: { nl, en: 'Hello, this is {operator}' }, ...extra },
  ],
});

describe('webcare standard answers (data/webcare-answers.json)', () => {
  it('the shipped file loads with the municipality, in Dutch and English, using only takeover placeholders', () => {
    const answers = loadMunicipality('data').webcareAnswers;
    expect(answers.map((a) => a.id)).toEqual([
      'groet',
      'even-kijken',
      'openingstijden',
      'terug-naar-chatbot',
    ]);
    for (const a of answers)
      for (const lang of ['nl', 'en'] as const) expect(a.text[lang]).not.toMatch(/\{reference\}/);
  });

  it('stops start-up on a placeholder a takeover cannot fill, such as a case reference', () => {
    expect(() => parseWebcareAnswers(answer('Uw vraag {reference}'), 'w.json')).toThrow(
      /w\.json: answers\[0\]\.text\.nl: unknown placeholder \{reference\} \(use \{operator\}, \{municipality\}\)/,
    );
    const twice = { answers: [...answer('a').answers, ...answer('b').answers] };
    expect(() => parseWebcareAnswers(twice, 'w.json')).toThrow(/"a" is used twice/);
    const noEnglish = { answers: [{ id: 'a', title: { nl: 'T', en: 'T' }, text: { nl: 'Hoi' } }] };
    expect(() => parseWebcareAnswers(noEnglish, 'w.json')).toThrow(/text\.en/);
  });

  it('a municipality without the file has none; a broken file stops loading, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'webcare-answers-'));
    expect(loadWebcareAnswers(join(dir, 'webcare-answers.json'))).toEqual([]);
    cpSync('data', dir, { recursive: true });
    writeFileSync(join(dir, 'webcare-answers.json'), JSON.stringify(answer('Zie {datum}')));
    expect(() => loadMunicipality(dir)).toThrow(
      /webcare-answers\.json: answers\[0\]\.text\.nl: unknown placeholder \{datum\}/,
    );
  });

  it('fills the operator and the municipality', () => {
    expect(
      fillWebcareAnswer('Ik ben {operator} van {municipality}.', {
        operator: 'Olga',
        municipality: 'Rijswijk',
      }),
    ).toBe('Ik ben Olga van Rijswijk.');
  });
});

const open: { server?: DashboardServer } = {};
afterEach(async () => {
  await open.server?.close();
  open.server = undefined;
});

const decode = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('webcare standard answers over HTTP (no JavaScript)', () => {
  it(
    'the operator who took the resident over picks an answer; it fills the reply box and reaches the resident as sent',
    { timeout: 120_000 },
    async () => {
      // The municipality's own file: its answers, with a name that must be escaped on the page.
      const dir = mkdtempSync(join(tmpdir(), 'webcare-answers-http-'));
      cpSync('data', dir, { recursive: true });
      const shipped = JSON.parse(readFileSync('data/webcare-answers.json', 'utf8')) as { answers: unknown[] };
      const own = {
        answers: [
          ...shipped.answers,
          {
            id: 'eigen',
            title: { nl: 'Eigen <b>tekst</b>', en: 'Own text' },
            text: {
              nl: 'Met {operator} van {municipality}. <script>alert(1)</script>',
              en: 'This is {operator}.',
            },
          },
        ],
      };
      writeFileSync(join(dir, 'webcare-answers.json'), JSON.stringify(own));
      const s = (open.server = await startDashboardServer({
        databaseUrl: sqliteUrl(),
        env: { DATA_DIR: dir },
      }));
      await s.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga "O" Operator', role: 'operator' });
      const { driver, app } = s.t;
      await driver.send('anna', 'hoi');
      await driver.send('anna', 'medewerker');
      const page = `/dashboard/webcare/${encodeURIComponent('console:anna')}`;

      const olga = dashboardHttp(s.url);
      await olga.signIn('olga@rijswijk.nl');
      // Before the takeover there is no reply box and so no standard answers.
      expect((await olga.get(page)).text).not.toContain('name="answer"');
      expect((await olga.post(`${page}/take`, {})).status).toBe(303);

      const taken = await olga.get(page);
      expect(taken.text).toContain(
        '<label class="utrecht-form-label" for="webcare-answer">Standaardantwoord</label>',
      );
      for (const title of ['Begroeten', 'Ik kijk even voor u', 'Openingstijden', 'Terug naar de chatbot'])
        expect(taken.text).toContain(`>${title}</option>`);
      expect(taken.text).toContain('>Eigen &lt;b&gt;tekst&lt;/b&gt;</option>');
      expect(taken.text).not.toContain('<script>alert(1)</script>');
      // Nothing chosen: the box starts empty.
      expect(taken.text).toMatch(/name="text"[^>]*><\/textarea>/);

      const chosen = await olga.get(`${page}?answer=groet`);
      expect(chosen.status).toBe(200);
      const greeting =
        'Goedendag, u spreekt met Olga "O" Operator van de gemeente Rijswijk. Waarmee kan ik u helpen?';
      const box = /name="text"[^>]*>([^<]*)<\/textarea>/.exec(chosen.text)?.[1] ?? '';
      expect(decode(box)).toBe(greeting);
      expect(chosen.text).toMatch(/<option value="groet" [^>]*selected>/);
      const escaped = /name="text"[^>]*>([\s\S]*?)<\/textarea>/.exec(
        (await olga.get(`${page}?answer=eigen`)).text,
      )?.[1];
      expect(escaped).toBe(
        'Met Olga &quot;O&quot; Operator van Rijswijk. &lt;script&gt;alert(1)&lt;/script&gt;',
      );
      // An unknown answer leaves the box empty.
      expect((await olga.get(`${page}?answer=nope`)).text).toMatch(/name="text"[^>]*><\/textarea>/);

      // The operator changes the text before sending; the resident gets what was sent.
      expect((await olga.post(`${page}/reply`, { text: `${greeting} Ik ben er nu.` })).status).toBe(303);
      await app.settle();
      expect(s.t.sent.at(-1)).toEqual({ to: 'anna', text: `${greeting} Ik ben er nu.` });
    },
  );

  // Regression: a takeover of a resident who chats in English offered the Dutch standard answers,
  // did not show the language, and said "Schrijf eenvoudig Nederlands (B1)".
  it(
    "the takeover page shows the resident's language and offers the standard answers and the hint in it",
    { timeout: 120_000 },
    async () => {
      const s = (open.server = await startDashboardServer({ databaseUrl: sqliteUrl() }));
      await s.addAccount({ email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' });
      for (const line of [
        'Hello, I have a question',
        'English',
        'Talk to a person',
        'I need help with my parking permit',
      ])
        await s.t.driver.send('anna', line);
      const page = `/dashboard/webcare/${encodeURIComponent('console:anna')}`;
      const olga = dashboardHttp(s.url);
      await olga.signIn('olga@rijswijk.nl');
      expect((await olga.get(page)).text).toContain(
        'Taal van het gesprek: <strong data-language>Engels</strong>',
      );
      expect((await olga.post(`${page}/take`, {})).status).toBe(303);
      const taken = await olga.get(page);
      expect(taken.text).toContain('>Greeting</option>');
      expect(taken.text).not.toContain('>Begroeten</option>');
      expect(taken.text).toContain('De inwoner chat in het Engels: schrijf eenvoudig Engels.');
      expect(taken.text).not.toContain('Schrijf eenvoudig Nederlands');
      const box = /name="text"[^>]*>([^<]*)<\/textarea>/.exec((await olga.get(`${page}?answer=groet`)).text);
      expect(decode(box?.[1] ?? '')).toBe(
        'Hello, this is Olga Operator from the municipality of Rijswijk. How can I help you?',
      );
    },
  );
});
