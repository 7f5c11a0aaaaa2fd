import type { App } from '../app/create-app.js';
import type { Address } from '../shared/address.js';
import { ErasureHeldError, ErasureQueueError } from '../features/privacy/privacy-service.js';
import { subjectOf, subjectProblem, type Args } from './args.js';
import { withCommandApp } from './command-app.js';

const USAGE = `usage: spreekuur privacy purge [--dry-run] [--now <ISO date>] [--json]
       spreekuur privacy export (<channel>:<user id> | --channel <c> --user <id>)
       spreekuur privacy erase (<channel>:<user id> | --channel <c> --user <id>) [--yes]
       spreekuur privacy log [--json]`;

/** `spreekuur privacy …`: retention purge, a resident's access and erasure requests, the privacy log. */
export async function privacyCommand(args: Args): Promise<number> {
  const [, sub] = args.words;
  const at = args.options.now;
  const now = typeof at === 'string' ? new Date(at) : undefined;
  if (now && Number.isNaN(now.getTime())) return usage(`--now: expected an ISO date, got "${String(at)}"`);
  const address = subjectOf(args);
  if ((sub === 'export' || sub === 'erase') && !address)
    return usage(subjectProblem(args) ?? 'say whose data: channel:userId');
  if (!['purge', 'export', 'erase', 'log'].includes(sub ?? '')) return usage();
  return withCommandApp(async (app) => {
    if (sub === 'purge') return purge(app, args, now);
    if (sub === 'log') return log(app, args);
    if (sub === 'export') return exportData(app, address!);
    return erase(app, address!, args.options.yes === true);
  });
}

async function purge(app: App, args: Args, now: Date | undefined): Promise<number> {
  const dryRun = args.options['dry-run'] === true;
  const counts = await app.commands.privacy.purge({ ...(now ? { at: now } : {}), dryRun, actor: 'cli' });
  if (args.options.json === true) process.stdout.write(`${JSON.stringify({ dryRun, counts })}\n`);
  else {
    process.stdout.write(dryRun ? 'Past their term (nothing changed, --dry-run):\n' : 'Purged:\n');
    for (const [table, n] of Object.entries(counts)) process.stdout.write(`  ${table}\t${n}\n`);
  }
  return 0;
}

async function exportData(app: App, address: Address): Promise<number> {
  const document = await app.commands.privacy.export(address, 'cli');
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return 0;
}

async function erase(app: App, address: Address, yes: boolean): Promise<number> {
  try {
    return yes ? await eraseNow(app, address) : await erasePreview(app, address);
  } catch (error) {
    // The resident's own privacy request is still open: one line on what to do first, nothing changed.
    if (!(error instanceof ErasureHeldError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

async function erasePreview(app: App, address: Address): Promise<number> {
  // Said before the preview too: the privacy officer learns what to do first without trying --yes.
  const held = await app.commands.privacy.erasureHolds(address);
  if (held.length > 0) throw new ErasureHeldError(held);
  const { data } = await app.commands.privacy.export(address, 'cli');
  process.stderr.write(`Would erase for ${address.channel}:${address.userId}:\n`);
  for (const [table, rows] of Object.entries(data)) process.stderr.write(`  ${table}\t${rows.length}\n`);
  const heldByWhatsApp = data.held_messages?.length ?? 0;
  if (heldByWhatsApp > 0)
    process.stderr.write(
      `Note: ${heldByWhatsApp} message(s) WhatsApp holds (the resident wrote nothing for over 24 hours) never reached them and go with the erasure; send an answer they must get by post or e-mail.\n`,
    );
  process.stderr.write('Nothing was changed. Run again with --yes to erase.\n');
  return 2;
}

async function eraseNow(app: App, address: Address): Promise<number> {
  let counts: Record<string, number>;
  let queueLeft: ErasureQueueError | undefined;
  try {
    counts = await app.commands.privacy.erase(address, 'cli');
  } catch (error) {
    // The database part went and is logged; the queue went away before its jobs did.
    if (!(error instanceof ErasureQueueError)) throw error;
    counts = error.erased;
    queueLeft = error;
  }
  process.stdout.write(`Erased ${address.channel}:${address.userId}:\n`);
  for (const [table, n] of Object.entries(counts)) process.stdout.write(`  ${table}\t${n}\n`);
  if (!queueLeft) return 0;
  process.stderr.write(`${queueLeft.message}\n`);
  return 1;
}

async function log(app: App, args: Args): Promise<number> {
  const entries = await app.commands.privacy.log(100);
  if (args.options.json === true) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
  else
    for (const e of entries) {
      const about = e.subject ? ` ${e.subject}` : '';
      process.stdout.write(
        `${e.at.toISOString()}\t${e.action}${e.dryRun ? ' (dry run)' : ''}\t${e.actor}${about}\t${JSON.stringify(e.counts)}\n`,
      );
    }
  return 0;
}

/** `--channel c --user id`, or one word `channel:userId` (a conversation key). */
function usage(problem?: string): number {
  process.stderr.write(`${problem ? `${problem}\n` : ''}${USAGE}\n`);
  return 2;
}
