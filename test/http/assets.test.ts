import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetsRoute } from '../../src/http/assets-route.js';
import { buildHttpServer } from '../../src/http/server.js';
import { loadTheme } from '../../src/municipality/theme.js';

/** A copy of data/ with theme.json replaced, to test what a municipality's own file does. */
function dataWithTheme(theme: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-theme-'));
  cpSync('data', dir, { recursive: true });
  writeFileSync(join(dir, 'theme.json'), JSON.stringify(theme));
  return dir;
}

const logo = { file: 'theme/logo.svg', alt: { nl: 'Gemeente', en: 'Municipality' } };

describe('the municipality theme', () => {
  it('turns data/theme.json into design tokens on .utrecht-theme', () => {
    const theme = loadTheme('data');
    expect(theme.css).toMatch(/^\.utrecht-theme \{\n/);
    expect(theme.css).toContain('  --utrecht-button-primary-action-background-color: #005a4f;');
    expect(theme.logo.contentType).toBe('image/svg+xml');
  });

  it.each([
    [{ logo, tokens: { 'Bad Name': '#fff' } }, /theme\.json: tokens\.Bad Name: .*token name/],
    [{ logo, tokens: { 'utrecht-x': 'red; } body { display: none' } }, /tokens\.utrecht-x: a CSS value/],
    [{ logo: { ...logo, file: '../package.json' }, tokens: {} }, /logo\.file: must be a file inside/],
    [
      { logo: { ...logo, file: 'theme/missing.svg' }, tokens: {} },
      /logo\.file: theme\/missing\.svg does not exist/,
    ],
    [{ logo: { ...logo, file: 'municipality.json' }, tokens: {} }, /logo\.file: must be an \.svg or \.png/],
  ])('refuses a broken theme with one line naming the field (%#)', (theme, message) => {
    expect(() => loadTheme(dataWithTheme(theme))).toThrow(message);
  });

  it('serves the component styles, the theme and the logo', async () => {
    const server = buildHttpServer({
      health: () => Promise.reject(new Error('not asked')),
      routes: [assetsRoute(loadTheme('data'))],
    });
    const nlds = await server.inject('/assets/nlds.css');
    expect(nlds.statusCode).toBe(200);
    expect(nlds.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(nlds.body).toContain('.utrecht-button');
    const theme = await server.inject('/assets/theme.css');
    expect(theme.body).toContain('--utrecht-link-color: #005a4f;');
    const svg = await server.inject('/assets/logo.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    // The logo's own policy (styles inside the SVG), not the server-wide one (regression: it was overwritten).
    expect(svg.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(theme.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    await server.close();
  });
});
