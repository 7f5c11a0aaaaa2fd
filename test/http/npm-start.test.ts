import { describe, expect, it } from 'vitest';
import { isReachable } from '../support/net.js';
import { spawnService } from '../support/processes.js';
import { sqliteUrl } from '../support/services.js';

const STOPPED = 'stopped: running work finished, database closed';

/**
 * Waits (bounded) until the service's port is closed and its last line is written: the port closes
 * first and the database after it, so a check right after the port closed could miss that line.
 */
async function stopped(service: { url: string; output(): string }): Promise<void> {
  const stopBy = Date.now() + 120_000;
  while (((await isReachable(service.url)) || !service.output().includes(STOPPED)) && Date.now() < stopBy)
    await new Promise((r) => setTimeout(r, 200));
}

// Regression: `kill -TERM` of the `npm start` process stopped npm and its shell, and left the
// service running as an orphan (npm signals the shell; the shell did not pass it on).
describe('npm start', { timeout: 600_000 }, () => {
  it('stops the service, not only npm, on SIGTERM to the npm process', async () => {
    const npm = await spawnService('npm', ['start', '--silent'], { DATABASE_URL: sqliteUrl() });
    expect(await npm.ready(), npm.output()).toBe(200);
    npm.child.kill('SIGTERM');
    await npm.exited;
    // The service itself must go too (an orphan keeps its port open).
    await stopped(npm);
    expect(await isReachable(npm.url), npm.output()).toBe(false);
    expect(npm.output()).toContain('stopping');
    // Regression: a clean stop logged nothing after "stopping", like a process killed half-way.
    expect(npm.output()).toContain(STOPPED);
  });

  // Regression: SIGTERM to `npx spreekuur serve` ended npx and the shell it runs the command in, and
  // the service went on as an orphan (the shell does not pass the signal on).
  it('stops the service on SIGTERM to the npx process of `npx spreekuur serve`', async () => {
    const npx = await spawnService('npx', ['--no-install', 'spreekuur', 'serve'], {
      DATABASE_URL: sqliteUrl(),
    });
    expect(await npx.ready(), npx.output()).toBe(200);
    npx.child.kill('SIGTERM');
    await npx.exited;
    await stopped(npx);
    expect(await isReachable(npx.url), npx.output()).toBe(false);
    expect(npx.output()).toContain(STOPPED);
  });
});
