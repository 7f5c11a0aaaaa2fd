import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ScenarioDriver, SentMessage } from './scenario.js';

/** Drives `spreekuur chat --jsonl` in a child process, one input at a time, reading up to its ack. */
export function jsonlDriver(env: Record<string, string>): ScenarioDriver {
  // Migrate first, so the chat process and a `staff link-code` run beside it never race to create tables.
  const migrated = spawnSync(process.execPath, ['bin/spreekuur.mjs', 'migrate'], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
  });
  if (migrated.status !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['bin/spreekuur.mjs', 'chat', '--jsonl'],
    {
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  let waiter: (() => void) | undefined;
  lines.on('line', (line) => {
    queue.push(line);
    waiter?.();
  });
  let n = 0;
  const nextLine = async (): Promise<string> => {
    while (queue.length === 0) {
      if (child.exitCode !== null) throw new Error(`chat exited (${child.exitCode}): ${stderr}`);
      await new Promise<void>((resolve) => {
        waiter = resolve;
        setTimeout(resolve, 200);
      });
    }
    return queue.shift() as string;
  };
  return {
    async send(from, text) {
      n++;
      child.stdin.write(`${JSON.stringify({ from, text })}\n`);
      const caused: SentMessage[] = [];
      for (;;) {
        const parsed = JSON.parse(await nextLine()) as Record<string, unknown>;
        if (parsed.ack === n) return caused;
        if (parsed.error) throw new Error(`chat reported ${JSON.stringify(parsed)}`);
        caused.push(parsed as unknown as SentMessage);
      }
    },
    staffCode(aldermanId) {
      // The real CLI, on the same database file the chat process uses.
      const run = spawnSync(
        process.execPath,
        ['bin/spreekuur.mjs', 'staff', 'link-code', '--alderman', aldermanId, '--json'],
        {
          env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
          encoding: 'utf8',
        },
      );
      if (run.status !== 0) throw new Error(`staff link-code failed: ${run.stderr}`);
      return Promise.resolve((JSON.parse(run.stdout) as { code: string }).code);
    },
    async close() {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
