import { spawn, type ChildProcess } from 'node:child_process';
import { isReachable, serverPort } from './net.js';

export interface PrivateRedisServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A Redis of a test's own (nothing on disk), so the test can kill it or change its settings
 * without touching anyone else's. Without `port` it picks one with `serverPort()` and tries
 * another when a parallel test took that one first; with `port` (a restart on the port its
 * clients know) it waits for the port to be free again. Resolves once the server accepts
 * connections (polled, with a generous limit for a loaded machine), not after a fixed wait.
 */
export async function privateRedis(
  options: { port?: number; args?: string[] } = {},
): Promise<PrivateRedisServer> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const port = options.port ?? (await serverPort());
    const started = await startOn(port, options.args ?? [], deadline);
    if ('stop' in started) return started;
    if (!started.addressInUse || Date.now() > deadline) {
      throw new Error(`redis-server on port ${port} did not start: ${started.output.slice(-500)}`);
    }
    if (options.port !== undefined) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startOn(
  port: number,
  extraArgs: string[],
  deadline: number,
): Promise<PrivateRedisServer | { addressInUse: boolean; output: string }> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    ...extraArgs,
  ];
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  // Ready when the server says so (not when something answers on the port: that may be another
  // test's server, while this one failed to listen there).
  while (!/Ready to accept connections/.test(output) || !(await isReachable(`redis://127.0.0.1:${port}`))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      return { addressInUse: /Address already in use/.test(output), output };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { port, url: `redis://127.0.0.1:${port}`, stop };
}
