import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/create-app.js';
import { totpCode } from '../../src/features/accounts/totp.js';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestApp } from '../support/app-driver.js';
import { databaseKinds, freshTarget } from '../support/services.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const PASSWORD = 'een lang wachtwoord voor tests';
const MINUTE = 60_000;

async function start(kind: 'sqlite' | 'postgres'): Promise<{ app: App; clock: ManualClock }> {
  const fresh = await freshTarget(kind);
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const t = await startTestApp({ databaseUrl: fresh.url, clock });
  cleanups.push(fresh.cleanup, () => t.driver.close());
  return { app: t.app, clock };
}

/** Adds an account; `password: null` leaves it without one (it gets a set-password link). */
const add = (app: App, email: string, role = 'operator', password: string | null = PASSWORD) =>
  app.commands.accounts.add(
    { email, name: email.split('@')[0]!, role, ...(password === null ? {} : { password }) },
    'test',
  );

const signIn = (app: App, email: string, password = PASSWORD, address = '10.0.0.1') =>
  app.commands.accounts.signIn({ email, password, address });

async function token(app: App, email: string): Promise<string> {
  const result = await signIn(app, email);
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  return result.token;
}

describe.each(databaseKinds)('accounts and sign-in on $kind', ({ kind, available }) => {
  it.skipIf(!available)('keeps a session for 8 idle hours, renewed by use, and no longer', async () => {
    const { app, clock } = await start(kind);
    await add(app, 'Otto@Rijswijk.nl ');
    const session = await token(app, 'otto@rijswijk.nl');
    expect(await app.commands.accounts.session(session)).toMatchObject({
      email: 'otto@rijswijk.nl',
      role: 'operator',
    });
    clock.advance(7 * 60 * MINUTE);
    expect(await app.commands.accounts.session(session)).not.toBeNull();
    clock.advance(7 * 60 * MINUTE);
    expect(await app.commands.accounts.session(session)).not.toBeNull();
    clock.advance(8 * 60 * MINUTE + MINUTE);
    expect(await app.commands.accounts.session(session)).toBeNull();
    expect(await app.commands.accounts.session('made-up-token')).toBeNull();
  });

  it.skipIf(!available)('answers a wrong password and an unknown e-mail address the same way', async () => {
    const { app } = await start(kind);
    await add(app, 'otto@rijswijk.nl');
    expect(await signIn(app, 'otto@rijswijk.nl', 'verkeerd wachtwoord')).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await signIn(app, 'niemand@rijswijk.nl', 'verkeerd wachtwoord')).toEqual({
      ok: false,
      reason: 'invalid',
    });
    // An account without a password yet cannot be signed in to with any password, not even an empty one.
    await add(app, 'nieuw@rijswijk.nl', 'operator', null);
    expect(await signIn(app, 'nieuw@rijswijk.nl', '')).toEqual({ ok: false, reason: 'invalid' });
  });

  it.skipIf(!available)(
    'stops trying an account after 5 wrong passwords for 15 minutes, from any address',
    async () => {
      const { app, clock } = await start(kind);
      await add(app, 'otto@rijswijk.nl');
      for (let i = 0; i < 5; i++) await signIn(app, 'otto@rijswijk.nl', `fout ${i}`, `10.0.1.${i}`);
      // Now even the right password is refused, and an unknown address is refused in the same words.
      expect(await signIn(app, 'otto@rijswijk.nl', PASSWORD, '10.0.2.1')).toEqual({
        ok: false,
        reason: 'throttled',
      });
      for (let i = 0; i < 5; i++) await signIn(app, 'niemand@rijswijk.nl', `fout ${i}`, `10.0.3.${i}`);
      expect(await signIn(app, 'niemand@rijswijk.nl', 'x', '10.0.2.1')).toEqual({
        ok: false,
        reason: 'throttled',
      });
      clock.advance(15 * MINUTE + 1);
      expect((await signIn(app, 'otto@rijswijk.nl', PASSWORD, '10.0.2.1')).ok).toBe(true);
      const actions = (await app.commands.audit.page({ limit: 100 })).map((l) => l.action);
      expect(actions.filter((a) => a === 'auth.sign-in-failed')).toHaveLength(10);
      expect(actions.filter((a) => a === 'auth.sign-in-throttled')).toHaveLength(2);
    },
  );

  it.skipIf(!available)('stops an address after 20 wrong tries, whatever the accounts', async () => {
    const { app } = await start(kind);
    await add(app, 'otto@rijswijk.nl');
    for (let i = 0; i < 20; i++) await signIn(app, `gok${i}@rijswijk.nl`, 'fout', '10.9.9.9');
    expect(await signIn(app, 'otto@rijswijk.nl', PASSWORD, '10.9.9.9')).toEqual({
      ok: false,
      reason: 'throttled',
    });
    expect((await signIn(app, 'otto@rijswijk.nl', PASSWORD, '10.9.9.10')).ok).toBe(true);
  });

  it.skipIf(!available)('ends sessions when an account is disabled or its role changes', async () => {
    const { app } = await start(kind);
    await add(app, 'otto@rijswijk.nl');
    const first = await token(app, 'otto@rijswijk.nl');
    await app.commands.accounts.setRole('otto@rijswijk.nl', 'department:afval', 'test');
    expect(await app.commands.accounts.session(first)).toBeNull();
    const second = await token(app, 'otto@rijswijk.nl');
    expect((await app.commands.accounts.session(second))?.role).toBe('department:afval');
    await app.commands.accounts.disable('otto@rijswijk.nl', 'test');
    expect(await app.commands.accounts.session(second)).toBeNull();
    expect(await signIn(app, 'otto@rijswijk.nl')).toEqual({ ok: false, reason: 'invalid' });
    await expect(
      app.commands.accounts.setRole('otto@rijswijk.nl', 'department:bestaat-niet', 'test'),
    ).rejects.toMatchObject({
      code: 'role-unknown',
    });
    await expect(add(app, 'OTTO@rijswijk.nl')).rejects.toMatchObject({ code: 'email-taken' });
  });

  it.skipIf(!available)('sets a password through a one-time link, once, within 72 hours', async () => {
    const { app, clock } = await start(kind);
    const { link } = await add(app, 'dee@rijswijk.nl', 'alderman:fatma-yilmaz', null);
    const linkToken = new URL(link!.url).searchParams.get('token')!;
    expect((await app.commands.accounts.linkAccount(linkToken))?.email).toBe('dee@rijswijk.nl');
    await expect(app.commands.accounts.setPasswordWithLink(linkToken, 'kort')).rejects.toMatchObject({
      code: 'password-too-short',
    });
    await app.commands.accounts.setPasswordWithLink(linkToken, 'fietsen langs de vliet');
    expect((await signIn(app, 'dee@rijswijk.nl', 'fietsen langs de vliet')).ok).toBe(true);
    await expect(
      app.commands.accounts.setPasswordWithLink(linkToken, 'nog een ander wachtwoord'),
    ).rejects.toMatchObject({
      code: 'link-invalid',
    });
    const late = await app.commands.accounts.passwordLink('dee@rijswijk.nl', 'test');
    clock.advance(72 * 60 * MINUTE + 1);
    expect(await app.commands.accounts.linkAccount(new URL(late.url).searchParams.get('token')!)).toBeNull();
  });
});

