import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { unitTests } from '../layers.js';

/**
 * The unit layer stays fast and needs nothing running: none of its files may reach storage, a queue,
 * the composition root, HTTP, a process or a socket, or the test support that probes PostgreSQL and
 * Redis. Only static imports count: a helper may load storage lazily inside a function that only
 * integration tests call (as test/scheduling/fixtures.ts does).
 */
const forbiddenFolders = [
  'src/storage/',
  'src/queue/',
  'src/app/',
  'src/http/',
  'src/cli/',
  'bots/telegram/',
];
const forbiddenFiles = [
  'test/support/services.ts',
  'test/support/app-driver.ts',
  'test/support/private-redis.ts',
  'test/support/net.ts',
  'test/support/browser.ts',
];
const forbiddenPackages = [
  'typeorm',
  'pg',
  'better-sqlite3',
  'bullmq',
  'ioredis',
  'fastify',
  'telegraf',
  'whatsapp-web.js',
  'playwright-core',
  'node:child_process',
  'node:net',
  'node:http',
];

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

/** A vitest include pattern as a regular expression (`**` any folders, `*` within one name). */
function patternOf(glob: string): RegExp {
  const escape = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const inName = (part: string) => part.split('*').map(escape).join('[^/]*');
  return new RegExp(`^${glob.split('**/').map(inName).join('(?:.+/)?')}$`);
}

/** The module names a file imports or re-exports statically (not `import()` inside functions). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  return source.statements.flatMap((s) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
    s.moduleSpecifier &&
    ts.isStringLiteral(s.moduleSpecifier) &&
    !(ts.isImportDeclaration(s) && s.importClause?.isTypeOnly)
      ? [s.moduleSpecifier.text]
      : [],
  );
}

/** The repository file a relative import names (`.js` in the import, `.ts` on disk). */
function resolve(from: string, spec: string): string | undefined {
  const base = relative('.', normalize(join(dirname(from), spec)));
  return [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')].find(
    (p) => existsSync(p) && statSync(p).isFile(),
  );
}

/** Every forbidden thing a file reaches through static imports, as "chain → what". */
function violations(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    if (forbiddenFolders.some((f) => file.startsWith(f)) || forbiddenFiles.includes(file)) {
      found.push(chain.join(' → '));
      return;
    }
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) {
        const target = resolve(file, spec);
        if (target) visit(target, [...chain, target]);
      } else if (forbiddenPackages.includes(spec)) found.push([...chain, spec].join(' → '));
    }
  };
  visit(entry, [entry]);
  return found;
}

const patterns = unitTests.map(patternOf);
const unitFiles = allFiles('test').filter((f) => patterns.some((p) => p.test(f)));

describe('the unit layer', () => {
  it('reads the include patterns as vitest does', () => {
    expect(patternOf('test/unit/**/*.test.ts').test('test/unit/state.test.ts')).toBe(true);
    expect(patternOf('test/unit/**/*.test.ts').test('test/unit/deep/a.test.ts')).toBe(true);
    expect(patternOf('test/cases/routing.test.ts').test('test/cases/routing-queue.test.ts')).toBe(false);
    expect(unitFiles).toContain('test/unit/test-layers.test.ts');
  });

  it('finds a forbidden import through a helper', () => {
    // The integration tests' scheduling fixture reaches storage only lazily; the concurrency test directly.
    expect(violations('test/scheduling/fixtures.ts')).toEqual([]);
    expect(violations('test/scheduling/booking-concurrency.test.ts').length).toBeGreaterThan(0);
  });

  it.each(unitFiles)('%s needs no database, queue, network or process', (file) => {
    expect(violations(file)).toEqual([]);
  });

  // The unit project runs without per-file isolation (vitest.config.ts): a test that mocks a module
  // or changes globals would leak into the next file in the same worker.
  it.each(unitFiles)('%s changes no module, global or environment', (file) => {
    const text = readFileSync(file, 'utf8');
    const leaks =
      /\bvi\.(mock|doMock|stubGlobal|stubEnv|useFakeTimers|spyOn)\(|process\.env(\.\w+|\[[^\]]+\])\s*=[^=]/g;
    expect([...text.matchAll(leaks)].map((m) => m[0])).toEqual([]);
  });
});
