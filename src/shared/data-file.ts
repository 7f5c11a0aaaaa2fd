import { readFileSync } from 'node:fs';
import type { z } from './zod.js';
import { ConfigError } from './errors.js';

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
  throw new ConfigError(
    `Data error: ${file}: ${fieldPath(issue?.path ?? [])}: ${oneLine(issue?.message ?? 'invalid')}`,
  );
}

/** The same one-line ConfigError for a problem found after the schema passed (`field` as text or a path). */
export function dataError(
  file: string,
  field: string | readonly PropertyKey[],
  message: string,
): ConfigError {
  return new ConfigError(
    `Data error: ${file}: ${typeof field === 'string' ? field : fieldPath(field)}: ${message}`,
  );
}

/** `['rules', 3, 'assign', 'id']` → `rules[3].assign.id`; the empty path is the whole file. */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
