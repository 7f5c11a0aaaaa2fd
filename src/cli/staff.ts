import type { App } from '../app/create-app.js';
import { findAlderman } from '../municipality/municipality.js';
import { localIso } from '../shared/local-date.js';
import { subjectOf, subjectProblem, type Args } from './args.js';
import { withCommandApp } from './command-app.js';

const USAGE = `usage: spreekuur staff link-code --alderman <id>
       spreekuur staff list [--json]
       spreekuur staff unlink (<channel>:<user id> | --channel <c> --user <id>)`;

/** `spreekuur staff link-code --alderman <id>`, `staff list [--json]` and `staff unlink <address>`. */
export async function staffCommand(args: Args): Promise<number> {
  const [, sub] = args.words;
  return withCommandApp(async (app) => {
    if (sub === 'link-code') return await linkCode(app, args);
    if (sub === 'list') return await list(app, args);
    if (sub === 'unlink') return await unlink(app, args);
    process.stderr.write(`${USAGE}\n`);
    return 2;
  });
}

async function linkCode(app: App, args: Args): Promise<number> {
  const id = args.options.alderman;
  const alderman = typeof id === 'string' ? findAlderman(app.municipality, id) : undefined;
  if (!alderman) {
    const known = app.municipality.aldermen.map((a) => a.id).join(', ');
    process.stderr.write(
      `Unknown alderman${typeof id === 'string' ? ` "${id}"` : ''}. Use --alderman with one of: ${known}\n`,
    );
    return 2;
  }
  const { code, expiresAt } = await app.commands.staff.linkCode(alderman.id);
  if (args.options.json === true) {
    process.stdout.write(
      `${JSON.stringify({ alderman: alderman.id, code, expiresAt: localIso(expiresAt, app.municipality.timeZone) })}\n`,
    );
  } else {
    process.stdout.write(
      `${code}\nOne-time code for ${alderman.name}, valid until ${localIso(expiresAt, app.municipality.timeZone)} (10 minutes).\n` +
        `The alderman sends "koppel ${code}" from their own chat to link it.\n`,
    );
  }
  return 0;
}

async function list(app: App, args: Args): Promise<number> {
  const identities = await app.commands.staff.identities();
  const rows = app.municipality.aldermen.map((a) => ({
    id: a.id,
    name: a.name,
    districts: app.municipality.districts.filter((d) => d.aldermanId === a.id).map((d) => d.id),
    identities: identities
      .filter((i) => i.aldermanId === a.id)
      .map((i) => ({ channel: i.channel, userId: i.userId, linkedAt: i.linkedAt.toISOString() })),
  }));
  if (args.options.json === true) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    for (const row of rows) {
      const linked = row.identities.map((i) => `${i.channel}:${i.userId}`).join(', ') || 'not linked';
      process.stdout.write(`${row.id}\t${row.name}\t${linked}\n`);
    }
  }
  return 0;
}

/** Removes a linked chat (a lost phone, an alderman who left): it is a resident's chat again. */
async function unlink(app: App, args: Args): Promise<number> {
  const address = subjectOf(args);
  if (!address) {
    const problem = subjectProblem(args) ?? 'Say which chat: channel:userId (see staff list).';
    process.stderr.write(`${problem}\n${USAGE}\n`);
    return 2;
  }
  if (!(await app.commands.staff.unlink(address))) {
    process.stderr.write(`${address.channel}:${address.userId} is not linked.\n`);
    return 1;
  }
  process.stdout.write(`Unlinked ${address.channel}:${address.userId}; it is a resident's chat again.\n`);
  return 0;
}
