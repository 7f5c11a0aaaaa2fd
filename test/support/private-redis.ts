import { spawn, type ChildProcess } from 'node:child_process';
import { isReachable } from './net.js';

/**
 * A Redis of a test's own on `port` (nothing on disk), so the test can kill it or change its
 * settings without touching anyone else's. Resolves once it accepts connections (polled, with a
 * generous limit for a loaded machine), not after a fixed wait.
 */
export async function privateRedis(
  port: number,
  extraArgs: string[] = [],
): Promise<{ stop(): Promise<void> }> {
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
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const deadline = Date.now() + 30_000;
  while (!(await isReachable(`redis://127.0.0.1:${port}`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server on port ${port} did not start: ${output.slice(-500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { stop };
}

/** A free-looking port for such a Redis. */
export function randomPort(): number {
  return 30000 + Math.floor(Math.random() * 20000);
}
