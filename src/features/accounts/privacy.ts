import { definePrivacy } from '../../ports/privacy.js';

/**
 * Dashboard accounts hold staff data (name, e-mail, sessions), never a resident's: they are kept
 * while the account exists and are out of scope of a resident's access or erasure request.
 */
export const accountsPrivacy = definePrivacy({
  stores: [
    {
      table: 'staff_accounts',
      about: 'staff',
      personal: ['email', 'name'],
      holds: 'dashboard accounts (staff)',
      retention: null,
    },
    {
      table: 'staff_sessions',
      about: 'staff',
      personal: ['account_id'],
      holds: 'staff sign-in sessions',
      retention: null,
    },
    {
      table: 'staff_password_tokens',
      about: 'staff',
      personal: ['account_id'],
      holds: 'hashes of one-time set-password links',
      retention: null,
    },
    {
      table: 'staff_sign_in_throttle',
      about: 'staff',
      personal: ['key'],
      holds: 'failed sign-in counts per e-mail and network address',
      retention: null,
    },
  ],
  purge: () => Promise.resolve({}),
  export: () => Promise.resolve({}),
  erase: () => Promise.resolve({}),
});
