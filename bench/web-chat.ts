import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import WebSocket from 'ws';
import { sleep, startService, stopService, waitForHealth } from './support.js';

/** What every resident sends each second, in turn (the same text twice would be a double tap). */
const MESSAGES = ['hulp', 'menu'];
/** Each of them ends with exactly one menu prompt: one answer per message. */
const ANSWER = /^Waar kan ik u mee helpen/;

interface Resident {
  socket: WebSocket;
  /** Send times of messages whose answer has not come yet, oldest first. */
  waiting: number[];
  unacked: Set<string>;
}

/**
 * `connections` web chat residents on loopback, each on its own WebSocket with its own cookie, each
 * sending a message every second for `seconds` s to `spreekuur serve` (embedded mode: SQLite, the
 * in-database queue) in a child process. Counts what was sent, acknowledged, answered and stored,
 * and samples the server's resident memory.
 */
export async function benchWebChat(
  connections = Number(process.env.BENCH_WEBCHAT_CONNECTIONS ?? 1000),
  seconds = Number(process.env.BENCH_WEBCHAT_SECONDS ?? 60),
): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-web-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `http://127.0.0.1:${port}`;
  const server = startService(dir, port, {
    WEBCHAT_ENABLED: 'true',
    WEBCHAT_SECRET_FILE: join(dir, 'webchat-secret'),
    // One address (loopback) sends for a thousand residents; the limits are not what is measured.
    WEBCHAT_RATE_PER_MINUTE: '100000',
    WEBCHAT_ADDRESS_RATE_PER_MINUTE: '100000000',
  });
  try {
    await waitForHealth(url, server);
    const residents = await connectAll(url, connections);
    const rss = sampleRss(server.pid ?? 0);
    const latencies: number[] = [];
    let sent = 0;
    let acked = 0;
    for (const r of residents) {
      r.socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString('utf8')) as {
          type: string;
          id?: string;
          entry?: { text: string };
        };
        if (frame.type === 'ack' && frame.id && r.unacked.delete(frame.id)) acked++;
        if (frame.type === 'message' && frame.entry && ANSWER.test(frame.entry.text)) {
          const at = r.waiting.shift();
          if (at !== undefined) latencies.push(performance.now() - at);
        }
      });
    }
    const started = performance.now();
    await Promise.all(
      residents.map(async (r) => {
        // Spread the residents over the second, then one message a second each.
        await sleep(Math.random() * 1000);
        for (let i = 0; i < seconds; i++) {
          const due = started + (i + 1) * 1000 + Math.random() * 50;
          const id = randomBytes(9).toString('base64url');
          r.unacked.add(id);
          r.waiting.push(performance.now());
          r.socket.send(JSON.stringify({ type: 'send', id, text: MESSAGES[i % 2] }));
          sent++;
          await sleep(due - performance.now());
        }
      }),
    );
    const sendingSeconds = (performance.now() - started) / 1000;
    // Let the service catch up (bounded at 10 minutes): every message acknowledged and answered.
    const drainStart = performance.now();
    while ((acked < sent || latencies.length < sent) && performance.now() - drainStart < 600_000)
      await sleep(200);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const totalSeconds = (performance.now() - started) / 1000;
    const memory = rss.stop();
    for (const r of residents) r.socket.terminate();
    await stopService(server);
    const stored = countStored(join(dir, 'bench.db'));
    latencies.sort((a, b) => a - b);
    const pick = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      connections,
      seconds,
      messages_sent_count: sent,
      messages_stored_count: stored,
      messages_lost_count: sent - stored,
      answers_missing_count: sent - latencies.length,
      messages_per_s: Math.round(sent / sendingSeconds),
      handled_per_s: Math.round(latencies.length / totalSeconds),
      not_acknowledged_count: sent - acked,
      reply_p50_ms: Math.round(pick(0.5)),
      reply_p99_ms: Math.round(pick(0.99)),
      reply_max_ms: Math.round(latencies[latencies.length - 1] ?? 0),
      drain_after_sending_ms: Math.round(drainSeconds * 1000),
      server_rss_peak_mb: memory.peakMb,
      server_rss_end_mb: memory.endMb,
    };
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each resident: GET /chat for a cookie, then a WebSocket; 50 at a time. */
async function connectAll(url: string, count: number): Promise<Resident[]> {
  const residents: Resident[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const page = await fetch(`${url}/chat`);
      await page.text();
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const socket = new WebSocket(`${url.replace('http', 'ws')}/chat/socket`, {
        headers: { Cookie: cookie, Origin: url },
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('message', () => resolve()); // the history frame
        socket.once('error', reject);
      });
      residents.push({ socket, waiting: [], unacked: new Set() });
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  return residents;
}

/** Samples the process's resident memory every 500 ms (Linux /proc). */
function sampleRss(pid: number): { stop(): { peakMb: number; endMb: number } } {
  const read = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  let peak = read();
  const timer = setInterval(() => (peak = Math.max(peak, read())), 500);
  return {
    stop: () => {
      clearInterval(timer);
      const end = read();
      return { peakMb: Math.round(Math.max(peak, end)), endMb: Math.round(end) };
    },
  };
}

function countStored(file: string): number {
  const db = new Sqlite(file, { readonly: true });
  try {
    const row = db
      .prepare(`SELECT COUNT(*) AS n FROM inbound WHERE kind = 'message' AND conversation_key LIKE 'web:%'`)
      .get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}
