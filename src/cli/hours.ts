import { findAlderman } from '../municipality/municipality.js';
import { DomainError } from '../shared/errors.js';
import { localIso } from '../shared/local-date.js';
import type { Args } from './args.js';
import { withCommandApp } from './command-app.js';

const USAGE = `usage: spreekuur hours cancel --alderman <id> --date YYYY-MM-DD [--reason "<text>"]
       spreekuur hours undo <cancellation id>
       spreekuur hours slots --alderman <id> [--json]`;

const REFUSED: Record<string, string> = {
  'hours.cancellation-not-found': 'No such cancellation.',
  'hours.already-told': 'Too late to undo: the residents have been told already.',
  'hours.already-undone': 'This cancellation was undone already.',
  'booking.slot-taken': 'Cannot undo: another resident has booked that slot meanwhile.',
  'booking.no-slot':
    'Cannot undo: the consultation hours changed and no longer have that slot; restore the session first, then undo.',
};

/** `spreekuur hours …`: an alderman's consultation hours from the command line (also in the dashboard). */
export async function hoursCommand(args: Args): Promise<number> {
  const [, sub, first] = args.words;
  if (sub === 'undo') return undo(first);
  return withCommandApp(async (app) => {
    const id = typeof args.options.alderman === 'string' ? args.options.alderman : undefined;
    const alderman = findAlderman(app.municipality, id);
    if (!alderman || (sub !== 'cancel' && sub !== 'slots')) {
      const known = app.municipality.aldermen.map((a) => a.id).join(', ');
      process.stderr.write(`${USAGE}\n${alderman ? '' : `--alderman must be one of: ${known}\n`}`);
      return 2;
    }
    const zone = app.municipality.timeZone;
    if (sub === 'slots') {
      const slots = await app.commands.scheduling.freeSlots(alderman.id);
      const rows = slots.map((s) => ({
        start: localIso(s.start, zone),
        end: localIso(s.end, zone),
        kind: s.kind,
        place: s.place,
      }));
      process.stdout.write(
        args.options.json === true
          ? `${JSON.stringify(rows, null, 2)}\n`
          : rows.map((r) => `${r.start}\t${r.kind}\t${r.place}`).join('\n') + '\n',
      );
      return 0;
    }
    const date = typeof args.options.date === 'string' ? args.options.date : '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      process.stderr.write(`--date must be YYYY-MM-DD\n${USAGE}\n`);
      return 2;
    }
    const reason = typeof args.options.reason === 'string' ? args.options.reason : undefined;
    try {
      const { cancellation, bookings } = await app.commands.scheduling.cancelDay({
        aldermanId: alderman.id,
        localDate: date,
        actor: 'cli',
        ...(reason ? { reason } : {}),
      });
      await app.settle();
      const told =
        cancellation.tellAt.getTime() <= app.clock.now().getTime()
          ? 'each resident is told, with new times.'
          : `each resident is told, with new times, at ${localIso(cancellation.tellAt, zone)}.\n` +
            `Undo before then with: npx spreekuur hours undo ${cancellation.id}`;
      process.stdout.write(
        `Cancelled ${alderman.name}'s consultation hour on ${date}: ${bookings.length} booking(s); ${told}\n`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const why =
        error.code === 'hours.date-past'
          ? `${date} has passed; only a coming day can be cancelled.`
          : `${alderman.name} has no consultation hour on ${date} (a public holiday closes the recurring ones).`;
      process.stderr.write(`${why}\n`);
      return 2;
    }
  });
}

/** `spreekuur hours undo <id>`: takes a cancellation back while no resident has been told. */
async function undo(id: string | undefined): Promise<number> {
  if (!id) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  return withCommandApp(async (app) => {
    try {
      const c = await app.commands.scheduling.undoCancellation({ cancellationId: id, actor: 'cli' });
      const what = c.date !== null ? `the consultation hour on ${c.date}` : 'the booking';
      process.stdout.write(
        `Undone: ${what} is back, with ${c.bookingIds.length} booking(s). Nobody was told.\n`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError) || !REFUSED[error.code]) throw error;
      process.stderr.write(`${REFUSED[error.code]}\n`);
      return 2;
    }
  });
}
