import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileOffsetClock } from '../../src/app/test-clock.js';
import { configSchema, parseConfig, publicUrl } from '../../src/config/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'sqlite:./var/spreekuur.db',
      DATA_DIR: './data',
      DATABASE_CONNECT_TIMEOUT_SECONDS: 10,
      DATABASE_QUERY_TIMEOUT_SECONDS: 60,
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(parseConfig({ DATABASE_QUERY_TIMEOUT_SECONDS: '0' }).DATABASE_QUERY_TIMEOUT_SECONDS).toBe(0);
  });

  it.each([
    ['PORT', 'abc', /^Configuration error: PORT: expected a whole number from 1 to 65535 \(got "abc"\)$/],
    ['PORT', '70000', /PORT: expected a whole number/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: expected sqlite:<file> or postgres:/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: expected redis:\/\/host:port/],
    ['WHATSAPP_ENABLED', 'maybe', /WHATSAPP_ENABLED: expected true or false/],
    [
      'DATABASE_CONNECT_TIMEOUT_SECONDS',
      '0',
      /^Configuration error: DATABASE_CONNECT_TIMEOUT_SECONDS: expected a whole number of seconds, at least 1 \(got "0"\)$/,
    ],
    [
      'DATABASE_QUERY_TIMEOUT_SECONDS',
      '2.5',
      /^Configuration error: DATABASE_QUERY_TIMEOUT_SECONDS: expected a whole number of seconds \(0: no limit\) \(got "2\.5"\)$/,
    ],
    [
      'DATABASE_QUERY_TIMEOUT_SECONDS',
      '-1',
      /^Configuration error: DATABASE_QUERY_TIMEOUT_SECONDS: expected a whole number of seconds \(0: no limit\) \(got "-1"\)$/,
    ],
    [
      'WEBCHAT_ALLOWED_ORIGINS',
      'https://www.rijswijk.nl/chat',
      /WEBCHAT_ALLOWED_ORIGINS: expected comma-separated origins/,
    ],
    [
      'WEBCHAT_ALLOWED_ORIGINS',
      'ftp://rijswijk.nl',
      /WEBCHAT_ALLOWED_ORIGINS: expected comma-separated origins/,
    ],
  ])('names %s when it is %s', (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(message);
  });

  it('asks for a webhook secret when a webhook is set', () => {
    expect(() => parseConfig({ TELEGRAM_WEBHOOK_URL: 'https://x.nl/telegram/webhook' })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET/,
    );
  });

  it('asks for every Cloud API setting, and refuses both WhatsApp adapters at once', () => {
    const cloud = {
      WHATSAPP_CLOUD_ENABLED: 'true',
      WHATSAPP_CLOUD_TOKEN: 'EAAG0123456789abcdefghij',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: '109876543210',
      WHATSAPP_CLOUD_APP_SECRET: '0123456789abcdef0123',
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'a-verify-token-of-ours',
    };
    expect(parseConfig(cloud)).toMatchObject({
      WHATSAPP_CLOUD_API_ROOT: 'https://graph.facebook.com',
      WHATSAPP_CLOUD_API_VERSION: 'v23.0',
      WHATSAPP_CLOUD_MESSAGES_PER_SECOND: 80,
    });
    for (const name of Object.keys(cloud).slice(1))
      expect(() => parseConfig({ ...cloud, [name]: '' }), name).toThrow(
        new RegExp(`^Configuration error: ${name}: required when WHATSAPP_CLOUD_ENABLED is true$`),
      );
    expect(() => parseConfig({ ...cloud, WHATSAPP_ENABLED: 'true' })).toThrow(
      /^Configuration error: WHATSAPP_CLOUD_ENABLED: only one WhatsApp adapter at a time/,
    );
    expect(() => parseConfig({ ...cloud, WHATSAPP_CLOUD_API_VERSION: '23' })).toThrow(
      /WHATSAPP_CLOUD_API_VERSION: expected a Graph API version like v23.0/,
    );
    // A wrong secret is never echoed.
    expect(() => parseConfig({ ...cloud, WHATSAPP_CLOUD_APP_SECRET: 'short' })).toThrow(
      /^Configuration error: WHATSAPP_CLOUD_APP_SECRET: expected the app secret \(16 or more characters\)$/,
    );
  });

  it('reads the web chat allow-list as origins, and never echoes a wrong secret', () => {
    const config = parseConfig({
      WEBCHAT_ALLOWED_ORIGINS: 'https://www.Rijswijk.nl/, http://localhost:8080',
    });
    expect(config.WEBCHAT_ALLOWED_ORIGINS).toEqual(['https://www.rijswijk.nl', 'http://localhost:8080']);
    expect(parseConfig({}).WEBCHAT_ALLOWED_ORIGINS).toEqual([]);
    const short = 'too-short-but-still-secret';
    expect(() => parseConfig({ WEBCHAT_COOKIE_SECRET: short })).toThrow(
      /^Configuration error: WEBCHAT_COOKIE_SECRET: expected at least 32 characters$/,
    );
  });

  it('takes a test clock file only with NODE_ENV=test', () => {
    expect(parseConfig({ NODE_ENV: 'test', TEST_CLOCK_FILE: '/tmp/clock' }).TEST_CLOCK_FILE).toBe(
      '/tmp/clock',
    );
    for (const NODE_ENV of ['production', 'development', undefined])
      expect(() => parseConfig({ NODE_ENV, TEST_CLOCK_FILE: '/tmp/clock' }), NODE_ENV).toThrow(
        /^Configuration error: TEST_CLOCK_FILE: only for tests \(NODE_ENV=test\)/,
      );
  });

  it('runs the clock of a TEST_CLOCK_FILE ahead by the milliseconds in the file, read again as it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spreekuur-clock-'));
    try {
      const file = join(dir, 'offset');
      const clock = fileOffsetClock(file, 0);
      const near = (ahead: number) => {
        const real = Date.now();
        const diff = clock.now().getTime() - real - ahead;
        // A minute of slack: a busy machine may pause between the two readings.
        expect(diff >= 0 && diff < 60_000, `${diff} ms off ${ahead}`).toBe(true);
      };
      near(0); // no file yet: real time
      writeFileSync(file, String(7 * 24 * 60 * 60_000));
      near(7 * 24 * 60 * 60_000);
      writeFileSync(file, '12x'); // half written: the last offset holds
      near(7 * 24 * 60 * 60_000);
      writeFileSync(file, '');
      near(0);
      const cached = fileOffsetClock(file, 60_000);
      cached.now();
      writeFileSync(file, String(7 * 24 * 60 * 60_000));
      expect(cached.now().getTime() - Date.now()).toBeLessThan(60_000); // not read again within 60 s
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes links (calendar files, sign-in) from PUBLIC_URL, else from the port the service listens on', () => {
    expect(publicUrl(parseConfig({ PORT: '4567' }))).toBe('http://localhost:4567');
    expect(publicUrl(parseConfig({ PORT: '4567', PUBLIC_URL: 'https://spreekuur.rijswijk.nl/' }))).toBe(
      'https://spreekuur.rijswijk.nl',
    );
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const name of Object.keys(configSchema.shape))
      expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});

describe('a wrong setting at start-up', () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['bin/spreekuur.mjs', 'serve'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it.each([
    [{ PORT: 'abc' }, /^Configuration error: PORT: .*\n$/],
    [
      { DATABASE_URL: 'sqlite:/nonexistent-dir/x.db' },
      /^Configuration error: DATABASE_URL: the folder \/nonexistent-dir does not exist\n$/,
    ],
    [
      { DATA_DIR: 'test/fixtures/broken-data' },
      /^Data error: .*districts\.json: districts\[1\]\.postcodes\[0\]: expected NNNN/,
    ],
  ])('stops with one clear line and a non-zero exit: %j', (env, line) => {
    const run = start(env);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(line);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
