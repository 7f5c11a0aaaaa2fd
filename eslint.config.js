// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Paths a layer may not import, with why; keeps the dependency direction of STYLE.md. */
const chatSdks = {
  group: ['telegraf', 'telegraf/*', 'whatsapp-web.js', 'whatsapp-web.js/*'],
  message: 'Only bots/ talks to chat SDKs.',
};
const typeorm = {
  group: ['typeorm', 'typeorm/*'],
  message: 'Only src/storage/ (repositories) touches TypeORM.',
};
const bullmq = { group: ['bullmq', 'bullmq/*'], message: 'Only the BullMQ queue driver imports bullmq.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'var/**', 'coverage/**', 'bin/**', '.puppeteerrc.cjs'] },
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
      'no-restricted-imports': ['error', { patterns: [chatSdks, typeorm, bullmq] }],
    },
  },
  {
    files: ['bots/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [typeorm, bullmq] }] },
  },
  {
    files: ['src/storage/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [chatSdks, bullmq] }] },
  },
  {
    files: ['src/queue/bullmq-*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [chatSdks, typeorm] }] },
  },
  {
    // The engine and the flows know nothing of storage, queues or chat SDKs.
    files: ['src/engine/**/*.ts', 'flows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            chatSdks,
            typeorm,
            bullmq,
            {
              group: ['**/storage/**', '**/queue/**', '**/bots/**'],
              message: 'The engine and flows use ports, not adapters.',
            },
          ],
        },
      ],
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
);
