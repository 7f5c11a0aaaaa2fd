import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { z } from '../shared/zod.js';
import { dataError, parseDataFile, readJsonFile } from '../shared/data-file.js';

/** The municipality's look in the dashboard and the web chat: design tokens and a logo. */
export interface Theme {
  /** `.utrecht-theme { --name: value; … }` built from data/theme.json. */
  css: string;
  logo: { body: Buffer; contentType: string; extension: string; alt: { nl: string; en: string } };
}

const LOGO_TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png' };
const MAX_LOGO_BYTES = 200_000;
const TOKEN_NAME = /^[a-z][a-z0-9-]*$/;

// A token value goes into a style sheet: nothing that could end the declaration or the rule.
const tokenValue = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^;{}<>\\]*$/, 'a CSS value without ; { } < > or \\');

const themeSchema = z.object({
  logo: z.object({
    file: z.string().min(1),
    alt: z.object({ nl: z.string().min(1), en: z.string().min(1) }),
  }),
  tokens: z.record(z.string(), tokenValue),
});

/** Reads and checks data/theme.json and its logo; a problem stops start-up with the file and field. */
export function loadTheme(dataDir: string): Theme {
  const file = join(dataDir, 'theme.json');
  const data = parseDataFile(themeSchema, readJsonFile(file), file);
  for (const name of Object.keys(data.tokens))
    if (!TOKEN_NAME.test(name))
      throw dataError(file, ['tokens', name], 'a token name: lower case, digits and -');
  const logoPath = resolve(dataDir, data.logo.file);
  if (!logoPath.startsWith(resolve(dataDir) + sep))
    throw dataError(file, 'logo.file', 'must be a file inside the data folder');
  const contentType = LOGO_TYPES[extname(logoPath).toLowerCase()];
  if (!contentType) throw dataError(file, 'logo.file', 'must be an .svg or .png file');
  if (!existsSync(logoPath)) throw dataError(file, 'logo.file', `${data.logo.file} does not exist`);
  if (statSync(logoPath).size > MAX_LOGO_BYTES)
    throw dataError(file, 'logo.file', `must be at most ${MAX_LOGO_BYTES / 1000} kB`);
  const declarations = Object.entries(data.tokens).map(([name, value]) => `  --${name}: ${value};`);
  return {
    css: `.utrecht-theme {\n${declarations.join('\n')}\n}\n`,
    logo: {
      body: readFileSync(logoPath),
      contentType,
      extension: extname(logoPath).toLowerCase(),
      alt: data.logo.alt,
    },
  };
}
