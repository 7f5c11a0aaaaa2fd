import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReachable } from '../support/net.js';
import { spawnService } from '../support/processes.js';
import { sqliteUrl } from '../support/services.js';
// Plain JavaScript shared by bin/spreekuur.mjs and bin/build.mjs: how the launcher picks its code.
import { BUILD_INFO, buildState, sourceFingerprint, sourceStamps } from '../../bin/built.mjs';

const ROOT = resolve('.');
// Inside the repository (var/ is ignored), so the built code finds node_modules; never dist/, which
// other tests' `bin/spreekuur.mjs` may be running from.
const OUT = join(ROOT, 'var', `build-test-${randomUUID().slice(0, 8)}`);
const MAIN = join(OUT, 'src/cli/main.js');

describe('npm run build', { timeout: 900_000 }, () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, ['bin/build.mjs', '--out', OUT], { encoding: 'utf8' });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  }, 900_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('compiles to JavaScript that plain node runs: `--help` prints usage, exits 0 and opens no database', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'spreekuur-built-'));
    const run = spawnSync(process.execPath, [MAIN, '--help'], {
      cwd,
      env: { ...process.env, DATA_DIR: resolve('data') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: spreekuur <command>\n/);
    expect(run.stderr).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  /** The files (node_modules packages and their paths) a run of the built CLI loads, and its outcome. */
  function loadedBy(args: string[]): { status: number | null; stderr: string; files: string[] } {
    const cwd = mkdtempSync(join(tmpdir(), 'spreekuur-loaded-'));
    const list = join(cwd, 'loaded.txt');
    const run = spawnSync(
      process.execPath,
      ['--import', resolve('test/support/loaded-modules.mjs'), MAIN, ...args],
      {
        cwd,
        env: {
          ...process.env,
          DATA_DIR: resolve('data'),
          DATABASE_URL: `sqlite:${join(cwd, 'db.sqlite')}`,
          LOADED_MODULES_FILE: list,
        },
        encoding: 'utf8',
      },
    );
    const files = readFileSync(list, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    rmSync(cwd, { recursive: true, force: true });
    return { status: run.status, stderr: run.stderr, files };
  }
  const packages = (files: string[]) =>
    new Set(files.flatMap((f) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []));

  it('loads no library for `--help`: nothing is imported before a command needs it', () => {
    const run = loadedBy(['--help']);
    expect(run.status).toBe(0);
    expect(run.files.some((f) => f.endsWith('/src/cli/main.js'))).toBe(true);
    expect([...packages(run.files)]).toEqual([]);
  });

  // A regression guard for start-up time: each of these cost a command a tenth of a second or more.
  it('loads TypeORM through require and none of PostgreSQL, Redis, mail, passwords or pages for `staff list` on SQLite', () => {
    const run = loadedBy(['staff', 'list']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const loaded = packages(run.files);
    expect(loaded).toContain('typeorm');
    expect(loaded).toContain('better-sqlite3');
    for (const heavy of [
      'pg',
      'bullmq',
      'ioredis',
      'nodemailer',
      '@node-rs/argon2',
      'otplib',
      'fastify',
      'eta',
      'prom-client',
    ])
      expect(loaded, heavy).not.toContain(heavy);
    // Through Node's ESM loader TypeORM's ~300 files would each be read and lexed again.
    expect(run.files.filter((f) => f.includes('/node_modules/typeorm/index.mjs'))).toEqual([]);
  });

  // Regressions: a command's logger pretty-printed through pino's transport, a worker thread (a second
  // Node, some 50 ms of CPU at each start) for a command that logs only warnings; and every command
  // loaded the flows and the vocabulary, which only a turn of a conversation needs.
  it.each([
    ['staff', 'list'],
    ['audit', 'verify'],
    ['dead-letters', 'list'],
  ])('starts no worker thread and loads neither pino-pretty nor a flow for `%s %s`', (...args) => {
    const run = loadedBy(args);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.files.filter((f) => f.startsWith('worker:'))).toEqual([]);
    expect(packages(run.files)).not.toContain('pino-pretty');
    expect(run.files.filter((f) => f.includes('/flows/'))).toEqual([]);
  });

  it('records the sources it was built from, so the launcher runs it', () => {
    expect(buildState(ROOT, OUT).state).toBe('built');
    // The files read at run time came along: dashboard views and styles, the web chat's scripts.
    expect(readdirSync(join(OUT, 'src/http/dashboard/views')).some((f) => f.endsWith('.eta'))).toBe(true);
    expect(readdirSync(join(OUT, 'src/http/dashboard/public'))).toContain('dashboard.css');
    expect(readdirSync(join(OUT, 'bots/web/public')).length).toBeGreaterThan(0);
  });

  it('serves from the build and stops cleanly on SIGTERM, the port closed after', async () => {
    const service = await spawnService(process.execPath, [MAIN, 'serve'], {
      DATABASE_URL: sqliteUrl(),
      DATA_DIR: resolve('data'),
    });
    expect(await service.ready(180_000), service.output()).toBe(200);
    service.child.kill('SIGTERM');
    expect(await service.exited, service.output()).toBe(0);
    expect(service.output()).toContain('is running as one process');
    expect(service.output()).toContain('stopping');
    expect(await isReachable(service.url)).toBe(false);
  });
});

describe('the launcher never runs a stale build', () => {
  /** A tree with sources and a build record made from them. */
  function builtTree(): { root: string; out: string } {
    const root = mkdtempSync(join(tmpdir(), 'spreekuur-tree-'));
    mkdirSync(join(root, 'src/cli'), { recursive: true });
    writeFileSync(join(root, 'src/cli/main.ts'), 'export {};\n');
    // A whole second, so that a test can put the very same time back.
    utimesSync(join(root, 'src/cli/main.ts'), 1_700_000_000, 1_700_000_000);
    const out = join(root, 'dist');
    mkdirSync(out);
    writeFileSync(
      join(out, BUILD_INFO),
      JSON.stringify({ sources: sourceFingerprint(root), stamps: sourceStamps(root) }),
    );
    return { root, out };
  }

  it('runs a build made from the current sources, and none when there is none', () => {
    const { root, out } = builtTree();
    expect(buildState(root, out).state).toBe('built');
    expect(buildState(root, join(root, 'no-build')).state).toBe('absent');
  });

  it('runs a build that has no sources beside it (the container image ships only dist/)', () => {
    const { root, out } = builtTree();
    rmSync(join(root, 'src'), { recursive: true });
    expect(buildState(root, out).state).toBe('built');
  });

  it.each([
    [
      'a source edited',
      (root: string) => writeFileSync(join(root, 'src/cli/main.ts'), 'export const x = 1;\n'),
    ],
    ['a source added', (root: string) => writeFileSync(join(root, 'src/cli/new.ts'), 'export {};\n')],
    ['a source removed', (root: string) => rmSync(join(root, 'src/cli/main.ts'))],
    [
      'a flow added',
      (root: string) => {
        mkdirSync(join(root, 'flows'));
        writeFileSync(join(root, 'flows/new.ts'), 'export {};\n');
      },
    ],
    [
      // Same size, and the file time set back: only the change time (which no tool sets back) tells.
      'a source edited to the same length with its modification time put back',
      (root: string) => {
        const path = join(root, 'src/cli/main.ts');
        const before = statSync(path, { bigint: true });
        writeFileSync(path, 'export {} \n');
        utimesSync(path, 1_700_000_000, 1_700_000_000);
        const after = statSync(path, { bigint: true });
        expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
      },
    ],
  ])('calls the build stale after %s', (_what, change) => {
    const { root, out } = builtTree();
    change(root);
    expect(buildState(root, out).state).toBe('stale');
  });

  it('runs a build whose sources were rewritten with the same contents (a checkout), by their hash', () => {
    const { root, out } = builtTree();
    writeFileSync(join(root, 'src/cli/main.ts'), 'export {};\n');
    const recorded = JSON.parse(readFileSync(join(out, BUILD_INFO), 'utf8')) as { stamps: string };
    expect(sourceStamps(root)).not.toBe(recorded.stamps);
    expect(buildState(root, out).state).toBe('built');
  });

  it('runs a build recorded without stamps (made before they were kept) by its hash', () => {
    const { root, out } = builtTree();
    writeFileSync(join(out, BUILD_INFO), JSON.stringify({ sources: sourceFingerprint(root) }));
    expect(buildState(root, out).state).toBe('built');
  });

  it("runs a stale build's sources with one line on stderr, which SPREEKUUR_STALE_BUILD=quiet leaves out", () => {
    // The launcher itself in a small tree: its sources and its build each print which one ran.
    const { root, out } = builtTree();
    mkdirSync(join(root, 'bin'));
    for (const file of ['spreekuur.mjs', 'built.mjs'])
      writeFileSync(join(root, 'bin', file), readFileSync(join(ROOT, 'bin', file)));
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'src/cli/main.ts'), "process.stdout.write('sources\\n');\n");
    mkdirSync(join(out, 'src/cli'), { recursive: true });
    writeFileSync(join(out, 'src/cli/main.js'), "process.stdout.write('built\\n');\n");
    // The build record of these sources: the launcher runs the build.
    writeFileSync(
      join(out, BUILD_INFO),
      JSON.stringify({ sources: sourceFingerprint(root), stamps: sourceStamps(root) }),
    );
    const { SPREEKUUR_STALE_BUILD: _quiet, ...env } = process.env;
    const launch = (extra: Record<string, string> = {}) =>
      spawnSync(process.execPath, [join(root, 'bin/spreekuur.mjs')], {
        cwd: root,
        env: { ...env, ...extra },
        encoding: 'utf8',
      });

    expect(launch()).toMatchObject({ status: 0, stdout: 'built\n', stderr: '' });

    writeFileSync(join(root, 'src/cli/main.ts'), "process.stdout.write('sources, edited\\n');\n");
    expect(launch()).toMatchObject({
      status: 0,
      stdout: 'sources, edited\n',
      stderr: 'dist/ is older than the sources, so they run through tsx: run `npm run build` again.\n',
    });
    expect(launch({ SPREEKUUR_STALE_BUILD: 'quiet' })).toMatchObject({
      status: 0,
      stdout: 'sources, edited\n',
      stderr: '',
    });
  });
});
