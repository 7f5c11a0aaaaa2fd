import { existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../shared/errors.js';

export type DatabaseTarget =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };

/**
 * Turns DATABASE_URL into a target. A relative SQLite path is ours to create (./var by default);
 * an absolute one belongs to the operator, so a missing folder there is a configuration error.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === ':memory:') return { kind: 'sqlite', file };
    const dir = dirname(resolve(file));
    if (!existsSync(dir)) {
      if (isAbsolute(file)) {
        throw new ConfigError(`Configuration error: DATABASE_URL: the folder ${dir} does not exist`);
      }
      // Only the service reads its database: the folder it makes is 0700 (the file is 0600, see Database).
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
    return { kind: 'sqlite', file };
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return schema
    ? { kind: 'postgres', url: parsed.toString(), schema }
    : { kind: 'postgres', url: parsed.toString() };
}
