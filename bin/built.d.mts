/** The folders compiled into dist/, relative to the repository. */
export const SOURCE_DIRS: readonly string[];
/** The build's record of what it was compiled from, inside the output folder. */
export const BUILD_INFO: string;
/** A fingerprint of every file under the source folders (paths and contents). */
export function sourceFingerprint(root: string): string;
/** A cheap stand-in for the fingerprint: paths, sizes and file times, no contents read. */
export function sourceStamps(root: string): string;
/** Whether `outDir` holds a build of exactly the current sources. */
export function buildState(root: string, outDir: string): { state: 'built' | 'stale' | 'absent' };
