import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** One message the service sent, as a scenario sees it. */
export interface SentMessage {
  to: string;
  text: string;
  choices?: { id: string; label: string }[];
}

/** Something that plays inputs into the service and returns what each one caused. */
export interface ScenarioDriver {
  send(from: string, text: string): Promise<SentMessage[]>;
  /** Presses a choice's button where the channel has buttons (Telegram); otherwise `send` its label. */
  press?(from: string, label: string): Promise<SentMessage[]>;
  /** Moves the service's clock (in-process drivers only). */
  advance?(ms: number): Promise<SentMessage[]>;
  /** Makes a one-time staff link code for an alderman (as `spreekuur staff link-code` does). */
  staffCode?(aldermanId: string): Promise<string>;
  /** An alderman calls off a day (as `spreekuur hours cancel` does); returns what that caused. */
  cancelSession?(aldermanId: string, date: string, reason?: string): Promise<SentMessage[]>;
  close(): Promise<void>;
}

export type ScenarioLine =
  | { send: string; from?: string }
  | { choose: string; from?: string }
  | { expect: string; to?: string }
  | { expect_none: string; to?: string }
  | { expect_choices: number; to?: string }
  | { advance_minutes: number }
  | { staff_code: string; as?: string }
  | { alderman_cancels: string; date: string; reason?: string }
  | { needs: 'clock' }
  | { capture: string; as: string }
  | { comment: string };

/** Whether a scenario needs the service's clock in the test's hands (in-process drivers only). */
export function needsClock(lines: ScenarioLine[]): boolean {
  return lines.some((l) => 'advance_minutes' in l || 'alderman_cancels' in l || 'needs' in l);
}

/** Reads a scenario file: one JSON object a line. */
export function readScenario(path: string): ScenarioLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ScenarioLine);
}

/** The `*.jsonl` files of a folder, or none when the folder is not there. */
export function scenarioFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

/** Plays a scenario; throws an Error naming the line that did not hold, with what was sent. */
export async function playScenario(lines: ScenarioLine[], driver: ScenarioDriver): Promise<void> {
  let caused: SentMessage[] = [];
  let lastFrom = 'r1';
  const history: SentMessage[] = [];
  // Project extensions: values captured from replies or made by the driver, used as {name} later.
  const vars: Record<string, string> = {};
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
  for (const [index, raw] of lines.entries()) {
    const line = JSON.parse(fill(JSON.stringify(raw))) as ScenarioLine;
    const where = `line ${index + 1} ${JSON.stringify(raw)}`;
    const show = () =>
      `\n  caused:\n${caused.map((m) => `    → ${m.to}: ${m.text.slice(0, 160)}${m.choices ? ` [${m.choices.map((c) => c.label).join(' | ')}]` : ''}`).join('\n') || '    (nothing)'}`;
    if ('send' in line) {
      lastFrom = line.from ?? 'r1';
      caused = await driver.send(lastFrom, line.send);
      history.push(...caused);
    } else if ('choose' in line) {
      lastFrom = line.from ?? 'r1';
      const offered = [...history].reverse().find((m) => m.to === lastFrom && m.choices?.length);
      const re = new RegExp(line.choose, 'i');
      const pick = offered?.choices?.find((c) => re.test(c.label));
      if (!pick)
        throw new Error(
          `${where}: no choice matches; offered: ${offered?.choices?.map((c) => c.label).join(' | ') ?? 'none'}`,
        );
      caused = driver.press
        ? await driver.press(lastFrom, pick.label)
        : await driver.send(lastFrom, pick.label);
      history.push(...caused);
    } else if ('staff_code' in line) {
      if (!driver.staffCode) throw new Error(`${where}: this driver cannot make staff codes`);
      vars[line.as ?? 'code'] = await driver.staffCode(line.staff_code);
    } else if ('alderman_cancels' in line) {
      if (!driver.cancelSession) throw new Error(`${where}: this driver cannot cancel sessions`);
      caused = await driver.cancelSession(line.alderman_cancels, line.date, line.reason);
      history.push(...caused);
    } else if ('capture' in line) {
      const re = new RegExp(line.capture, 'i');
      const found = caused.map((m) => re.exec(m.text)?.[0]).find(Boolean);
      if (!found) throw new Error(`${where}: nothing to capture${show()}`);
      vars[line.as] = found;
    } else if ('advance_minutes' in line) {
      if (!driver.advance) throw new Error(`${where}: this driver cannot move the clock`);
      caused = await driver.advance(line.advance_minutes * 60_000);
      history.push(...caused);
    } else if ('expect' in line) {
      const to = line.to ?? lastFrom;
      const re = new RegExp(line.expect, 'i');
      if (!caused.some((m) => m.to === to && re.test(m.text)))
        throw new Error(`${where}: no message to ${to} matches${show()}`);
    } else if ('expect_none' in line) {
      const to = line.to ?? lastFrom;
      const re = new RegExp(line.expect_none, 'i');
      const hit = caused.find((m) => m.to === to && re.test(m.text));
      if (hit) throw new Error(`${where}: a message to ${to} matches: ${hit.text}${show()}`);
    } else if ('expect_choices' in line) {
      const to = line.to ?? lastFrom;
      const last = [...caused].reverse().find((m) => m.to === to);
      if ((last?.choices?.length ?? 0) < line.expect_choices) {
        throw new Error(
          `${where}: the last message to ${to} has ${last?.choices?.length ?? 0} choices${show()}`,
        );
      }
    }
  }
}
