import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sqliteUrl } from '../support/services.js';

/**
 * Runs the command as `bin/spreekuur.mjs` (what `npx spreekuur` starts); the first test goes through
 * npx itself. Each run starts Node and compiles the sources, which takes long on a loaded machine,
 * so the limits are generous: they catch a hang, not slowness.
 */
function run(args: string[], env: Record<string, string>, input?: string, viaNpx = false) {
  const [command, prefix] = viaNpx ? ['npx', ['spreekuur']] : [process.execPath, ['bin/spreekuur.mjs']];
  return spawnSync(command, [...prefix, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    input,
    encoding: 'utf8',
    timeout: 240_000,
  });
}

describe('the spreekuur command', { timeout: 600_000 }, () => {
  it('`npx spreekuur chat --jsonl` replies, acks each input, reports bad lines, and exits 0', () => {
    const env = { DATABASE_URL: sqliteUrl() };
    const out = run(
      ['chat', '--jsonl'],
      env,
      '{"from":"r1","text":"hallo"}\nnot json\n{"from":"r2","text":"wijkwethouder"}\n',
      true,
    );
    expect(out.status).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const ack1 = lines.findIndex((l) => l.ack === 1);
    expect(ack1).toBeGreaterThan(0);
    expect(lines.slice(0, ack1).every((l) => l.to === 'r1' && typeof l.text === 'string')).toBe(true);
    expect(lines[ack1 + 1]).toEqual({ error: 'not valid JSON', line: 2 });
    expect(lines.at(-1)).toEqual({ ack: 3 });
    expect(lines.some((l) => l.to === 'r2' && /postcode/.test(String(l.text)))).toBe(true);
    // Choices only where there are some.
    expect(
      lines
        .filter((l) => 'choices' in l)
        .every((l) => Array.isArray(l.choices) && (l.choices as unknown[]).length > 0),
    ).toBe(true);
  });

  it('staff link-code prints a 6-digit one-time code; staff list --json shows the linked identity', () => {
    const env = { DATABASE_URL: sqliteUrl() };
    const made = run(['staff', 'link-code', '--alderman', 'pieter-jansen'], env);
    expect(made.status).toBe(0);
    const code = made.stdout.split('\n')[0] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(made.stdout).toMatch(/10 minutes/);
    const chat = run(
      ['chat', '--jsonl'],
      env,
      `{"from":"pj","text":"koppel ${code}"}\n{"from":"other","text":"koppel ${code}"}\n`,
    );
    expect(chat.stdout).toMatch(/gekoppeld aan wethouder Pieter Jansen/);
    expect(chat.stdout).toMatch(/klopt niet, is al gebruikt of is verlopen/);
    const list = JSON.parse(run(['staff', 'list', '--json'], env).stdout) as {
      id: string;
      identities: { channel: string; userId: string }[];
    }[];
    expect(list.find((a) => a.id === 'pieter-jansen')?.identities).toEqual([
      expect.objectContaining({ channel: 'console', userId: 'pj' }),
    ]);
    expect(list.find((a) => a.id === 'anna-de-vries')?.identities).toEqual([]);
    expect(run(['staff', 'link-code', '--alderman', 'nobody'], env).status).toBe(2);
  });

  it('hours cancel tells every booked resident, with new times, through the running service; undo before that', () => {
    const env = { DATABASE_URL: sqliteUrl() };
    const slots = JSON.parse(run(['hours', 'slots', '--alderman', 'fatma-yilmaz', '--json'], env).stdout) as {
      start: string;
    }[];
    expect(slots.length).toBeGreaterThan(0);
    const first = slots[0]!.start;
    const date = new Date(first).toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });
    const steps = ['hallo', 'afspraak', '2288 GD', 'nee', 'Ja, met Fatma Yilmaz', '1', 'De speeltuin', '1'];
    const booked = run(
      ['chat', '--jsonl'],
      env,
      steps.map((text) => JSON.stringify({ from: 'r1', text })).join('\n') + '\n',
    );
    expect(booked.stdout).toMatch(/Uw afspraak staat/);
    // With the grace period (CANCEL_UNDO_SECONDS, 120 by default) it prints how to undo, and undo works.
    const mistaken = run(['hours', 'cancel', '--alderman', 'fatma-yilmaz', '--date', date], env);
    expect(mistaken.status).toBe(0);
    const undoId = /hours undo ([0-9a-f-]{36})/.exec(mistaken.stdout)?.[1];
    expect(undoId, mistaken.stdout).toBeDefined();
    const undone = run(['hours', 'undo', undoId!], env);
    expect(undone.stdout).toMatch(/Undone: the consultation hour on .* is back, with 1 booking/);
    expect(run(['hours', 'undo', undoId!], env).stderr).toMatch(/undone already/);
    const cancelled = run(
      ['hours', 'cancel', '--alderman', 'fatma-yilmaz', '--date', date, '--reason', 'ziek'],
      { ...env, CANCEL_UNDO_SECONDS: '0' },
    );
    expect(cancelled.status).toBe(0);
    expect(cancelled.stdout).toMatch(/1 booking/);
    // The apology waits in the outbox for the channel's own process: the next chat run delivers it.
    const later = run(['chat', '--jsonl'], env, '{"from":"r9","text":"hallo"}\n');
    expect(later.stdout).toMatch(/"to":"r1".*kan helaas niet/);
    expect(run(['hours', 'cancel', '--alderman', 'fatma-yilmaz', '--date', 'tomorrow'], env).status).toBe(2);
    const past = run(['hours', 'cancel', '--alderman', 'fatma-yilmaz', '--date', '2020-01-03'], env);
    expect(past.status).toBe(2);
    expect(past.stderr).toMatch(/has passed/);
    // Staff read the municipality's own clock: times carry the zone's offset, not Z.
    expect(first).toMatch(/T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
  });

  it('privacy erase refuses, with one line on what to do first, while the resident’s own privacy request is unanswered', () => {
    const env = { DATABASE_URL: sqliteUrl() };
    const chat = run(
      ['chat', '--jsonl'],
      env,
      '{"from":"r1","text":"hallo"}\n{"from":"r1","text":"verwijder mijn gegevens"}\n{"from":"r1","text":"ja"}\n',
    );
    expect(chat.status).toBe(0);
    const reference = /RSW-\d{4}-\d{6}/.exec(chat.stdout)?.[0] ?? '';
    expect(reference).not.toBe('');
    for (const args of [['console:r1'], ['console:r1', '--yes']]) {
      const refused = run(['privacy', 'erase', ...args], env);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe(
        `not erased: privacy request ${reference} of this resident is not answered yet; answer it first (the answer reaches them in their chat), then erase\n`,
      );
    }
    // Nothing went: their words are still there.
    const kept = run(['privacy', 'export', 'console:r1'], env);
    expect(kept.status).toBe(0);
    expect(kept.stdout).toContain('verwijder mijn gegevens');
  });
});
