import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translator.js';
import { jsonlChatForTest, spreekuur, textsOf } from '../support/processes.js';
import { sqliteUrl } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

// The dashboard could write or correct a closed poll's outcome text and move an open poll's end date
// (28dc57c); `spreekuur polls` could not. `polls outcome` and `polls move` run the same domain
// commands, with the same refusals as one line each: exit 1 for the poll's state, 2 for wrong input.

const nl = translator(shippedTexts, 'nl');
const HOUR = 3_600_000;
const QUESTION = 'Een hondenveld in het Julianapark?';
const PLAN = 'Wij maken het hondenveld in april.';
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

/** A poll for Oud Rijswijk, made with `polls create`; its id. */
function created(env: Record<string, string>, closes = inHours(1)): string {
  const run = spreekuur(
    ['polls', 'create', '--question', QUESTION, '--option', 'Ja', '--option', 'Nee'].concat([
      '--district',
      'oud-rijswijk',
      '--closes',
      closes,
    ]),
    env,
  );
  expect(run.stderr).toBe('');
  return run.stdout.trim();
}

/** `polls results <id> --json`, as a script reads it. */
function results(env: Record<string, string>, id: string) {
  const run = spreekuur(['polls', 'results', id, '--json'], env);
  return JSON.parse(run.stdout) as {
    closesAt: string | null;
    closedAt: string | null;
    outcome: string;
    outcomeVersion: number;
  };
}

/** One refusal: its exit code and its one line on stderr, nothing on stdout. */
function refused(env: Record<string, string>, args: string[]) {
  const run = spreekuur(args, env);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  return { status: run.status, line: run.stderr.trim() };
}

describe(
  '`spreekuur polls outcome` and `polls move` (the dashboard could, the CLI could not)',
  {
    timeout: 600_000,
  },
  () => {
    it('moves the end date, then writes and corrects the outcome of the closed poll: who answered hears each once, after the closing', async () => {
      const env = { DATABASE_URL: sqliteUrl() };
      const id = created(env);
      const chat = jsonlChatForTest(env);
      for (const who of ['anna', 'bram']) {
        await chat.send(who, 'peiling');
        await chat.send(who, '2280 AB');
        const asked = await chat.send(who, 'nee');
        expect(asked.at(-1)?.text).toContain(QUESTION);
        await chat.send(who, '1');
      }

      const later = inHours(3);
      const moved = spreekuur(['polls', 'move', id, '--closes', later], env);
      expect([moved.status, moved.stderr]).toEqual([0, '']);
      expect(moved.stdout).toMatch(new RegExp(`^Poll ${id} now closes at 20\\d\\d-`));
      expect(results(env, id).closesAt).toBe(later);

      expect(spreekuur(['polls', 'close', id], env).stdout).toMatch(/2 resident\(s\) who answered were told/);
      const written = spreekuur(['polls', 'outcome', id, '--outcome', PLAN], env);
      expect([written.status, written.stderr]).toEqual([0, '']);
      expect(written.stdout).toBe(
        `Saved the outcome of poll ${id} (version 1): 2 resident(s) who answered were told.\n`,
      );
      const heard: Record<string, string[]> = {};
      const toldLater = nl('poll.outcome_later', { question: QUESTION });
      await chat.waitFor((line) => {
        const text = textsOf([line]);
        const kind = text.startsWith(nl('poll.outcome', { question: QUESTION }))
          ? 'closed'
          : text.startsWith(toldLater)
            ? 'outcome'
            : null;
        if (kind) (heard[String(line.to)] ??= []).push(kind);
        return Object.values(heard).filter((k) => k.includes('outcome')).length === 2;
      });
      expect(heard).toEqual({ anna: ['closed', 'outcome'], bram: ['closed', 'outcome'] });

      // The same text again: nobody is told twice.
      expect(spreekuur(['polls', 'outcome', id, '--outcome', PLAN], env).stdout).toBe(
        `Poll ${id} has that outcome text already; nobody was told again.\n`,
      );
      // A correction from an older version is refused; from the current one it is told as a correction.
      const fixed = 'Wij maken het hondenveld in mei.';
      const stale = refused(env, ['polls', 'outcome', id, '--outcome', fixed, '--version', '0']);
      expect(stale.status).toBe(1);
      expect(stale.line).toMatch(/^the outcome text was changed since that --version/);
      expect(results(env, id)).toMatchObject({ outcome: PLAN, outcomeVersion: 1 });
      const corrected = spreekuur(['polls', 'outcome', id, '--outcome', fixed, '--version', '1'], env);
      expect(corrected.stdout).toMatch(/\(version 2\): 2 resident\(s\) who answered were told\.$/m);
      const correction = await chat.waitFor((line) => textsOf([line]).includes(fixed));
      expect(String(correction.text)).toContain(nl('poll.outcome_corrected', { question: QUESTION }));
      expect(results(env, id)).toMatchObject({ outcome: fixed, outcomeVersion: 2 });
    });

    it('refuses with one line: exit 1 for the state of the poll, 2 for wrong input; --help lists both', () => {
      const env = { DATABASE_URL: sqliteUrl() };
      const id = created(env);
      const before = results(env, id).closesAt;

      expect(refused(env, ['polls', 'move', id, '--closes', '2020-01-01T10:00:00Z'])).toEqual({
        status: 2,
        line: '--closes must be a date and time (ISO 8601) in the future, after the poll opens',
      });
      expect(refused(env, ['polls', 'move', id, '--closes', 'volgende week']).status).toBe(2);
      expect(spreekuur(['polls', 'move', id], env).status).toBe(2);
      expect(results(env, id).closesAt).toBe(before);

      const open = refused(env, ['polls', 'outcome', id, '--outcome', PLAN]);
      expect(open).toEqual({
        status: 1,
        line: `that poll is still open; close it first (spreekuur polls close ${id}), then write its outcome`,
      });
      expect(spreekuur(['polls', 'close', id], env).status).toBe(0);
      expect(refused(env, ['polls', 'move', id, '--closes', inHours(5)]).status).toBe(1);
      expect(refused(env, ['polls', 'outcome', id, '--outcome', '   ']).status).toBe(2);
      expect(refused(env, ['polls', 'outcome', id, '--outcome', 'x'.repeat(1001)]).status).toBe(2);
      expect(refused(env, ['polls', 'outcome', id, '--outcome', PLAN, '--version', 'één']).status).toBe(2);
      expect(refused(env, ['polls', 'outcome', 'nope', '--outcome', PLAN]).status).toBe(1);
      // A closing refused because the poll is closed says how to send that text as its outcome.
      expect(refused(env, ['polls', 'close', id, '--outcome', PLAN])).toEqual({
        status: 1,
        line: `that poll is closed already; to send your text as what the municipality will do with it: spreekuur polls outcome ${id} --outcome <text>`,
      });
      expect(results(env, id)).toMatchObject({ outcome: '', outcomeVersion: 0 });

      const help = spreekuur(['--help'], env).stdout;
      expect(help).toContain('polls outcome <id> --outcome <text> [--version <n>]');
      expect(help).toContain('polls move <id> --closes <ISO>');
    });
  },
);
