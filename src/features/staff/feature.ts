import { staffPrivacy } from './privacy.js';
import { defineFeature, type FeatureDeps } from '../../ports/feature.js';
import { createLinkCode } from './link-code.js';
import { staffServices } from './services.js';

/** What administrators do with staff identities. */
function staffCommands(deps: FeatureDeps) {
  return {
    /** A one-time code an alderman sends as "koppel <code>" from their own chat. */
    linkCode: (aldermanId: string) => deps.uow.run((r) => createLinkCode(r, aldermanId, deps.clock.now())),
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
