import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { configSchema, parseConfig } from '../../src/config/config.js';
import { SERVICE_NODE_FLAGS } from '../../bin/service-flags.mjs';

/**
 * The Dockerfile and compose.yaml against the code: every variable they set is a setting the service
 * reads and its value passes the configuration's own checks; every role they start exists; the
 * image runs the build's output with plain node as a non-root user. Docker itself is not run: the
 * machines these tests run on have no container engine, so this checks the files, not a container.
 */

// js-yaml comes with ESLint (a direct dependency); no YAML parser of our own is added for one test.
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  ports?: string[];
}
const compose = load(readFileSync('compose.yaml', 'utf8')) as { services: Record<string, ComposeService> };
const dockerfile = readFileSync('Dockerfile', 'utf8');
const settings = Object.keys(configSchema.shape);
const roles = configSchema.shape.ROLE.removeDefault().options as readonly string[];
const appServices = Object.entries(compose.services).filter(([, s]) => s.environment?.ROLE !== undefined);
const composeText = readFileSync('compose.yaml', 'utf8');
const operations = readFileSync('docs/operations.md', 'utf8');
const readme = readFileSync('README.md', 'utf8');

/** The host ports a service publishes, each port of a range ('3000-3009:3000') on its own. */
function publishedPorts(service: string): number[] {
  return (compose.services[service]?.ports ?? []).flatMap((mapping) => {
    const [host = '', container] = mapping.split(':').slice(-2);
    expect(container).toBe('3000');
    const [first, last = first] = host.split('-').map(Number);
    return Array.from({ length: last! - first! + 1 }, (_, i) => first! + i);
  });
}

