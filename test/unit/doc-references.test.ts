import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A newcomer follows the documents' links and the configs' pointers to other documents; each must
 * lead somewhere. (Regression: eslint.config.js pointed at a STYLE.md the repository did not have.)
 */
const root = join(import.meta.dirname, '../..');
const markdown = [
  'README.md',
  'bots/README.md',
  ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`),
].filter((f) => f.endsWith('.md'));
const configs = ['eslint.config.js', 'vitest.config.ts', 'tsconfig.json', 'package.json', '.env.example'];

/** Relative link targets of a Markdown file, without anchors; web links and pure anchors left out. */
function links(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.split('#')[0]!)
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target));
}

/** Every `NAME.md` or `path/NAME.md` a config file mentions. */
function mentionedDocuments(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:[\w.-]+\/)*[\w.-]+\.md\b/g)].map((m) => m[0]);
}

describe('references between documents and configs', () => {
  it.each(markdown)('every relative link in %s leads to a file', (file) => {
    const missing = links(file).filter((target) => !existsSync(join(root, dirname(file), target)));
    expect(missing).toEqual([]);
  });

  it.each(configs)('every document %s mentions exists in the repository', (file) => {
    const missing = mentionedDocuments(file).filter((doc) => !existsSync(join(root, doc)));
    expect(missing).toEqual([]);
  });

  it('finds the links it checks (the check itself is not empty)', () => {
    expect(links('README.md')).toEqual(expect.arrayContaining(['docs/architecture.md', 'bots/README.md']));
    expect(mentionedDocuments('eslint.config.js')).toContain('docs/architecture.md');
  });
});
