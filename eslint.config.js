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
const {
  chatSdks,
  typeorm,
  bullmq,
  nodemailer,
  storage,
  queue,
  bots,
  app,
  cli,
  http,
  engine,
  features,
  flows,
} = forbid;

export default tseslint.config(
  { ignores: ['node_modules/**', 'var/**', 'coverage/**', 'dist/**', 'bin/**', '.puppeteerrc.cjs'] },
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
      ...restrict(chatSdks, typeorm, bullmq, nodemailer),
    },
  },
  {
    files: ['bots/**/*.ts'],
    rules: restrict(nodemailer, typeorm, bullmq, storage, queue, app, cli, flows, features),
  },
  {
    files: ['src/storage/**/*.ts'],
    rules: restrict(chatSdks, nodemailer, bullmq, queue, bots, app, cli, http, engine, flows),
  },
  {
    files: ['src/queue/**/*.ts'],
    rules: restrict(chatSdks, nodemailer, typeorm, storage, bots, app, cli, http, engine, features, flows),
  },
  {
    files: ['src/queue/bullmq-*.ts'],
    rules: restrict(chatSdks, nodemailer, typeorm, storage, bots, app, cli, http, engine, features, flows),
  },
  {
    files: ['src/mail/**/*.ts'],
    rules: restrict(chatSdks, typeorm, bullmq, storage, queue, bots, app, cli, http, engine, features, flows),
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: restrict(
      chatSdks,
      nodemailer,
      typeorm,
      bullmq,
      storage,
      queue,
      bots,
      app,
      cli,
      http,
      features,
      flows,
    ),
  },
  {
    files: ['src/features/**/*.ts'],
    rules: restrict(
      chatSdks,
      nodemailer,
      typeorm,
      bullmq,
      storage,
      queue,
      bots,
      app,
      cli,
      http,
      engine,
      flows,
    ),
  },
  {
    files: [
      'src/ports/**/*.ts',
      'src/shared/**/*.ts',
      'src/municipality/**/*.ts',
      'src/i18n/**/*.ts',
      'src/config/**/*.ts',
      'src/understanding/**/*.ts',
    ],
    rules: restrict(
      chatSdks,
      nodemailer,
      typeorm,
      bullmq,
      storage,
      queue,
      bots,
      app,
      cli,
      http,
      engine,
      features,
      flows,
    ),
  },
  {
    files: ['src/http/**/*.ts'],
    rules: restrict(chatSdks, nodemailer, typeorm, bullmq, storage, queue, bots, app, cli, flows),
  },
  {
    // Flows are pure: they name services (typed, through `call`), never reach past the engine's types.
    files: ['flows/**/*.ts'],
    rules: {
      ...restrict(chatSdks, nodemailer, typeorm, bullmq, storage, queue, bots, app, cli, http),
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
    // The web chat's browser scripts: plain scripts, no build step.
    files: ['bots/web/public/**/*.js'],
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