/** `${NAME:?message}` and `${NAME:-default}` as compose fills them in, with sample values for secrets. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{(\w+)(?::([?-])([^}]*))?\}/g,
    (_all, name: string, kind?: string, rest?: string) =>
      kind === '-' ? (rest ?? '') : name === 'POSTGRES_PASSWORD' ? 'example' : 'x'.repeat(32),
  );
}

describe('compose.yaml', () => {
  it('starts every role except `all`, each as its own service', () => {
    const started = appServices.map(([, s]) => String(s.environment?.ROLE)).sort();
    expect(started).toEqual(roles.filter((r) => r !== 'all').sort());
  });

  it.each(appServices)('%s sets only real settings, with values the service accepts', (_name, service) => {
    const env = Object.fromEntries(
      Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
    );
    expect(Object.keys(env).filter((name) => !settings.includes(name))).toEqual([]);
    const config = parseConfig(env);
    expect(config.DATABASE_URL).toMatch(/^postgres:\/\/spreekuur:example@postgres:5432\/spreekuur$/);
    expect(config.REDIS_URL).toBe('redis://redis:6379');
  });

  it.each(appServices)(
    '%s waits for a healthy PostgreSQL and Redis and checks its own /readyz',
    (_name, s) => {
      expect(s.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(s.healthcheck?.test.join(' ')).toMatch(/fetch\('http:\/\/127\.0\.0\.1:3000\/readyz'\)/);
    },
  );

  it('runs Redis so BullMQ never loses a key (noeviction, append-only file) and checks both stores', () => {
    const redis = compose.services.redis;
    expect(redis?.command?.join(' ')).toMatch(/--maxmemory-policy noeviction/);
    expect(redis?.command?.join(' ')).toMatch(/--appendonly yes/);
    expect(redis?.healthcheck?.test).toContain('redis-cli');
    expect(compose.services.postgres?.healthcheck?.test).toContain('pg_isready');
  });

  it('scales the worker separately', () => {
    expect(compose.services.worker?.deploy?.replicas).toBeGreaterThan(1);
  });

  // Regression: web published '3000:3000', so `docker compose up --scale web=2` failed with "port is
  // already allocated"; only the worker could be scaled.
  it('publishes web on a range of host ports, one per replica, that no other service uses', () => {
    const web = publishedPorts('web');
    expect(web.length).toBeGreaterThanOrEqual(2);
    const taken = appServices.flatMap(([name]) => publishedPorts(name));
    expect(new Set(taken).size).toBe(taken.length);
  });

  // Telegram answers a second long-polling getUpdates of one bot token with 409 Conflict.
  it('runs channels once (long polling, the default, allows one poller per bot) and says why', () => {
    expect(compose.services.channels?.deploy?.replicas).toBe(1);
    expect(publishedPorts('channels')).toHaveLength(1);
    expect(composeText).toMatch(/409 Conflict/);
    const row = operations.split('\n').find((line) => line.startsWith('| `channels`'));
    expect(row).toMatch(/once per bot .*long polling/);
    expect(row).toMatch(/webhook/);
  });

  // Regression: /metrics answers anyone without a token, and nothing said so where the token is set.
  it('passes METRICS_TOKEN through from the environment, and says what an empty one means', () => {
    expect(composeText).toMatch(
      /\/metrics answers anyone when this is empty[^]*\n\s+METRICS_TOKEN: \$\{METRICS_TOKEN:-\}\n/,
    );
    expect(operations).toMatch(/set `METRICS_TOKEN`, or block `\/metrics` at the reverse\s+proxy/);
    expect(readme).toMatch(/set\s+`METRICS_TOKEN`, or block `\/metrics` at the reverse proxy/);
  });

  it('docs/operations.md says that roles sharing a host need a PORT each', () => {
    expect(operations).toMatch(/each need their own\s+`PORT`/);
  });
});

// Regression: the README's sample scraped spreekuur-web, spreekuur-worker-1 and spreekuur-channels,
// names compose does not use, and so only one of the two workers.
describe("the README's Prometheus sample", () => {
  const sample = /```yaml\n# prometheus\.yml\n([^]*?)```/.exec(readme)?.[1] ?? '';
  const job = (load(sample) as { scrape_configs: Record<string, unknown>[] }).scrape_configs[0] ?? {};

  it('finds every replica of every role by DNS, with the service names of compose.yaml', () => {
    const discovery = job.dns_sd_configs as { names: string[]; type: string; port: number }[];
    expect(discovery).toHaveLength(1);
    expect(discovery[0]).toMatchObject({ type: 'A', port: 3000 });
    expect([...(discovery[0]?.names ?? [])].sort()).toEqual(appServices.map(([name]) => name).sort());
    expect(job.static_configs).toBeUndefined();
  });

  it('sends METRICS_TOKEN as a bearer token', () => {
    expect(job.authorization).toMatchObject({ type: 'Bearer' });
    expect(job.metrics_path).toBe('/metrics');
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('builds on Debian and runs as a user that is not root', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+-bookworm(-slim)?$/m);
    expect(stages.every((stage) => stage.startsWith('${NODE_IMAGE}'))).toBe(true);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime.indexOf('USER node')).toBeLessThan(runtime.indexOf('CMD '));
  });

  it('runs the build output with plain node (no npm, no tsx), where npm run build puts it', () => {
    expect(stages[0]).toMatch(/^RUN npm run build/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/src/cli/main.js', 'serve']);
    const build = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    expect(existsSync('src/cli/main.ts')).toBe(true);
  });

  it('installs Chromium only when asked for the whatsapp-web.js adapter', () => {
    const installs = dockerfile.split('\n').filter((line) => /apt-get install .*chromium/.test(line));
    expect(installs).toHaveLength(1);
    expect(runtime).toMatch(/^ARG WITH_CHROMIUM=false$/m);
    expect(runtime).toMatch(
      /if \[ "\$WITH_CHROMIUM" = "true" \]; then \\\n\s+apt-get update \\\n\s+&& apt-get install -y --no-install-recommends chromium/,
    );
  });

  // Regression: there was no .dockerignore, so `docker build` sent var/ (the SQLite file with
  // residents' messages, generated secrets, the WhatsApp session), .env and node_modules to the builder.
  it('keeps data, secrets and local builds out of the build context, and every path it copies in', () => {
    const patterns = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const kept of ['var/', '.env', '*.db', '*.db-wal', '.wwebjs_auth/', 'node_modules', 'dist/'])
      expect(patterns, kept).toContain(kept);
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    expect(copied).toContain('src');
    for (const path of copied) {
      expect(existsSync(path), path).toBe(true);
      const ignored = patterns.filter((p) => !p.startsWith('!')).map((p) => p.replace(/\/$/, ''));
      expect(ignored.includes(path) || ignored.some((p) => path.startsWith(`${p}/`)), path).toBe(false);
    }
  });

  it('sets only real settings, and they pass the configuration checks', () => {
    const env = Object.fromEntries(
      [...runtime.matchAll(/^\s*(?:ENV )?([A-Z_]+)=(\S+?)(?: \\)?$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(env).length).toBeGreaterThan(5);
    expect(Object.keys(env).filter((name) => !settings.includes(name))).toEqual([]);
    expect(parseConfig(env).DATABASE_URL).toBe('sqlite:/var/lib/spreekuur/spreekuur.db');
  });
});

// The benchmark starts its service processes with SERVICE_NODE_FLAGS (bench/engine-distributed.ts), so
// what it measures is what these start.
describe('every way to start the service', () => {
  it('runs node with the same V8 flags: npm start and the systemd unit in docs/operations.md', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(`exec node ${SERVICE_NODE_FLAGS.join(' ')} bin/spreekuur.mjs serve`);
    const unit = /^ExecStart=(.*)$/m.exec(readFileSync('docs/operations.md', 'utf8'))?.[1];
    expect(unit).toBe(`/usr/bin/node ${SERVICE_NODE_FLAGS.join(' ')} dist/src/cli/main.js serve`);
  });

  it('passes flags this node knows (an unknown V8 flag stops node at start with "bad option")', () => {
    const out = execFileSync(
      process.execPath,
      [...SERVICE_NODE_FLAGS, '-e', 'process.stdout.write("started")'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(out).toBe('started');
  });
});
