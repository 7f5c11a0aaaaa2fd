// Preloaded with `node --import` to record which files a process loads: every module Node's ESM
// loader loads (from its hooks thread) and, at exit, every CommonJS module `require` loaded. Each is a
// line of LOADED_MODULES_FILE. For tests that prove a command leaves heavy libraries unloaded.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.LOADED_MODULES_FILE;
if (file) {
  register('./loaded-modules-hooks.mjs', import.meta.url);
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const paths = Object.keys(require.cache).map((path) => `file://${path}`);
    appendFileSync(file, `${paths.join('\n')}\n`);
  });
}
