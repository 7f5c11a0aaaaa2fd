/** The service as separate processes (`spreekuur serve` with ROLE), started, killed and restarted by the suite. */
import { spawn, type ChildProcess } from 'node:child_process';
import { sleep } from './private-services.js';

export interface ServiceProcess {
  name: string;
  /** `<name>.<n>`: the n-th start of this name in the run (the Telegram fake records it per send). */
  label: string;
  role: 'channels' | 'worker';
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: string[];
}

let nextPort = 24100 + Math.floor(Math.random() * 800) * 10;

export class Cluster {
  readonly processes = new Map<string, ServiceProcess>();
  /** What happened to each process and when (started, ready, signalled, exited), for a failed run's output. */
  readonly history: string[] = [];
  private readonly starts = new Map<string, number>();

  constructor(
    private readonly env: Record<string, string>,
    /** Settings of one start of a process, by its label (e.g. an apiRoot that names the sender). */
    private readonly envOf: (label: string) => Record<string, string> = () => ({}),
  ) {}

  /** Starts one process and waits until its /readyz answers 200. */
  async start(name: string, role: ServiceProcess['role']): Promise<ServiceProcess> {
    const port = nextPort++;
    const n = (this.starts.get(name) ?? 0) + 1;
    this.starts.set(name, n);
    const label = `${name}.${n}`;
    const child = spawn(process.execPath, ['bin/spreekuur.mjs', 'serve'], {
      env: {
        ...process.env,
        ...this.env,
        ...this.envOf(label),
        ROLE: role,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.note(label, `started (pid ${child.pid ?? '?'})`);
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk.toString());
      if (stderr.length > 200) stderr.shift();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code, signal) => {
        this.note(label, `exited (${code === null ? `signal ${signal}` : `code ${code}`})`);
        resolve(code);
      }),
    );
    const proc: ServiceProcess = { name, label, role, port, child, exited, stderr };
    this.processes.set(name, proc);
    for (let i = 0; i < 600; i++) {
      if (!alive(child)) throw new Error(`${name} exited at start:\n${stderr.join('')}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) {
          this.note(label, 'ready');
          return proc;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${name} did not become ready:\n${stderr.join('')}`);
  }

  /** Sends `signal` and waits for the exit (SIGKILL after 30 s). */
  async signal(name: string, signal: NodeJS.Signals): Promise<number | null> {
    const proc = this.processes.get(name);
    if (!proc || !alive(proc.child)) return proc?.child.exitCode ?? null;
    this.note(proc.label, `sent ${signal}`);
    proc.child.kill(signal);
    const timer = setTimeout(() => {
      this.note(proc.label, 'sent SIGKILL: not stopped 30 s after the signal');
      proc.child.kill('SIGKILL');
    }, 30_000);
    const code = await proc.exited;
    clearTimeout(timer);
    return code;
  }

  /** Stops a process with `signal` and starts it again; `waitReady` false returns once it is spawned. */
  async restart(name: string, signal: NodeJS.Signals, waitReady = true): Promise<void> {
    const proc = this.processes.get(name);
    if (!proc) throw new Error(`no process ${name}`);
    await this.signal(name, signal);
    const started = this.start(name, proc.role);
    if (waitReady) await started;
    else this.starting.add(started.catch(() => undefined));
  }

  /** Waits for processes started without waiting. */
  async settled(): Promise<void> {
    await Promise.all([...this.starting]);
  }

  private readonly starting = new Set<Promise<unknown>>();

  private note(label: string, what: string): void {
    this.history.push(`${new Date().toISOString()} ${label} ${what}`);
  }

  /** One figure from the /metrics of a process (undefined when it cannot be read). */
  async metric(name: string, series: string): Promise<number | undefined> {
    const proc = this.processes.get(name);
    if (!proc) return undefined;
    try {
      const text = await (await fetch(`http://127.0.0.1:${proc.port}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    } catch {
      return undefined;
    }
  }

  /** Kills every process at once; synchronous, so it also works on exit. */
  killNow(): void {
    for (const p of this.processes.values()) if (alive(p.child)) p.child.kill('SIGKILL');
  }

  async stopAll(): Promise<void> {
    await this.settled();
    await Promise.all([...this.processes.keys()].map((name) => this.signal(name, 'SIGTERM')));
  }
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