describe.each(databaseKinds)('the second factor (TOTP) on $kind', ({ kind, available }) => {
  it.skipIf(!available)('opens the session only with a valid code from the app, each code once', async () => {
    const { app, clock } = await start(kind);
    await add(app, 'otto@rijswijk.nl');
    const { secret, uri } = await app.commands.accounts.setSecondFactor('otto@rijswijk.nl', 'test');
    expect(uri).toMatch(/^otpauth:\/\/totp\/.*otto%40rijswijk\.nl\?secret=[A-Z2-7]+/);
    const first = await signIn(app, 'otto@rijswijk.nl');
    expect(first).toMatchObject({ ok: true, secondFactor: true });
    if (!first.ok) return;
    // The password alone opens nothing.
    expect(await app.commands.accounts.session(first.token)).toBeNull();
    expect((await app.commands.accounts.pending(first.token))?.email).toBe('otto@rijswijk.nl');
    expect(await app.commands.accounts.giveCode(first.token, '000000', '10.0.0.1')).toBe('invalid');
    const code = totpCode(secret, clock.now());
    expect(await app.commands.accounts.giveCode(first.token, code, '10.0.0.1')).toBe('ok');
    expect((await app.commands.accounts.session(first.token))?.email).toBe('otto@rijswijk.nl');
    // The same code a second time (someone who watched it typed) does not open another session.
    const second = await signIn(app, 'otto@rijswijk.nl');
    if (!second.ok) throw new Error('sign-in refused');
    expect(await app.commands.accounts.giveCode(second.token, code, '10.0.0.1')).toBe('invalid');
    clock.advance(30_000);
    expect(
      await app.commands.accounts.giveCode(second.token, totpCode(secret, clock.now()), '10.0.0.1'),
    ).toBe('ok');
    // A waiting session ends after 5 minutes.
    const third = await signIn(app, 'otto@rijswijk.nl');
    if (!third.ok) throw new Error('sign-in refused');
    clock.advance(5 * MINUTE + 1);
    expect(await app.commands.accounts.giveCode(third.token, totpCode(secret, clock.now()), '10.0.0.1')).toBe(
      'expired',
    );
    const actions = (await app.commands.audit.page({ limit: 100 })).map((l) => l.action).reverse();
    expect(actions.filter((a) => a.startsWith('auth.'))).toEqual([
      'auth.password-ok',
      'auth.second-factor-failed',
      'auth.sign-in',
      'auth.password-ok',
      'auth.second-factor-failed',
      'auth.sign-in',
      'auth.password-ok',
    ]);
  });

  it.skipIf(!available)(
    'ends a waiting session after 5 wrong codes, and signs in without a code once it is removed',
    async () => {
      const { app, clock } = await start(kind);
      await add(app, 'otto@rijswijk.nl');
      const { secret } = await app.commands.accounts.setSecondFactor('otto@rijswijk.nl', 'test');
      const waiting = await signIn(app, 'otto@rijswijk.nl');
      if (!waiting.ok) throw new Error('sign-in refused');
      for (let i = 0; i < 5; i++)
        expect(await app.commands.accounts.giveCode(waiting.token, '12345' + i, 'x')).toBe('invalid');
      expect(await app.commands.accounts.giveCode(waiting.token, totpCode(secret, clock.now()), 'x')).toBe(
        'throttled',
      );
      expect(await app.commands.accounts.pending(waiting.token)).toBeNull();
      clock.advance(15 * MINUTE + 1);
      await app.commands.accounts.removeSecondFactor('otto@rijswijk.nl', 'test');
      expect(await signIn(app, 'otto@rijswijk.nl')).toMatchObject({ ok: true, secondFactor: false });
    },
  );
});
