/** Real worker processes for the queue contract tests: spawn, wait until ready, read their markers, stop. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface Marker {
  event: 'start' | 'end';
  id: string;
  attempt: number;
  pid: number;
  at: number;
}

/**
 * How long a worker process may take to start (Node, tsx, the database, the queue): a second when the
 * machine is idle, tens of seconds when it is busy. A limit to catch a hang, never a measure.
 */
export const PROCESS_LIMIT_MS = 120_000;

/** Polls `check` until it returns true; fails with `what` after `timeoutMs` (generous: it catches a hang). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A folder where worker processes write their markers, and the processes started on it. */
export class WorkerProcesses {
  readonly markerDir = mkdtempSync(join(tmpdir(), 'spreekuur-queue-'));
  private readonly children: { child: ChildProcess; exited: Promise<void>; stderr: string[] }[] = [];

  constructor(private readonly baseEnv: Record<string, string>) {}

  /** Starts test/queue/fixtures/queue-worker.ts and resolves once it is processing. */
  async start(env: Record<string, string> = {}): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/queue/fixtures/queue-worker.ts'], {
      cwd: repoRoot,
      env: { ...process.env, ...this.baseEnv, ...env, MARKER_DIR: this.markerDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    this.children.push({ child, exited, stderr });
    await waitFor(
      `worker ${child.pid} to be ready (stderr: ${stderr.join('')})`,
      () => {
        if (child.exitCode !== null) throw new Error(`worker exited early: ${stderr.join('')}`);
        return existsSync(join(this.markerDir, `ready-${child.pid}`));
      },
      PROCESS_LIMIT_MS,
    );
    return child;
  }

  /** Sends `signal` and waits for the process to exit. */
  async stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const entry = this.children.find((c) => c.child === child);
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await entry?.exited;
  }

  /** Every marker written so far, by every process, in time order. */
  markers(): Marker[] {
    return readdirSync(this.markerDir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(this.markerDir, f), 'utf8').split('\n').filter(Boolean))
      .map((line) => JSON.parse(line) as Marker)
      .sort((a, b) => a.at - b.at);
  }

  /** Kills what is still running (SIGKILL: nothing to wait for) and removes the marker folder. */
  async cleanup(): Promise<void> {
    await Promise.all(this.children.map(({ child }) => this.stop(child, 'SIGKILL')));
    rmSync(this.markerDir, { recursive: true, force: true });
  }
}
