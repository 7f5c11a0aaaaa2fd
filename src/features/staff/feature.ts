import { staffPrivacy } from './privacy.js';
import { defineFeature, type FeatureDeps } from '../../ports/feature.js';
import type { Address } from '../../shared/address.js';
import { createLinkCode, unlinkIdentity } from './link-code.js';
import { staffServices } from './services.js';

/** What administrators do with staff identities. */
function staffCommands(deps: FeatureDeps) {
  return {
    /** A one-time code an alderman sends as "koppel <code>" from their own chat; it revokes their older ones. */
    linkCode: (aldermanId: string, actor = 'cli') =>
      deps.uow.transaction((r) => createLinkCode(r, aldermanId, deps.clock.now(), actor)),
    /** Removes a linked chat identity; false when it was not linked. */
    unlink: (address: Address, actor = 'cli') =>
      deps.uow.transaction((r) => unlinkIdentity(r, address, deps.clock.now(), actor)),
    /** Every linked chat identity. */
    identities: () => deps.uow.run((r) => r.staff.listIdentities()),
  };
}

/** Staff identities on chat channels, linked by a one-time code (never by a claimed name). */
export const staffFeature = defineFeature({
  name: 'staff',
  services: () => staffServices,
  commands: staffCommands,
  privacy: staffPrivacy,
});
