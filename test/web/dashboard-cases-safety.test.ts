import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCase, reassignCase } from '../../src/features/cases/case-service.js';
import type { CaseViewer } from '../../src/features/cases/policy.js';
import { axeViolations, browserAvailable } from '../support/browser.js';
import { useDashboardBrowser } from '../support/dashboard-browser.js';
import { signIn, type DashboardServer } from '../support/dashboard-server.js';
import { sqliteUrl } from '../support/services.js';
import { XSS_PAYLOADS } from '../support/xss-payloads.js';

const dash = useDashboardBrowser();

/** A copy of data/ whose topic labels, district names and department names are payloads. */
function hostileData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-xss-cases-'));
  cpSync('data', dir, { recursive: true });
  const edit = (file: string, change: (json: Record<string, unknown>) => void) => {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    change(json);
    writeFileSync(join(dir, file), JSON.stringify(json));
  };
  let i = 40;
  edit('topics.json', (t) => {
    for (const topic of t.topics as { label: { nl: string; en: string } }[])
      topic.label = { nl: XSS_PAYLOADS[i++ % XSS_PAYLOADS.length]!, en: 'x' };
  });
  edit('districts.json', (d) => {
    for (const district of d.districts as { name: string }[])
      district.name = XSS_PAYLOADS[i++ % XSS_PAYLOADS.length]!;
  });
  edit('routing.json', (r) => {
    for (const rule of r.rules as {
      assign: { type: string; name?: string; otherwise?: { name: string } };
    }[]) {
      if (rule.assign.type === 'department') rule.assign.name = XSS_PAYLOADS[i++ % XSS_PAYLOADS.length]!;
      if (rule.assign.otherwise) rule.assign.otherwise.name = XSS_PAYLOADS[i++ % XSS_PAYLOADS.length]!;
    }
  });
  return dir;
}

const operator = { email: 'olga@rijswijk.nl', name: 'Olga Operator', role: 'operator' };

/** Cases whose question holds every payload, each with a payload as the resident's name, assigned to the afval department. */
async function hostileCases(s: DashboardServer, count: number): Promise<string[]> {
  const m = s.t.app.municipality;
  const afval = m.cases.routing.rules.find(
    (r) => r.assign.type === 'department' && r.assign.id === 'afval',
  )!.assign;
  const refs: string[] = [];
  for (let n = 0; n < count; n++) {
    const c = await s.t.app.uow.transaction(async (r) => {
      const made = await createCase(r, {
        residentKey: `console:x${n}`,
        residentName: XSS_PAYLOADS[n % XSS_PAYLOADS.length]!,
        channel: 'console',
        language: 'nl',
        districtId: m.districts[n % m.districts.length]!.id,
        topic: m.cases.topics[n % m.cases.topics.length]!.id,
        text: XSS_PAYLOADS.join('\n'),
        idempotencyKey: `xss-${n}`,
        now: s.t.clock.now(),
        prefix: m.referencePrefix,
        norm: 5,
        holidays: m.cases.holidays,
        timeZone: m.timeZone,
      });
      return reassignCase(
        r,
        made.id,
        afval.type === 'department' ? afval : { type: 'alderman', id: 'x' },
        'system',
        s.t.clock.now(),
      );
    });
    refs.push(c.reference);
  }
  return refs;
}

describe.skipIf(!browserAvailable)('the case pages are safe', () => {
  it(`never run any of ${XSS_PAYLOADS.length} payloads written as questions, names, topics, districts, departments and notes`, async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl(), env: { DATA_DIR: hostileData() } });
    const { id } = await server.addAccount(operator);
    const viewer: CaseViewer = { id, name: operator.name, role: 'operator' };
    const refs = await hostileCases(server, 8);
    const cases = server.t.app.commands.cases;
    // Every payload as an internal note and as a reason the resident reads, spread over the cases.
    for (const [i, payload] of XSS_PAYLOADS.entries())
      await cases.note(viewer, refs[i % refs.length]!, payload);
    await cases.moveAnswerBy(viewer, refs[0]!, { date: '2026-12-14', reason: XSS_PAYLOADS[5]! });
    await cases.close(viewer, refs[1]!, XSS_PAYLOADS[7]);

    const { page, fired } = await dash.page();
    await signIn(page, server.url, operator.email);
    await page.goto(`${server.url}/dashboard/cases?status=all`);
    expect(await page.locator('tbody tr').count()).toBe(8);
    // Shown as text: the markup is visible, not interpreted.
    expect(await page.locator('tbody').textContent()).toContain(
      '<script>window.__xss(1)</script>'.slice(0, 40),
    );
    for (const ref of refs) {
      await page.goto(`${server.url}/dashboard/cases/${ref}`);
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toContain(XSS_PAYLOADS[0]!);
      expect(main).toContain(XSS_PAYLOADS.at(-1)!);
    }
    // A payload picked as a standard answer's target in the query string is ignored, not echoed.
    await page.goto(
      `${server.url}/dashboard/cases/${refs[2]}?standard=${encodeURIComponent(XSS_PAYLOADS[1]!)}`,
    );
    await page.goto(
      `${server.url}/dashboard/cases?q=${encodeURIComponent(XSS_PAYLOADS[2]!)}&topic=${encodeURIComponent(XSS_PAYLOADS[3]!)}`,
    );
    expect(await page.getByLabel('Zoeken', { exact: true }).inputValue()).toBe(XSS_PAYLOADS[2]);
    await page.waitForTimeout(300);
    expect(await fired()).toEqual([]);
  }, 120_000);

  it('refuses every case form without a CSRF token, and records views and actions in the audit log', async () => {
    const server = await dash.serve({ databaseUrl: sqliteUrl() });
    await server.addAccount(operator);
    const [ref] = await hostileCases(server, 1);
    const { page } = await dash.page();
    await signIn(page, server.url, operator.email);
    const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const forms: Record<string, string> = {
      note: 'text=hoi',
      answer: 'text=Antwoord',
      'request-info': 'question=Welke%3F',
      'move-date': 'date=2026-12-14&reason=druk',
      assign: 'to=department%3Akcc',
      close: 'reason=dubbel',
    };
    for (const [action, body] of Object.entries(forms)) {
      const res = await fetch(`${server.url}/dashboard/cases/${ref}/${action}`, {
        method: 'POST',
        headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
      });
      expect(res.status, action).toBe(403);
    }
    const untouched = await server.t.app.uow.run((r) => r.cases.findByReference(ref!));
    expect(untouched?.status).toBe('routed');

    await page.goto(`${server.url}/dashboard/cases/${ref}`);
    await page.getByLabel('Notitie').fill('Even navragen bij de buren.');
    await page.getByRole('button', { name: 'Notitie opslaan' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).toContain('De notitie is opgeslagen');
    expect(await page.locator('.dash-history__item--internal').textContent()).toContain('Even navragen');
    const lines = await server.t.app.commands.audit.page({ limit: 50 });
    const actions = lines.map((l) => `${l.action} ${l.subject}`);
    expect(actions).toContain(`case.view case:${ref}`);
    expect(actions).toContain(`case.note case:${ref}`);
    expect(actions.filter((a) => a.startsWith('case.note'))).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('Even navragen');
    expect(await axeViolations(page)).toEqual([]);
  }, 120_000);
});
