import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signBody } from '../bots/whatsapp-cloud/webhook-route.js';
import { CloudWebhooks, FakeGraphApi, type GraphSent } from '../test/support/fake-graph-api.js';
import { sleep, startService, stopService, waitForHealth } from './support.js';

const APP_SECRET = 'bench-app-secret-0123456789abcdef';
/** Each resident alternates these; each answer ends with exactly one menu (a list message). */
const MESSAGES = ['hulp', 'menu'];
const ANSWER = /^Waar kan ik u mee helpen/;

/**
 * `residents` WhatsApp residents, each posting a signed webhook, waiting for the menu to reach the
 * fake Graph API, then the next (`messages` each), against `spreekuur serve` with the Cloud API
 * adapter in a child process (embedded mode). Inbound webhook to reply sent: rate and latency.
 */
export async function benchWhatsAppCloud(
  residents = Number(process.env.BENCH_CLOUD_RESIDENTS ?? 100),
  messages = Number(process.env.BENCH_CLOUD_MESSAGES ?? 20),
): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const perSecond of [80, 10_000]) {
    const r = await run(residents, messages, perSecond);
    const label = perSecond === 80 ? 'paced_80' : 'unpaced';
    for (const [name, value] of Object.entries(r)) figures[`${label}.${name}`] = value;
  }
  return figures;
}

async function run(residents: number, messages: number, perSecond: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-cloud-'));
  const api = await FakeGraphApi.start();
  api.keep = false;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `http://127.0.0.1:${port}`;
  const server = startService(dir, port, {
    WHATSAPP_CLOUD_ENABLED: 'true',
    WHATSAPP_CLOUD_TOKEN: api.token,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: api.phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'bench-verify-token-0123456789',
    WHATSAPP_CLOUD_API_VERSION: api.version,
    WHATSAPP_CLOUD_API_ROOT: api.url,
    WHATSAPP_CLOUD_MESSAGES_PER_SECOND: String(perSecond),
  });
  const hooks = new CloudWebhooks(api.phoneNumberId);
  const waiting = new Map<string, () => void>();
  api.onSent = (sent: GraphSent) => {
    const body = sent.body as { interactive?: { body?: { text?: string } } };
    if (ANSWER.test(body.interactive?.body?.text ?? '')) waiting.get(sent.to)?.();
  };
  const post = async (from: string, text: string) => {
    const raw = JSON.stringify(hooks.text(from, text));
    const answer = new Promise<void>((resolve) => waiting.set(from, resolve));
    const response = await fetch(`${url}/whatsapp/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
      body: raw,
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    await Promise.race([answer, sleep(60_000)]);
  };
  try {
    await waitForHealth(url, server);
    const numbers = Array.from({ length: residents }, (_, i) => String(31600000000 + i));
    // First contact (welcome, privacy notice) is not what is measured.
    await Promise.all(numbers.map((n) => post(n, 'menu')));
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      numbers.map(async (n) => {
        for (let i = 0; i < messages; i++) {
          const at = performance.now();
          await post(n, MESSAGES[i % 2]!);
          latencies.push(performance.now() - at);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pick = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      residents,
      messages_count: latencies.length,
      messages_per_s: Math.round(latencies.length / seconds),
      reply_p50_ms: Math.round(pick(0.5)),
      reply_p99_ms: Math.round(pick(0.99)),
      reply_max_ms: Math.round(latencies[latencies.length - 1] ?? 0),
    };
  } finally {
    await stopService(server);
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
