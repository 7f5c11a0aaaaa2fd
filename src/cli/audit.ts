import type { Args } from './args.js';
import { withCommandApp } from './command-app.js';

/** `spreekuur audit verify [--json]`: checks the audit log's hash chain; exit 1 at the first broken link. */
export async function auditCommand(args: Args): Promise<number> {
  const [, sub] = args.words;
  if (sub !== 'verify') {
    process.stderr.write('usage: spreekuur audit verify [--json]\n');
    return 2;
  }
  return withCommandApp(async (app) => {
    const result = await app.commands.audit.verify();
    if (args.options.json === true) {
      const broken = result.broken && { seq: result.broken.seq, reason: result.broken.reason };
      process.stdout.write(
        `${JSON.stringify({ ok: !broken, checked: result.checked, broken, headHash: result.headHash })}\n`,
      );
    } else if (result.broken) {
      const line = result.broken.line;
      const why =
        result.broken.reason === 'content-changed'
          ? 'its content does not match its hash (changed, or written without the key)'
          : 'it does not follow the line before it (a line was removed or inserted before it)';
      process.stdout.write(
        `Audit log BROKEN at line ${result.broken.seq}: ${why}.\n` +
          (line ? `  ${line.at.toISOString()} ${line.actor} ${line.action} ${line.subject}\n` : '') +
          `${result.checked} line(s) before it are intact.\n`,
      );
    } else {
      process.stdout.write(
        `Audit log intact: ${result.checked} line(s); last hash ${result.headHash}.\n` +
          'Keep the last hash elsewhere to notice lines cut off the end later.\n',
      );
    }
    return result.broken ? 1 : 0;
  });
}
