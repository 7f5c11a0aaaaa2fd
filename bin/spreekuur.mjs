#!/usr/bin/env node
// The `spreekuur` command. Runs the compiled JavaScript in dist/ when `npm run build` made it from the
// current sources (fast: no transpiling), else the TypeScript sources through tsx, so that
// `npm install && npm start` needs no build step. A build older than the sources is never run: it
// says so on stderr and runs the sources (SPREEKUUR_STALE_BUILD=quiet leaves that line out: the test
// suite sets it, so that a developer's older dist/ does not fail the tests that read a command's
// stderr). Production runs `node dist/src/cli/main.js` directly.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildState } from './built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const { state } = buildState(root, dist);
if (state === 'built') {
  await import(pathToFileURL(join(dist, 'src/cli/main.js')).href);
} else {
  if (state === 'stale' && process.env.SPREEKUUR_STALE_BUILD !== 'quiet') {
    process.stderr.write(
      'dist/ is older than the sources, so they run through tsx: run `npm run build` again.\n',
    );
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
