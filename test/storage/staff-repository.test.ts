/**
 * The staff repository's contract (src/ports/staff-repository.ts), one suite run on every database
 * (test/storage/storage-targets.ts). Each test uses aldermen and chat identities of its own.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeContract, inZone, settle } from './storage-targets.js';

const T0 = Date.UTC(2026, 2, 29, 0, 55, 0, 0); // five minutes before Amsterdam springs forward
/** An instant `seconds` after T0. */
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const newAlderman = () => `alderman-${randomUUID().slice(0, 12)}`;
const newHash = () => randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
const telegram = () => ({ channel: 'telegram', userId: String(Math.floor(Math.random() * 1e12)) });

describeContract('staff repository', (store) => {
  const run = store.run;

  describe('link codes', () => {
    it('hands out a code’s alderman once, and nothing for an unknown code', async () => {
      const alderman = newAlderman();
      const hash = newHash();
      expect(await run((r) => r.staff.addLinkCode(hash, alderman, at(600), at(0)))).toBe(true);
      expect(await run((r) => r.staff.useLinkCode(hash, at(1)))).toBe(alderman);
      expect(await run((r) => r.staff.useLinkCode(hash, at(2)))).toBeNull();
      expect(await run((r) => r.staff.useLinkCode(newHash(), at(2)))).toBeNull();
    });

    it('refuses a code at and after the moment it expires, but not a millisecond before', async () => {
      const [early, exact, late] = [newHash(), newHash(), newHash()];
      for (const hash of [early, exact, late])
        await run((r) => r.staff.addLinkCode(hash, 'anna', at(600), at(0)));
      expect(await run((r) => r.staff.useLinkCode(early, new Date(at(600).getTime() - 1)))).toBe('anna');
      expect(await run((r) => r.staff.useLinkCode(exact, at(600)))).toBeNull();
      expect(await run((r) => r.staff.useLinkCode(late, at(601)))).toBeNull();
    });

    it('gives a code to exactly one of 20 tries at once on 3 connections', async () => {
      const alderman = newAlderman();
      const hash = newHash();
      await run((r) => r.staff.addLinkCode(hash, alderman, at(600), at(0)));
      const { values, errors } = await settle(
        Array.from({ length: 20 }, (_, i) =>
          store.uows[i % store.uows.length]!.transaction((r) => r.staff.useLinkCode(hash, at(1))),
        ),
      );
      expect(errors).toEqual([]);
      expect(values.filter((v) => v === alderman)).toHaveLength(1);
      expect(values.filter((v) => v === null)).toHaveLength(19);
    });

    it('refuses a hash that a live code holds, and reuses one whose code was used or expired', async () => {
      const [live, used, expired] = [newHash(), newHash(), newHash()];
      await run((r) => r.staff.addLinkCode(live, 'first', at(600), at(0)));
      await run((r) => r.staff.addLinkCode(used, 'first', at(600), at(0)));
      await run((r) => r.staff.addLinkCode(expired, 'first', at(60), at(0)));
      await run((r) => r.staff.useLinkCode(used, at(1)));
      // A live code is never taken over: it would link its holder to someone else.
      expect(await run((r) => r.staff.addLinkCode(live, 'second', at(1200), at(0)))).toBe(false);
      expect(await run((r) => r.staff.addLinkCode(used, 'second', at(1200), at(0)))).toBe(true);
      expect(await run((r) => r.staff.addLinkCode(expired, 'second', at(1200), at(60)))).toBe(true);
      expect(await run((r) => r.staff.useLinkCode(live, at(2)))).toBe('first');
      expect(await run((r) => r.staff.useLinkCode(used, at(2)))).toBe('second');
      expect(await run((r) => r.staff.useLinkCode(expired, at(61)))).toBe('second');
    });

    it('compares instants, not the zone of the process', async () => {
      const hash = newHash();
      // Stored in one zone, checked in others, across the night the clock springs forward.
      await inZone('Europe/Amsterdam', () => run((r) => r.staff.addLinkCode(hash, 'anna', at(600), at(0))));
      await inZone('America/St_Johns', async () => {
        expect(await run((r) => r.staff.useLinkCode(hash, at(600)))).toBeNull();
      });
      await inZone('Pacific/Chatham', async () => {
        expect(await run((r) => r.staff.useLinkCode(hash, at(599)))).toBe('anna');
      });
    });
  });

  describe('identities', () => {
    it('finds nothing for an address that was never linked', async () => {
      expect(await run((r) => r.staff.findIdentity(telegram()))).toBeNull();
      expect(await run((r) => r.staff.identitiesOf(newAlderman()))).toEqual([]);
    });

    it('links an address, tells channels apart, and keeps user ids exactly', async () => {
      const alderman = newAlderman();
      const id = `31612345678@c.us:${randomUUID()}`;
      await run((r) => r.staff.linkIdentity({ channel: 'whatsapp', userId: id }, alderman, at(1)));
      expect(await run((r) => r.staff.findIdentity({ channel: 'whatsapp', userId: id }))).toEqual({
        aldermanId: alderman,
      });
      expect(await run((r) => r.staff.findIdentity({ channel: 'telegram', userId: id }))).toBeNull();
      expect(
        await run((r) => r.staff.findIdentity({ channel: 'whatsapp', userId: id.toUpperCase() })),
      ).toBeNull();
      const name = `zoë-þórunn-${randomUUID().slice(0, 6)} 👋`;
      await run((r) => r.staff.linkIdentity({ channel: 'console', userId: name }, alderman, at(2)));
      expect(await run((r) => r.staff.identitiesOf(alderman))).toEqual([
        { channel: 'whatsapp', userId: id },
        { channel: 'console', userId: name },
      ]);
    });

    it('moves an address to the alderman who linked it last, once', async () => {
      const [first, second] = [newAlderman(), newAlderman()];
      const address = telegram();
      await run((r) => r.staff.linkIdentity(address, first, at(1)));
      await run((r) => r.staff.linkIdentity(address, second, at(2)));
      expect(await run((r) => r.staff.findIdentity(address))).toEqual({ aldermanId: second });
      expect(await run((r) => r.staff.identitiesOf(first))).toEqual([]);
      expect(await run((r) => r.staff.identitiesOf(second))).toEqual([address]);
      const listed = (await run((r) => r.staff.listIdentities())).filter((i) => i.userId === address.userId);
      expect(listed).toEqual([{ aldermanId: second, ...address, linkedAt: at(2) }]);
    });

    it('links one address once when 10 links race on 3 connections', async () => {
      const alderman = newAlderman();
      const address = telegram();
      const { errors } = await settle(
        Array.from({ length: 10 }, (_, i) =>
          store.uows[i % store.uows.length]!.transaction((r) =>
            r.staff.linkIdentity(address, alderman, at(i)),
          ),
        ),
      );
      expect(errors).toEqual([]);
      expect(await run((r) => r.staff.identitiesOf(alderman))).toEqual([address]);
    });

    it('lists identities by alderman (byte order, whatever the collation), then by when they were linked', async () => {
      const suffix = randomUUID().slice(0, 6);
      // Ids chosen so that a collation that ignores hyphens or case would order them otherwise.
      const [dash, plain, upper] = [`anna-de-vries-${suffix}`, `annabel-${suffix}`, `Zed-${suffix}`];
      const a1 = telegram();
      const a2 = { channel: 'web', userId: randomUUID() };
      const b1 = telegram();
      const c1 = { channel: 'whatsapp', userId: `${suffix}@c.us` };
      await run((r) => r.staff.linkIdentity(a2, dash, at(20)));
      await run((r) => r.staff.linkIdentity(b1, plain, at(5)));
      await run((r) => r.staff.linkIdentity(a1, dash, at(10)));
      await run((r) => r.staff.linkIdentity(c1, upper, at(30)));
      const listed = (await run((r) => r.staff.listIdentities())).filter((i) =>
        i.aldermanId.endsWith(suffix),
      );
      expect(listed).toEqual([
        { aldermanId: upper, ...c1, linkedAt: at(30) },
        { aldermanId: dash, ...a1, linkedAt: at(10) },
        { aldermanId: dash, ...a2, linkedAt: at(20) },
        { aldermanId: plain, ...b1, linkedAt: at(5) },
      ]);
      expect(await run((r) => r.staff.identitiesOf(dash))).toEqual([a1, a2]);
    });
  });
});
