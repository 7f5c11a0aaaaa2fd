import { describe, expect, it } from 'vitest';
import { isReachable } from '../support/net.js';
import { spawnService } from '../support/processes.js';
import { sqliteUrl } from '../support/services.js';

// Regression: `kill -TERM` of the `npm start` process stopped npm and its shell, and left the
// service running as an orphan (npm signals the shell; the shell did not pass it on).
describe('npm start', { timeout: 600_000 }, () => {
  it('stops the service, not only npm, on SIGTERM to the npm process', async () => {
    const npm = spawnService('npm', ['start', '--silent'], { DATABASE_URL: sqliteUrl() });
    expect(await npm.ready(), npm.output()).toBe(200);
    npm.child.kill('SIGTERM');
    await npm.exited;
    // The service itself must go too: poll until its port closes (bounded; an orphan keeps it open).
    const stopBy = Date.now() + 120_000;
    while ((await isReachable(npm.url)) && Date.now() < stopBy) await new Promise((r) => setTimeout(r, 200));
    expect(await isReachable(npm.url), npm.output()).toBe(false);
    expect(npm.output()).toContain('stopping');
    // Regression: a clean stop logged nothing after "stopping", like a process killed half-way.
    expect(npm.output()).toContain('stopped: running work finished, database closed');
  });

  // Regression: SIGTERM to `npx spreekuur serve` ended npx and the shell it runs the command in, and
  // the service went on as an orphan (the shell does not pass the signal on).
  it('stops the service on SIGTERM to the npx process of `npx spreekuur serve`', async () => {
    const npx = spawnService('npx', ['--no-install', 'spreekuur', 'serve'], { DATABASE_URL: sqliteUrl() });
    expect(await npx.ready(), npx.output()).toBe(200);
    npx.child.kill('SIGTERM');
    await npx.exited;
    const stopBy = Date.now() + 120_000;
    while ((await isReachable(npx.url)) && Date.now() < stopBy) await new Promise((r) => setTimeout(r, 200));
    expect(await isReachable(npx.url), npx.output()).toBe(false);
    expect(npx.output()).toContain('stopped: running work finished, database closed');
  });
});
