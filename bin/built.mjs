// Which code `spreekuur` runs: the compiled JavaScript in dist/ (npm run build) while it was built from
// exactly the sources in the repository, else the TypeScript sources through tsx. Plain JavaScript, so
// that deciding costs no transpiling.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The folders compiled into dist/, relative to the repository. */
export const SOURCE_DIRS = ['src', 'bots', 'flows'];

/** The build's record of what it was compiled from, inside the output folder. */
export const BUILD_INFO = 'build.json';

/** Every file under the source folders, relative to `root`, in a fixed order. */
function sourceFiles(root) {
  const files = [];
  // Paths are built relative as the walk goes: path.relative per file (it resolves both paths) cost
  // each start of `spreekuur` some 15 ms, more than reading every file's stamp.
  const walk = (dir) => {
    const entries = readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      const path = `${dir}${sep}${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(dir);
  return files;
}

/**
 * A fingerprint of every file under the source folders: paths and contents, so an edited, added,
 * removed or renamed file changes it, and a `git checkout` that only touches file times does not.
 */
export function sourceFingerprint(root) {
  const hash = createHash('sha256');
  for (const file of sourceFiles(root))
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

/**
 * A cheap stand-in for the fingerprint: paths, sizes and change times, read without opening a file.
 * Writing a file changes its ctime (which no tool sets back), so equal stamps mean unchanged sources;
 * different stamps (a checkout that rewrote a file with the same text) only mean "hash to be sure".
 */
export function sourceStamps(root) {
  const hash = createHash('sha256');
  for (const file of sourceFiles(root)) {
    const stat = statSync(join(root, file), { bigint: true });
    hash.update(`${file}\0${stat.size}\0${stat.mtimeNs}\0${stat.ctimeNs}\0${stat.ino}\0`);
  }
  return hash.digest('hex');
}

/**
 * `{ state: 'built' }` when `outDir` holds a finished build of the current sources, or a build with no
 * sources beside it (the container image ships only dist/); `'absent'` when there is none (a fresh
 * clone); `'stale'` when the sources changed since it was built, which must never run silently.
 * Unchanged stamps spare hashing every source at each start; changed stamps fall back to the contents.
 */
export function buildState(root, outDir) {
  let info;
  try {
    info = JSON.parse(readFileSync(join(outDir, BUILD_INFO), 'utf8'));
  } catch {
    return { state: 'absent' };
  }
  if (!SOURCE_DIRS.some((dir) => existsSync(join(root, dir)))) return { state: 'built' };
  if (typeof info?.stamps === 'string' && info.stamps === sourceStamps(root)) return { state: 'built' };
  return info?.sources === sourceFingerprint(root) ? { state: 'built' } : { state: 'stale' };
}
