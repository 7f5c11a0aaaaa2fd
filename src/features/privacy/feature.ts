import type { Address } from '../../shared/address.js';
import { defineFeature, type FeatureDeps } from '../../ports/feature.js';
import { privacyJobHandlers, privacyRun, scheduleDailyPurge } from './jobs.js';
import { privacyPrivacy } from './privacy.js';
import { erasePersonalData, erasureHolds, exportPersonalData, purgeExpired } from './privacy-service.js';

/** What the privacy team does (CLI, dashboard): purge now, and a resident's access and erasure requests. */
function privacyCommands(deps: FeatureDeps) {
  const run = () => privacyRun(deps);
  return {
    /** Deletes or anonymises what is past its term at `at` (default now); counts by table. */
    purge: (options: { at?: Date; dryRun?: boolean; actor: string }) => purgeExpired(run(), options),
    /** Everything stored about the resident at this chat address. */
    export: (address: Address, actor: string) => exportPersonalData(run(), address, actor),
    /**
     * Deletes or anonymises everything stored about the resident at this chat address; refused
     * (`ErasureHeldError`) while one of their privacy requests is unanswered or its answer on its way.
     */
    erase: (address: Address, actor: string) => erasePersonalData(run(), address, actor),
    /** What must be settled before erasing: requests to answer, messages on their way (none: it may go). */
    erasureHolds: (address: Address) => erasureHolds(run(), address),
    /** The newest entries of the privacy log. */
    log: (limit: number) => deps.uow.run((r) => r.privacyAudit.list(limit)),
  };
}

/** Retention, access and erasure over every feature's privacy contract; the daily purge job. */
export const privacyFeature = defineFeature({
  name: 'privacy',
  commands: privacyCommands,
  jobs: privacyJobHandlers,
  sweep: scheduleDailyPurge,
  privacy: privacyPrivacy,
});
