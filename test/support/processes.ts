import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';
import { serverPort } from './net.js';

/** Runs `spreekuur <args>` to the end (stdin given), with the test's environment. */
export function spreekuur(
  args: string[],
  env: Record<string, string>,
  input = '',
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/spreekuur.mjs', ...args], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    input,
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A running `spreekuur chat --jsonl`: send lines, read every JSON line it writes, also later ones. */
export interface JsonlChat {
  /** Sends one message and returns what it caused, up to its ack. */
  send(from: string, text: string): Promise<Record<string, unknown>[]>;
  /** Waits (up to `ms`) for a line the service sends later on its own, e.g. an answer from staff. */
  waitFor(match: (line: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export function startJsonlChat(env: Record<string, string>): JsonlChat {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['bin/spreekuur.mjs', 'chat', '--jsonl'],
    {
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const seen: Record<string, unknown>[] = [];
  let read = 0;
  createInterface({ input: child.stdout }).on('line', (line) =>
    seen.push(JSON.parse(line) as Record<string, unknown>),
  );
  const next = async (deadline: number): Promise<Record<string, unknown>> => {
    while (read >= seen.length) {
      if (child.exitCode !== null) throw new Error(`chat exited (${child.exitCode}): ${stderr}`);
      if (Date.now() > deadline) throw new Error(`chat wrote nothing in time; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return seen[read++]!;
  };
  let n = 0;
  return {
    async send(from, text) {
      n++;
      child.stdin.write(`${JSON.stringify({ from, text })}\n`);
      const caused: Record<string, unknown>[] = [];
      for (;;) {
        const line = await next(Date.now() + 60_000);
        if (line.ack === n) return caused;
        caused.push(line);
      }
    },
    async waitFor(match, ms = 60_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const line = await next(deadline);
        if (match(line)) return line;
      }
    },
    async close() {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}

/** A `chat --jsonl` (as startJsonlChat) that is closed when the test that started it ends. */
export function jsonlChatForTest(env: Record<string, string>): JsonlChat {
  const chat = startJsonlChat(env);
  onTestFinished(() => chat.close());
  return chat;
}

/** The texts of lines a chat wrote, one a line ('' for a line without text). */
export const textsOf = (lines: Record<string, unknown>[]): string =>
  lines.map((l) => (typeof l.text === 'string' ? l.text : '')).join('\n');

/** A running `spreekuur serve` on a loopback port; `url` once /healthz answered. */
export async function startServe(
  env: Record<string, string>,
): Promise<{ url: string; stop(): Promise<number | null>; output(): string }> {
  const port = await serverPort();
  const child = spawn(process.execPath, ['bin/spreekuur.mjs', 'serve'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}): ${stderr}`);
    if (Date.now() - started > 60_000) throw new Error(`serve did not answer /healthz: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    /** Sends SIGTERM and waits for the exit; returns its code. */
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      return child.exitCode;
    },
    /** What it wrote to stdout (the log) and stderr so far. */
    output: () => stdout + stderr,
  };
}

/**
 * Starts the service on a loopback port with `command args` (the built code, `npm start`) and the
 * given DATABASE_URL; `ready()` polls /readyz until 200, the process exits or `limitMs` passes.
 */
export async function spawnService(
  command: string,
  args: string[],
  env: { DATABASE_URL: string } & Record<string, string>,
) {
  const port = await serverPort();
  const child = spawn(command, args, {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    url,
    exited,
    output: () => output,
    async ready(limitMs = 300_000): Promise<number> {
      const deadline = Date.now() + limitMs;
      for (;;) {
        const status = await fetch(`${url}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200 || child.exitCode !== null || Date.now() > deadline) return status;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}
