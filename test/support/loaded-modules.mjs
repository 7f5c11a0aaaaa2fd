// Preloaded with `node --import` to record which files a process loads: every module Node's ESM
// loader loads (from its hooks thread) and, at exit, every CommonJS module `require` loaded. Each is a
// line of LOADED_MODULES_FILE. Each worker thread started is a line `worker:<its script>`. For tests
// that prove a command leaves heavy libraries unloaded and starts no second Node in a thread.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import workerThreads from 'node:worker_threads';

const file = process.env.LOADED_MODULES_FILE;
if (file) {
  register('./loaded-modules-hooks.mjs', import.meta.url);
  const require = createRequire(import.meta.url);
  // Libraries take `Worker` from the module when they load, so it is replaced before any of them.
  const { Worker } = workerThreads;
  workerThreads.Worker = class RecordedWorker extends Worker {
    constructor(script, options) {
      appendFileSync(file, `worker:${String(script)}\n`);
      super(script, options);
    }
  };
  process.on('exit', () => {
    const paths = Object.keys(require.cache).map((path) => `file://${path}`);
    appendFileSync(file, `${paths.join('\n')}\n`);
  });
}
