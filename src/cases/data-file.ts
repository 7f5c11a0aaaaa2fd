import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../shared/errors.js';

/** Reads a JSON file; a missing or malformed file is a ConfigError naming the file. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Data error: ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(`Data error: ${file}: not valid JSON (${oneLine((error as Error).message)})`);
  }
}

/** Checks `value` against `schema`; the first problem becomes a one-line ConfigError: file, field, what. */
export function parseDataFile<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? fieldPath(issue.path) : '';
  throw new ConfigError(
    `Data error: ${file}: ${field || '(top level)'}: ${oneLine(issue?.message ?? 'invalid')}`,
  );
}

/** Throws the same one-line ConfigError for a problem found after the schema passed. */
export function dataError(file: string, field: string, message: string): ConfigError {
  return new ConfigError(`Data error: ${file}: ${field}: ${message}`);
}

/** `['rules', 3, 'assign', 'id']` → `rules[3].assign.id`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
