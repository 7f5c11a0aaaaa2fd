// The loader hooks of loaded-modules.mjs: each module URL the ESM loader loads, one a line.
import { appendFileSync } from 'node:fs';

/** Records the URL, then loads as usual. */
export async function load(url, context, nextLoad) {
  appendFileSync(process.env.LOADED_MODULES_FILE ?? '/dev/null', `${url}\n`);
  return nextLoad(url, context);
}
