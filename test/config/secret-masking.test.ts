import { describe, expect, it } from 'vitest';
import { configSchema, isSecretSetting, maskPassword, parseConfig } from '../../src/config/config.js';

const LEAK = 'leakmarker';
const names = Object.keys(configSchema.shape);

/** The first of some wrong values that the setting refuses, with the message it gave. */
function refusal(name: string, values: string[], base: Record<string, string> = {}): string {
  for (const value of values) {
    try {
      parseConfig({ ...base, [name]: value });
    } catch (error) {
      return (error as Error).message;
    }
  }
  throw new Error(`${name} accepted every wrong value`);
}

describe('a configuration error never prints a secret', () => {
  const secrets = names.filter(isSecretSetting);

  it('knows every secret setting', () => {
    expect(secrets).toEqual(
      expect.arrayContaining([
        'TELEGRAM_BOT_TOKEN',
        'TELEGRAM_WEBHOOK_SECRET',
        'WHATSAPP_CLOUD_TOKEN',
        'WHATSAPP_CLOUD_APP_SECRET',
        'WHATSAPP_CLOUD_VERIFY_TOKEN',
        'WEBCHAT_COOKIE_SECRET',
        'DASHBOARD_COOKIE_SECRET',
        'OIDC_CLIENT_SECRET',
        'AUDIT_SECRET',
        'LOG_PSEUDONYM_KEY',
        'METRICS_TOKEN',
      ]),
    );
  });

  it.each(secrets)('%s: names the variable and what is wrong, never the value', (name) => {
    // The OpenID secret is checked once its issuer and client are set.
    const base: Record<string, string> =
      name === 'OIDC_CLIENT_SECRET'
        ? { OIDC_ISSUER: 'https://idp.example.nl', OIDC_CLIENT_ID: 'spreekuur' }
        : {};
    const message = refusal(name, [`${LEAK} with spaces`, `${LEAK}:`, `${LEAK}${'x'.repeat(2100)}`], base);
    expect(message).toMatch(new RegExp(`^Configuration error: ${name}: \\S`));
    expect(message).not.toContain(LEAK);
    expect(message).not.toContain('got');
  });

  // Every setting that holds an address may carry user:password in it.
  const addresses = names.filter((name) => /_URL$|_ROOT$|ISSUER$/.test(name));
  const withPasswords = [
    `ftp://user:${LEAK}@host/x`,
    `ftp://:${LEAK}@host`,
    `ftp://user:a/${LEAK}:b@host/x`,
    `ftp://${LEAK}@host`,
  ];

  it.each(addresses)('%s: a wrong address is shown with its user and password masked', (name) => {
    expect(addresses.length).toBeGreaterThanOrEqual(6);
    for (const value of withPasswords) {
      const message = refusal(name, [value]);
      expect(message, value).toMatch(new RegExp(`^Configuration error: ${name}: `));
      expect(message, value).not.toContain(LEAK);
      expect(message, value).toContain('***@host');
    }
  });

  it('masks the OpenID issuer too when it is refused after the first check', () => {
    const message = refusal('OIDC_ISSUER', [`http://admin:${LEAK}@idp.example.nl`], {
      OIDC_CLIENT_ID: 'spreekuur',
      OIDC_CLIENT_SECRET: 'a-client-secret',
    });
    expect(message).toBe(
      'Configuration error: OIDC_ISSUER: expected an https:// address (got "http://***@idp.example.nl")',
    );
  });

  it('masks user information in any URL form', () => {
    expect(maskPassword('redis://:s3cr@t/x@cache:6379/0')).toBe('redis://***@cache:6379/0');
    expect(maskPassword('postgres://app:p@ss@db:5432/spreekuur')).toBe('postgres://***@db:5432/spreekuur');
    expect(maskPassword('postgres://db:5432/spreekuur')).toBe('postgres://db:5432/spreekuur');
    expect(maskPassword('sqlite:./var/x.db')).toBe('sqlite:./var/x.db');
  });
});
