import { spawn, type ChildProcess } from 'node:child_process';

/** A Redis of a test's own on `port` (nothing on disk), so the test can kill it without touching anyone else's. */
export async function privateRedis(port: number): Promise<{ stop(): Promise<void> }> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** A free-looking port for such a Redis. */
export function randomPort(): number {
  return 30000 + Math.floor(Math.random() * 20000);
}
