import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/** Every TypeScript file under the given folders. */
function sources(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return path.endsWith('.ts') ? [path] : [];
    }),
  );
}

/** The folder a file belongs to as a unit of the architecture: `bots`, `flows`, `src/<x>`, `src/features/<x>`. */
function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') return parts[0] ?? file;
  if (parts[1] === 'features' && parts.length > 3) return `src/features/${parts[2]}`;
  return `src/${parts[1]}`;
}

/** Folder → folders it imports (relative imports only: packages are no part of the graph). */
function folderGraph(files: string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = unitOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = unitOf(relative('.', normalize(join(dirname(file), m[1] ?? ''))));
      if (target !== from) edges.add(target);
    }
  }
  return graph;
}

/** One cycle in the graph, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the architecture', () => {
  it('has no import cycle between folders (regression: flows ↔ the composition root)', () => {
    const graph = folderGraph(sources('src', 'bots', 'flows'));
    expect(graph.get('flows')).not.toContain('src/app');
    expect(findCycle(graph)).toBeUndefined();
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['flows', new Set(['src/app'])],
      ['src/app', new Set(['flows'])],
    ]);
    expect(findCycle(graph)).toEqual(['flows', 'src/app', 'flows']);
  });

  // The boundary rules are path-based and need no type information: lint fixtures as if they lived there.
  const eslint = new ESLint({ overrideConfig: [tseslint.configs.disableTypeChecked] });
  const lint = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
  };

  it.each([
    ['flows/fixture.ts', `import { createApp } from '../src/app/create-app.js';`, /composition root/],
    [
      'flows/fixture.ts',
      `import { Database } from '../src/storage/database.js';`,
      /only the composition root/,
    ],
    ['src/features/cases/fixture.ts', `import { Engine } from '../../engine/engine.js';`, /Notifier port/],
    ['src/features/cases/fixture.ts', `import { sql } from '../../storage/sql.js';`, /Use a port/],
    ['src/queue/fixture.ts', `import { Database } from '../storage/database.js';`, /Use a port/],
    ['src/storage/fixture.ts', `import { SqlJobQueue } from '../queue/sql-job-queue.js';`, /queue port/],
    [
      'src/engine/fixture.ts',
      `import { caseServices } from '../features/cases/services.js';`,
      /below the features/,
    ],
    [
      'src/ports/fixture.ts',
      `import type { Case } from '../features/cases/case-service.js';`,
      /below the features/,
    ],
    [
      'src/features/cases/fixture.ts',
      `import { Telegraf } from 'telegraf';`,
      /Only bots\/ talks to chat SDKs/,
    ],
    ['bots/telegram/fixture.ts', `import { DataSource } from 'typeorm';`, /Only src\/storage\//],
    ['src/engine/fixture.ts', `import { Queue } from 'bullmq';`, /Only the BullMQ queue driver/],
  ])('refuses a deliberate violation in %s: %s', async (file, code, message) => {
    const messages = await lint(file, `${code}\nexport {};\n`);
    expect(
      messages.some((m) => m.startsWith('no-restricted-imports') && message.test(m)),
      messages.join('\n'),
    ).toBe(true);
  });

  it('refuses a cast in a flow (service results, payloads and flow data are typed)', async () => {
    const code = `declare const result: { value: unknown };\nexport const view = result.value as { id: string };\n`;
    const messages = await lint('flows/fixture.ts', code);
    expect(messages.some((m) => m.startsWith('@typescript-eslint/consistent-type-assertions'))).toBe(true);
    expect(await lint('src/features/cases/fixture.ts', code)).toEqual([]);
  });

  it('lets the composition root import everything', async () => {
    const code = `import { flowSet } from '../../flows/index.js';\nimport { Database } from '../storage/database.js';\nexport { flowSet, Database };\n`;
    expect(await lint('src/app/fixture.ts', code)).toEqual([]);
  });
});
