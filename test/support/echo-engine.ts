import { Engine } from '../../src/engine/engine.js';
import type { FlowSet } from '../../src/engine/flow.js';
import type { StoredOutboxItem } from '../../src/ports/conversation-repository.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import { createLogger } from '../../src/shared/logger.js';
import { systemClock } from '../../src/shared/clock.js';
import type { Database } from '../../src/storage/database.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';

/** A flow set whose only step counts the messages of a conversation and echoes each one. */
export const echoFlows: FlowSet = {
  flows: [
    {
      name: 'echo',
      start: 'main',
      steps: {
        main: {
          answer: (ctx, input) => {
            const n = (typeof ctx.data.n === 'number' ? ctx.data.n : 0) + 1;
            return { data: { n }, say: [`${n}:${input.text}`] };
          },
        },
      },
    },
  ],
  globals: [],
  menu: { flow: 'echo', step: 'main' },
  firstContact: () => ({}),
  idleReset: () => ({}),
  guard: () => undefined,
  relay: () => undefined,
  tooMany: () => ({}),
  events: {},
};

/** An engine on `db` with the echo flows; delivered outbox items are collected in `out`. */
export function echoEngine(db: Database): { engine: Engine; out: StoredOutboxItem[] } {
  const out: StoredOutboxItem[] = [];
  const engine = new Engine({
    uow: createUnitOfWork(db),
    flows: echoFlows,
    texts: { nl: {}, en: {} },
    municipality: loadMunicipality('data'),
    clock: systemClock,
    services: {},
    sink: { deliver: (items) => out.push(...items) },
    logger: createLogger({ level: 'silent', production: true }),
    idleMs: 3_600_000,
    // These tests fire hundreds of messages at one conversation on purpose.
    rateLimit: { messages: 100_000, perMs: 60_000 },
  });
  return { engine, out };
}
