import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jsonlDriver } from '../support/jsonl-driver.js';
import { sqliteUrl } from '../support/services.js';

/** The real command, as `npx spreekuur` starts it, on the chat process's database. */
function cli(args: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['bin/spreekuur.mjs', ...args], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (run.status !== 0) throw new Error(`spreekuur ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return run.stdout;
}

interface Figures {
  answers: number | null;
  options: { label: string; count: number | null; percent: number | null }[];
}

const OPTIONS = ['Ja', 'Nee', 'Maakt niet uit'];
/** How residents type their choice: the label, its number, a typo. */
const TYPED = [
  ['Ja', 'ja!', '1'],
  ['2', 'nee', 'Nee dank'],
  ['maakt niet uitt', '3', 'Maakt niet uit'],
] as const;

describe('a poll through the console (must-show 2)', { timeout: 600_000 }, () => {
  it('30 residents of two districts answer in `chat --jsonl`, one changes; results per district match, a district under 5 shows no figures', async () => {
    const env = { DATABASE_URL: sqliteUrl() };
    const closes = new Date(Date.now() + 7 * 24 * 3_600_000).toISOString();
    const id = cli(
      [
        'polls',
        'create',
        '--question',
        'Meer groen in de straat?',
        ...OPTIONS.flatMap((o) => ['--option', o]),
        '--district',
        'oud-rijswijk',
        '--district',
        'steenvoorde',
        '--closes',
        closes,
      ],
      env,
    ).trim();
    expect(id).toMatch(/^[a-z0-9]{12}$/);

    const chat = jsonlDriver(env);
    const expected: Record<string, number[]> = { 'oud-rijswijk': [0, 0, 0], steenvoorde: [0, 0, 0] };
    try {
      for (let i = 0; i < 30; i++) {
        const who = `inwoner${i}`;
        const district = i < 26 ? 'oud-rijswijk' : 'steenvoorde';
        const choice = i % 3;
        await chat.send(who, i % 5 === 4 ? 'ik wil meedoen aan de peiling' : 'peiling');
        await chat.send(who, district === 'oud-rijswijk' ? '2280 AB' : '2286 CD');
        // Some have their district remembered (then "peiling" goes straight to the poll next time).
        const asked = await chat.send(who, i % 7 === 0 ? 'ja' : 'nee');
        expect(asked.at(-1)?.text).toContain('Meer groen in de straat?');
        expect(asked.at(-1)?.choices?.map((c) => c.label)).toEqual(OPTIONS);
        const thanks = await chat.send(who, TYPED[choice]![i % 3]!);
        expect(thanks.map((m) => m.text).join('\n')).toContain(`Uw keuze is: ${OPTIONS[choice]}.`);
        expect(thanks.every((m) => m.to === who)).toBe(true);
        expected[district]![choice]!++;
      }
      // inwoner0 (Oud Rijswijk, "Ja", district remembered) changes to "Nee": still one answer.
      const again = await chat.send('inwoner0', 'peiling');
      expect(again.at(-1)?.text).toContain('U koos eerder: Ja.');
      const changed = await chat.send('inwoner0', '2');
      expect(changed.map((m) => m.text).join('\n')).toContain('Uw keuze is nu: Nee.');
      expected['oud-rijswijk']![0]!--;
      expected['oud-rijswijk']![1]!++;
    } finally {
      await chat.close();
    }

    const results = JSON.parse(cli(['polls', 'results', id, '--json'], env)) as {
      total: Figures & { partial: boolean };
      districts: (Figures & { districtId: string })[];
    };
    const or = results.districts.find((d) => d.districtId === 'oud-rijswijk')!;
    expect(or.answers).toBe(26);
    expect(or.options.map((o) => o.count)).toEqual(expected['oud-rijswijk']);
    expect(or.options.map((o) => o.percent)).toEqual(
      expected['oud-rijswijk']!.map((n) => Math.round((n / 26) * 100)),
    );
    // Steenvoorde: 4 answers, fewer than 5: no figure at all, also not as a total minus Oud Rijswijk.
    const sv = results.districts.find((d) => d.districtId === 'steenvoorde')!;
    expect(expected.steenvoorde!.reduce((a, b) => a + b, 0)).toBe(4);
    expect(sv).toEqual({
      districtId: 'steenvoorde',
      name: 'Steenvoorde',
      answers: null,
      options: OPTIONS.map((label) => ({ label, count: null, percent: null })),
    });
    expect(results.total).toMatchObject({ answers: 26, partial: true });
    expect(results.total.options.map((o) => o.count)).toEqual(expected['oud-rijswijk']);

    const csv = cli(['polls', 'results', id, '--csv'], env);
    expect(csv).toContain(`"Oud Rijswijk","26","Nee","${expected['oud-rijswijk']![1]}"`);
    expect(csv).toContain('"Steenvoorde","fewer than 5","Ja","",""');

    const closed = cli(['polls', 'close', id, '--outcome', 'De gemeente plant in het voorjaar bomen.'], env);
    expect(closed).toMatch(/30 resident\(s\) who answered were told the outcome/);
    expect(cli(['polls', 'list'], env)).toMatch(new RegExp(`${id}\\tclosed\\tMeer groen`));
  });
});
