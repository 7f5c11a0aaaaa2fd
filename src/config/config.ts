import { isIP } from 'node:net';
import { z } from '../shared/zod.js';
import { ConfigError } from '../shared/errors.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z
  .string()
  .regex(/^\d+$/, 'expected a whole number from 1 to 65535')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, 'expected a whole number from 1 to 65535');

const positiveInt = z
  .string()
  .regex(/^\d+$/, 'expected a whole number')
  .transform(Number)
  .refine((n) => n > 0, 'expected a number above 0');

/** `telegram=25,whatsapp=20,*=10`: messages per second per channel (`*` any other channel). */
const channelRates = z.string().transform((value, ctx) => {
  const rates: Record<string, number> = {};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z*][a-z0-9-]*|\*)=(\d+(\.\d+)?)$/.exec(part);
    const rate = Number(match?.[2]);
    if (!match?.[1] || !(rate > 0)) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected channel=messages per second, e.g. telegram=25,whatsapp=20,*=10',
      });
      return z.NEVER;
    }
    rates[match[1]] = rate;
  }
  return rates;
});

const databaseUrl = z
  .string()
  .refine(
    (v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v),
    'expected sqlite:<file> or postgres://user@host:port/database',
  );

const redisUrl = z.string().refine((v) => /^rediss?:\/\/.+/.test(v), 'expected redis://host:port');

