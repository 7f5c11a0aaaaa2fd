import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The fixture's output stream, with the time and process id (which differ per run) blanked. */
function linesOf(mode: 'command' | 'service'): { out: string; other: string } {
  const run = spawnSync(process.execPath, ['bin/run-ts.mjs', 'test/cli/fixtures/log-lines.ts', mode], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.status).toBe(0);
  const blank = (s: string) => s.replace(/^\[\d\d:\d\d:\d\d\] (\w+) \(\d+\)/gm, '[time] $1 (pid)');
  return mode === 'command'
    ? { out: blank(run.stderr), other: run.stdout }
    : { out: blank(run.stdout), other: run.stderr };
}

describe("a command's logger", { timeout: 300_000 }, () => {
  // It formats in its own thread instead of pino-pretty's transport (a worker thread per command).
  it('writes to stderr the same readable, redacted lines as the service writes to stdout', () => {
    const command = linesOf('command');
    const service = linesOf('service');
    expect(command.other).toBe('');
    expect(command.out).toContain('[time] WARN (pid): queue error\n    text: "[hidden]"\n');
    expect(command.out).toContain('"userId": "[hidden]"');
    expect(command.out).not.toContain('31612345678');
    expect(command.out).not.toContain('not at this level');
    expect(command.out).toBe(service.out);
  });
});
