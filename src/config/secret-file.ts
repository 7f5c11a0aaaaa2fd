import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../shared/errors.js';

/**
 * A secret from the configuration, or else the one kept in `file`: made once (random, mode 0600)
 * and read again at every start, so cookies signed with it stay valid. It is never logged.
 */
export function secretFromFile(configured: string | undefined, file: string, name: string): string {
  if (configured) return configured;
  const path = resolve(file);
  if (existsSync(path)) {
    // A file copied in with a wider mode is narrowed: only the service reads its secrets.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    const kept = readFileSync(path, 'utf8').trim();
    if (kept.length < 32)
      throw new ConfigError(`Configuration error: ${name}: ${file} holds less than 32 characters`);
    return kept;
  }
  const made = randomBytes(48).toString('base64url');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // 'wx': two processes starting together never overwrite each other's secret.
  try {
    writeFileSync(path, `${made}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return secretFromFile(undefined, file, name);
    throw error;
  }
  return made;
}