/** `smtp://` (STARTTLS when offered) or `smtps://` (TLS), with a host, optionally user:password and port. */
const smtpUrl = z.string().refine((v) => {
  try {
    const url = new URL(v);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'expected smtp://user:password@host:587 or smtps://user:password@host:465');

const emailAddress = z
  .string()
  .regex(
    /^(?:[^<>@\s]+ <[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/,
    'expected name@host or "Name <name@host>"',
  );

/**
 * A URL's user information replaced by *** (a configuration error never echoes a secret): a password,
 * an empty user with a password (`redis://:secret@host`) or a token as user name. Everything between
 * `//` and the last `@` before the path goes, so a password holding `/`, `:` or `@` goes too. A
 * mistyped scheme (`smtp//user:pw@host`, `smtp:/user:pw@host`) or none at all is masked the same way:
 * a wrong address is exactly when the error is shown.
 */
export function maskPassword(value: string): string {
  return value.replace(/^((?:[a-z][a-z0-9+.-]*:?)?\/*)[^?#]*@/i, (_all, scheme: string) => `${scheme}***@`);
}

/** Settings whose value is a secret: never echoed in an error, not even a wrong or masked one. */
export function isSecretSetting(name: string): boolean {
  return /(SECRET|TOKEN|KEY|PASSWORD)$/.test(name);
}

const originList = z.string().transform((value, ctx) => {
  const origins: string[] = [];
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(part);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash) {
      ctx.addIssue({
        code: 'custom',
        message: `expected comma-separated origins like https://www.gemeente.nl, not "${part}"`,
      });
      return z.NEVER;
    }
    origins.push(url.origin);
  }
  return origins;
});

/**
 * Which proxies may tell the client's address (X-Forwarded-For): a number of hops, or a list of
 * addresses, CIDR ranges and `loopback`, `linklocal`, `uniquelocal`. Unset, no header is believed.
 */
const trustProxy = z.string().transform((value, ctx) => {
  if (/^\d+$/.test(value) && Number(value) > 0) return Number(value);
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const named = ['loopback', 'linklocal', 'uniquelocal'];
  const valid = (part: string) => {
    const [address, bits, ...rest] = part.split('/');
    if (rest.length || !address) return false;
    const family = isIP(address);
    if (named.includes(part)) return true;
    if (family === 0) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  };
  const wrong = parts.find((part) => !valid(part));
  if (parts.length === 0 || wrong !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected a number of proxies, or addresses and ranges like 10.0.0.1,172.16.0.0/12,loopback',
    });
    return z.NEVER;
  }
  return parts.join(',');
});

const httpUrl = z.string().refine((v) => /^https?:\/\/.+/.test(v), 'expected an http(s):// address');

/** Every setting, its default, and how it is checked. `.env.example` documents the same list. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  TRUST_PROXY: trustProxy.optional(),
  PUBLIC_URL: httpUrl.optional(),
  DATABASE_URL: databaseUrl.default('sqlite:./var/spreekuur.db'),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z
    .string()
    .regex(/^[1-9]\d*$/, 'expected a whole number of seconds, at least 1')
    .transform(Number)
    .default(10),
  DATABASE_QUERY_TIMEOUT_SECONDS: z
    .string()
    .regex(/^\d+$/, 'expected a whole number of seconds (0: no limit)')
    .transform(Number)
    .default(60),
  REDIS_URL: redisUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROLE: z.enum(['all', 'web', 'worker', 'channels']).default('all'),
  QUEUE_CONCURRENCY: positiveInt.default(4),
  SESSION_IDLE_MINUTES: positiveInt.default(30),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(30),
  DEAD_LETTER_AFTER: positiveInt.default(3),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1 to 64 letters, digits, _ . or -')
    .default('spreekuur'),
  SWEEP_SECONDS: positiveInt.default(30),
  CANCEL_UNDO_SECONDS: z
    .string()
    .regex(/^\d+$/, 'expected a whole number of seconds (0: residents are told at once)')
    .transform(Number)
    .default(120),
  BROADCAST_PER_SECOND: channelRates.prefault('telegram=25,whatsapp=20,web=50,console=50,*=10'),
  UPDATES_PER_RESIDENT_PER_WEEK: positiveInt.default(3),
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, 'expected a Bot API token like 123456:ABC-def')
    .optional(),
  TELEGRAM_API_ROOT: httpUrl.optional(),
  TELEGRAM_WEBHOOK_URL: httpUrl.optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16 to 256 letters, digits, _ or -')
    .optional(),
  WHATSAPP_ENABLED: bool.default(false),
  WHATSAPP_SESSION_DIR: z.string().min(1).default('./var/whatsapp'),
  PUPPETEER_EXECUTABLE_PATH: z.string().min(1).default('/usr/bin/chromium'),
  WHATSAPP_CLOUD_ENABLED: bool.default(false),
  WHATSAPP_CLOUD_TOKEN: z
    .string()
    .regex(/^\S{20,}$/, 'expected an access token (20 or more characters)')
    .optional(),
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, 'expected the phone number id (digits)')
    .optional(),
  WHATSAPP_CLOUD_APP_SECRET: z
    .string()
    .regex(/^\S{16,}$/, 'expected the app secret (16 or more characters)')
    .optional(),
  WHATSAPP_CLOUD_VERIFY_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, 'expected 16 to 256 letters, digits or signs, no spaces')
    .optional(),
  WHATSAPP_CLOUD_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'expected a Graph API version like v23.0')
    .default('v23.0'),
  WHATSAPP_CLOUD_API_ROOT: httpUrl.default('https://graph.facebook.com'),
  WHATSAPP_CLOUD_MESSAGES_PER_SECOND: positiveInt.default(80),
  WEBCHAT_ENABLED: bool.default(true),
  WEBCHAT_ALLOWED_ORIGINS: originList.default([]),
  WEBCHAT_COOKIE_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  WEBCHAT_SECRET_FILE: z.string().min(1).default('./var/webchat-secret'),
  WEBCHAT_RATE_PER_MINUTE: positiveInt.default(60),
  WEBCHAT_ADDRESS_RATE_PER_MINUTE: positiveInt.default(300),
  DASHBOARD_ENABLED: bool.default(true),
  SMTP_URL: smtpUrl.optional(),
  SMTP_FROM: emailAddress.default('Spreekuur <spreekuur@localhost>'),
  DASHBOARD_COOKIE_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  DASHBOARD_SECRET_FILE: z.string().min(1).default('./var/dashboard-secret'),
  OIDC_ISSUER: httpUrl.optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  OIDC_ROLE_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'expected a claim name like spreekuur_role')
    .default('spreekuur_role'),
  OIDC_ROLE_MAP: z
    .string()
    .transform((text, ctx) => {
      try {
        const value: unknown = JSON.parse(text);
        if (
          value &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'string')
        )
          return value as Record<string, string>;
      } catch {
        // reported below
      }
      ctx.addIssue({
        code: 'custom',
        message:
          'expected a JSON object of claim value to role, like {"kcc":"operator","afval":"department:afval"}',
      });
      return z.NEVER;
    })
    .optional(),
  OIDC_BUTTON_LABEL: z.string().min(1).max(60).default('gemeente-account'),
  AUDIT_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  AUDIT_SECRET_FILE: z.string().min(1).default('./var/audit-secret'),
  LOG_PSEUDONYM_KEY: z.string().min(32, 'expected at least 32 characters').optional(),
  LOG_PSEUDONYM_KEY_FILE: z.string().min(1).default('./var/log-pseudonym-key'),
  TEST_CLOCK_FILE: z.string().min(1).optional(),
});

export type Config = z.output<typeof configSchema>;

/**
 * Reads the configuration from an environment; throws a ConfigError whose message is one line
 * naming the variable and what is wrong.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, v]) => key in configSchema.shape && v !== undefined && v !== ''),
  );
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? 'configuration');
    // A secret is never echoed, not even a wrong one.
    const raw = isSecretSetting(name) ? undefined : cleaned[name];
    const got = raw === undefined ? undefined : maskPassword(String(raw));
    throw new ConfigError(
      `Configuration error: ${name}: ${issue?.message ?? 'invalid'}${got === undefined ? '' : ` (got "${got}")`}`,
    );
  }
  const config = result.data;
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Configuration error: TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set',
    );
  }
  if (config.TEST_CLOCK_FILE && config.NODE_ENV !== 'test') {
    throw new ConfigError(
      'Configuration error: TEST_CLOCK_FILE: only for tests (NODE_ENV=test); remove it, the service keeps real time',
    );
  }
  checkWhatsAppCloud(config);
  checkOidc(config);
  return config;
}

/** The Cloud API needs all four of its secrets and ids, and only one WhatsApp adapter may run. */
function checkWhatsAppCloud(config: Config): void {
  if (!config.WHATSAPP_CLOUD_ENABLED) return;
  if (config.WHATSAPP_ENABLED) {
    throw new ConfigError(
      'Configuration error: WHATSAPP_CLOUD_ENABLED: only one WhatsApp adapter at a time; set WHATSAPP_ENABLED=false (whatsapp-web.js) or WHATSAPP_CLOUD_ENABLED=false',
    );
  }
  for (const name of [
    'WHATSAPP_CLOUD_TOKEN',
    'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
    'WHATSAPP_CLOUD_APP_SECRET',
    'WHATSAPP_CLOUD_VERIFY_TOKEN',
  ] as const) {
    if (!config[name])
      throw new ConfigError(`Configuration error: ${name}: required when WHATSAPP_CLOUD_ENABLED is true`);
  }
}

/** OpenID Connect sign-in needs its issuer, client id and secret together; a plain-http issuer only on loopback. */
function checkOidc(config: Config): void {
  const names = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  const given = names.filter((name) => config[name] !== undefined);
  if (given.length === 0) {
    if (config.OIDC_ROLE_MAP)
      throw new ConfigError(
        'Configuration error: OIDC_ROLE_MAP: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too',
      );
    return;
  }
  for (const name of names) {
    if (config[name] === undefined)
      throw new ConfigError(
        `Configuration error: ${name}: required for OpenID Connect sign-in (set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none of them)`,
      );
  }
  const issuer = new URL(config.OIDC_ISSUER!);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  if (issuer.protocol !== 'https:' && !loopback)
    throw new ConfigError(
      `Configuration error: OIDC_ISSUER: expected an https:// address (got "${maskPassword(config.OIDC_ISSUER!)}")`,
    );
}

/** The address residents' links (calendar files) point at. */
export function publicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
}
