#!/usr/bin/env node
// `npm run build [-- --out <dir>]`: compiles src, bots and flows to JavaScript (tsc, tsconfig.build.json),
// copies the files they read at run time (dashboard views and styles, the web chat's files), and
// records the fingerprint of the sources it compiled. It builds in a folder beside the target and
// swaps it in at the end, so a running `spreekuur` never sees half a build.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_INFO, SOURCE_DIRS, sourceFingerprint, sourceStamps } from './built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const out = resolve(root, outFlag > 0 ? (process.argv[outFlag + 1] ?? '') : 'dist');
const work = `${out}.building-${process.pid}`;

// Taken before compiling: a source edited during the build makes this build stale, not silently current.
const stamps = sourceStamps(root);
const sources = sourceFingerprint(root);
rmSync(work, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(
  process.execPath,
  [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', work],
  {
    stdio: 'inherit',
  },
);
if (compiled.status !== 0) {
  rmSync(work, { recursive: true, force: true });
  process.exit(compiled.status ?? 1);
}
for (const dir of SOURCE_DIRS) copyAssets(join(root, dir), join(work, dir));
writeFileSync(
  join(work, BUILD_INFO),
  `${JSON.stringify({ sources, stamps, builtAt: new Date().toISOString() })}\n`,
);
rmSync(out, { recursive: true, force: true });
renameSync(work, out);
process.stdout.write(`built ${out}\n`);

/** Copies every file that is not TypeScript or a README (views, styles, browser scripts). */
function copyAssets(from, to) {
  if (!existsSync(from)) return;
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) copyAssets(source, join(to, entry.name));
    else if (!entry.name.endsWith('.ts') && entry.name !== 'README.md') cpSync(source, join(to, entry.name));
  }
}
