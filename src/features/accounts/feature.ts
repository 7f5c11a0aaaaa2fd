import { accountsPrivacy } from './privacy.js';
import { defineFeature, type FeatureDeps } from '../../ports/feature.js';
import { accountCommands } from './accounts.js';
import { roleReferences } from './roles.js';
import { signInCommands } from './sign-in.js';

/** What the CLI and the dashboard do with accounts: manage them, sign in and out. */
function commands(deps: FeatureDeps) {
  const refs = roleReferences(deps.municipality);
  const base = { uow: deps.uow, clock: deps.clock, refs };
  return {
    refs,
    ...accountCommands({ ...base, publicUrl: deps.publicUrl, issuer: `Spreekuur ${deps.municipality.name}` }),
    ...signInCommands(base),
  };
}

/** Dashboard accounts with roles, Argon2id passwords, sessions and a sign-in throttle. */
export const accountsFeature = defineFeature({ name: 'accounts', commands, privacy: accountsPrivacy });
