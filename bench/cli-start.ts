/**
 * How long a `spreekuur` command takes from start to exit after `npm run build` (issue 16: under 1 s):
 * `node bin/spreekuur.mjs …`, as an operator types it, against a fresh SQLite database that one
 * untimed `migrate` prepared, so the figures are the start and the command, not the migration.
 * `node -e 0` is the floor: what starting node alone costs on this machine, and the load average says
 * how busy the machine was (a start is mostly CPU, so a busy machine stretches every figure). Without a build of the
 * current sources the command would run the sources through tsx, which is not what the goal is
 * about, so the section then reports only `cli_start.skipped_no_current_build` (run `npm run build`).
 * Prints nothing; bench/index.ts prints.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildState } from '../bin/built.mjs';
import { percentile, round2 } from './support.js';

/** The commands timed, by the name their figures carry. */
const COMMANDS: Record<string, string[]> = {
  help: ['bin/spreekuur.mjs', '--help'],
  staff_list: ['bin/spreekuur.mjs', 'staff', 'list'],
  dead_letters_list: ['bin/spreekuur.mjs', 'dead-letters', 'list'],
};

/** Median and highest wall time of `runs` starts of each command, and of a bare node, in ms. */
export function benchCliStart(runs = 7): Record<string, number> {
  const root = join(import.meta.dirname, '..');
  if (buildState(root, join(root, 'dist')).state !== 'built') {
    return { 'cli_start.skipped_no_current_build': 0 };
  }
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-cli-'));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    REDIS_URL: '',
    LOG_LEVEL: 'warn',
  };
  try {
    timed(root, env, ['bin/spreekuur.mjs', 'migrate']);
    const results: Record<string, number> = {};
    const record = (name: string, args: string[]) => {
      const times = Array.from({ length: runs }, () => timed(root, env, args)).sort((a, b) => a - b);
      results[`cli_start.${name}.median_ms`] = round2(percentile(times, 0.5));
      results[`cli_start.${name}.max_ms`] = round2(percentile(times, 1));
    };
    record('node_floor', ['-e', '0']);
    for (const [name, args] of Object.entries(COMMANDS)) record(name, args);
    results['cli_start.load_average_1m'] = round2(loadavg()[0] ?? 0);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `node <args>` to its exit and returns the wall time in ms; a failed command fails the section. */
function timed(root: string, env: NodeJS.ProcessEnv, args: string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (run.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited with ${run.status}: ${run.stderr.toString().trim()}`);
  }
  return ms;
}
