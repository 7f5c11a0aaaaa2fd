// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers and the direction of their imports (docs/architecture.md):
 * `bots → engine ← flows`, `engine, dashboards → features → ports ← storage, queue`.
 * Each entry is a pattern a layer may not import, with why.
 */
const forbid = {
  chatSdks: {
    group: ['telegraf', 'telegraf/*', 'whatsapp-web.js', 'whatsapp-web.js/*'],
    message: 'Only bots/ talks to chat SDKs.',
  },
  typeorm: { group: ['typeorm', 'typeorm/*'], message: 'Only src/storage/ (repositories) touches TypeORM.' },
  bullmq: { group: ['bullmq', 'bullmq/*'], message: 'Only the BullMQ queue driver imports bullmq.' },
  zod: {
    group: ['zod', 'zod/*'],
    message: 'Import z from src/shared/zod.ts, which sets zod up for schemas checked once at start.',
  },
  nodemailer: {
    group: ['nodemailer', 'nodemailer/*'],
    message: 'Only src/mail/ (the mailer port) talks SMTP.',
  },
  storage: {
    group: ['**/storage/**'],
    message: 'Use a port (src/ports/); only the composition root knows storage.',
  },
  queue: {
    group: ['**/src/queue/**', '../queue/**', '../../queue/**'],
    message: 'Use the queue port (src/ports/queue.ts).',
  },
  bots: { group: ['**/bots/**'], message: 'Channels are adapters; the core knows only the channel port.' },
  app: {
    group: ['**/app/**'],
    message: 'Nothing imports the composition root (src/app/); it imports everything.',
  },
  cli: { group: ['**/cli/**'], message: 'The CLI is an edge; nothing imports it.' },
  http: { group: ['**/http/**'], message: 'HTTP is an edge; the core does not know it.' },
  engine: {
    group: ['**/engine/**'],
    message: 'Features reach conversations through the Notifier port, not the engine.',
  },
  features: { group: ['**/features/**'], message: 'This layer sits below the features.' },
  flows: { group: ['**/flows/**'], message: 'Only the composition root wires the flows.' },
};

/** `no-restricted-imports` for one layer (a later config replaces an earlier one for a file). */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
/** Everything a layer may not import but the groups it may: each layer below names only what it may use. */
const allExcept = (...allowed) =>
  restrict(
    ...Object.entries(forbid)
      .filter(([name]) => !allowed.includes(name))
      .map(([, entry]) => entry),
  );

export default tseslint.config(
  // bin/ and bench/*.mjs are plain JavaScript launchers that run before (or without) any transpiling.
  {
    ignores: [
      'node_modules/**',
      'var/**',
      'coverage/**',
      'dist/**',
      'bin/**',
      'bench/*.mjs',
      // Preloaded into plain node by tests, so plain JavaScript.
      'test/support/*.mjs',
      '.puppeteerrc.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      ...restrict(forbid.chatSdks, forbid.typeorm, forbid.bullmq, forbid.nodemailer, forbid.zod),
    },
  },
  { files: ['bots/**/*.ts'], rules: allExcept('chatSdks', 'bots', 'http', 'engine') },
  { files: ['src/storage/**/*.ts'], rules: allExcept('typeorm', 'storage', 'features') },
  { files: ['src/queue/**/*.ts'], rules: allExcept('bullmq', 'queue') },
  { files: ['src/mail/**/*.ts'], rules: allExcept('nodemailer') },
  { files: ['src/engine/**/*.ts'], rules: allExcept('engine') },
  { files: ['src/features/**/*.ts'], rules: allExcept('features') },
  {
    files: [
      'src/ports/**/*.ts',
      'src/shared/**/*.ts',
      'src/municipality/**/*.ts',
      'src/i18n/**/*.ts',
      'src/config/**/*.ts',
      'src/understanding/**/*.ts',
    ],
    rules: allExcept(),
  },
  { files: ['src/shared/zod.ts'], rules: allExcept('zod') },
  { files: ['src/http/**/*.ts'], rules: allExcept('http', 'engine', 'features') },
  {
    // Flows are pure: they name services (typed, through `call`), never reach past the engine's types.
    files: ['flows/**/*.ts'],
    rules: {
      ...allExcept('engine', 'features', 'flows'),
      // No casts: service results, event payloads and flow data are typed, so a cast only hides a lie.
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The web chat's and the dashboard's browser scripts: plain scripts, no build step.
    files: ['bots/web/public/**/*.js', 'src/http/dashboard/public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'fetch',
          'URL',
          'URLSearchParams',
          'WebSocket',
          'EventSource',
          'CSS',
          'crypto',
          'setTimeout',
          'clearTimeout',
          '__WIDGET_CONFIG__',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
