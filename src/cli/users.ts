import type { App } from '../app/create-app.js';
import type { AccountView } from '../features/accounts/accounts.js';
import { aldermanOf, allRoles } from '../features/accounts/roles.js';
import { DomainError } from '../shared/errors.js';
import type { Args } from './args.js';
import { withCommandApp } from './command-app.js';

const USAGE = `usage: spreekuur users add --email <e> --name "<name>" --role <role> [--password-stdin]
       spreekuur users list [--json]
       spreekuur users disable --email <e>
       spreekuur users set-role --email <e> --role <role>
       spreekuur users password-link --email <e>
       spreekuur users second-factor --email <e> [--off]
roles: admin, operator, department:<id>, alderman:<id>`;

/** Why a command was refused, for a person at a terminal. */
const REFUSALS: Record<string, string> = {
  'email-invalid': 'That is not an e-mail address.',
  'email-taken': 'There is already an account with that e-mail address.',
  'name-invalid': '--name must be 1 to 200 characters.',
  'role-unknown': 'Unknown role.',
  'password-too-short': 'The password is too short (at least 12 characters).',
  'password-too-long': 'The password is too long (at most 200 characters).',
  'account-unknown': 'No account with that e-mail address.',
};

/** `spreekuur users …`: dashboard accounts from the command line (the first admin starts here). */
export async function usersCommand(args: Args): Promise<number> {
  const [, sub] = args.words;
  // The password is read before anything opens, so a pipe closing early cannot leave it half-read.
  const password = sub === 'add' && args.options['password-stdin'] === true ? await readStdin() : undefined;
  return withCommandApp(async (app) => {
    try {
      switch (sub) {
        case 'add':
          return await add(app, args, password);
        case 'list':
          return await list(app, args);
        case 'disable':
          return show(await app.commands.accounts.disable(option(args, 'email'), 'cli'), 'Disabled');
        case 'set-role':
          return show(
            await app.commands.accounts.setRole(option(args, 'email'), option(args, 'role'), 'cli'),
            'Role changed',
          );
        case 'password-link': {
          const link = await app.commands.accounts.passwordLink(option(args, 'email'), 'cli');
          process.stdout.write(`${link.url}\nOne-time link, valid until ${link.expiresAt.toISOString()}.\n`);
          return 0;
        }
        case 'second-factor':
          return await secondFactor(app, args);
        default:
          process.stderr.write(`${USAGE}\n`);
          return 2;
      }
    } catch (error) {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n${USAGE}\n`);
        return 2;
      }
      if (error instanceof DomainError && REFUSALS[error.code]) {
        const roles =
          error.code === 'role-unknown'
            ? ` Use one of: ${allRoles(app.commands.accounts.refs).join(', ')}`
            : '';
        process.stderr.write(`${REFUSALS[error.code]}${roles}\n`);
        return 1;
      }
      throw error;
    }
  });
}

class UsageError extends Error {}

function option(args: Args, name: string): string {
  const value = args.options[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required.`);
  return value;
}

async function add(app: App, args: Args, password: string | undefined): Promise<number> {
  const input = { email: option(args, 'email'), name: option(args, 'name'), role: option(args, 'role') };
  const { account, link } = await app.commands.accounts.add(
    password === undefined ? input : { ...input, password },
    'cli',
  );
  process.stdout.write(`Added ${account.email} (${account.role}).\n`);
  if (link)
    process.stdout.write(
      `Send this one-time link to ${account.name} to set a password (valid until ${link.expiresAt.toISOString()}):\n${link.url}\n`,
    );
  return 0;
}

async function list(app: App, args: Args): Promise<number> {
  const accounts = await app.commands.accounts.list();
  const identities = await app.commands.staff.identities();
  const rows = accounts.map((a) => {
    const alderman = aldermanOf(a.role);
    return {
      email: a.email,
      name: a.name,
      role: a.role,
      status: a.disabled ? 'disabled' : a.hasPassword ? 'active' : 'no password yet',
      secondFactor: a.secondFactor,
      createdAt: a.createdAt.toISOString(),
      // An alderman's account and their chat are the same person: show the chats linked to them.
      ...(alderman
        ? { linkedChats: identities.filter((i) => i.aldermanId === alderman).map((i) => i.channel) }
        : {}),
    };
  });
  if (args.options.json === true) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else
    for (const r of rows)
      process.stdout.write(
        `${r.email}\t${r.name}\t${r.role}\t${r.status}${r.linkedChats ? `\tchats: ${r.linkedChats.join(', ') || 'none linked'}` : ''}\n`,
      );
  return 0;
}

async function secondFactor(app: App, args: Args): Promise<number> {
  const email = option(args, 'email');
  if (args.options.off === true)
    return show(await app.commands.accounts.removeSecondFactor(email, 'cli'), 'Second factor removed');
  const { secret, uri } = await app.commands.accounts.setSecondFactor(email, 'cli');
  process.stdout.write(
    `Second factor on for ${email}. Give this to them in person (it is shown once):\n` +
      `  secret: ${secret}\n  ${uri}\n` +
      'They add it to an authenticator app (type the secret, or make a QR code of the address);\n' +
      'from now on sign-in asks for the 6-digit code after the password.\n',
  );
  return 0;
}

function show(account: AccountView, what: string): number {
  process.stdout.write(
    `${what}: ${account.email} (${account.role}${account.disabled ? ', disabled' : ''}).\n`,
  );
  return 0;
}

/** The password on stdin: the first line, without its line ending. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}
