import { describe, expect, it } from 'vitest';
import { parseArgs, subjectOf, subjectProblem } from '../../src/cli/args.js';

/** Regression: `privacy erase whatsapp:31612345678`, as docs/privacy.md says it, found nothing (the id is `…@c.us`). */
describe('the chat identity a command names', () => {
  it('the command line reads both forms the same way', () => {
    const want = { channel: 'whatsapp', userId: '31612345678@c.us' };
    expect(subjectOf(parseArgs(['privacy', 'erase', 'whatsapp:31612345678']))).toEqual(want);
    expect(subjectOf(parseArgs(['privacy', 'erase', 'whatsapp:31612345678@c.us']))).toEqual(want);
    expect(
      subjectOf(parseArgs(['privacy', 'erase', '--channel', 'whatsapp', '--user', '+31 6 1234 5678'])),
    ).toEqual(want);
    expect(subjectOf(parseArgs(['privacy', 'erase', 'telegram:42']))).toEqual({
      channel: 'telegram',
      userId: '42',
    });
  });

  it('regression: a number typed as 06… became the id 0612345678@c.us, so export and erase found nobody', () => {
    for (const words of [
      ['privacy', 'erase', 'whatsapp:0612345678'],
      ['privacy', 'export', '--channel', 'whatsapp', '--user', '06 12345678'],
    ]) {
      expect(subjectOf(parseArgs(words)), words.join(' ')).toBeUndefined();
      expect(subjectProblem(parseArgs(words))).toMatch(/without its country code finds nobody/);
    }
    expect(subjectProblem(parseArgs(['privacy', 'erase', 'whatsapp:31612345678']))).toBeNull();
    expect(subjectOf(parseArgs(['privacy', 'erase', 'whatsapp:0031612345678']))).toEqual({
      channel: 'whatsapp',
      userId: '31612345678@c.us',
    });
  });
});
