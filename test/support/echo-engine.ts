import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { Engine } from '../../src/engine/engine.js';
import type { FlowSet } from '../../src/engine/flow.js';
import type { Repositories, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { StoredOutboxItem } from '../../src/ports/conversation-repository.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';
import { pseudonymizer } from '../../src/shared/pseudonym.js';
import { createLogger } from '../../src/shared/logger.js';
import { systemClock } from '../../src/shared/clock.js';
import type { Database } from '../../src/storage/database.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';

/** The echo flow's types: no services or jobs, one event (a note); it counts in its data. */
interface EchoTypes {
  services: Record<never, never>;
  data: { n?: number };
  events: { note: { text: string } };
  jobs: Record<never, never>;
}

/** A flow set whose only step counts the messages of a conversation and echoes each one. */
export const echoFlows: FlowSet<EchoTypes> = {
  flows: [
    {
      name: 'echo',
      start: 'main',
      steps: {
        main: {
          answer: (ctx, input) => {
            const n = (ctx.data.n ?? 0) + 1;
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
  events: {
    note: (ctx, payload) => {
      const n = (ctx.data.n ?? 0) + 1;
      return { data: { n }, say: [`${n}:note ${payload.text}`] };
    },
  },
};

/** An engine on `db` with the echo flows; delivered outbox items are collected in `out`. */
export function echoEngine(
  db: Database,
  uow: UnitOfWork<Repositories> = createUnitOfWork(db),
): {
  engine: Engine<EchoTypes, Repositories>;
  out: StoredOutboxItem[];
} {
  const out: StoredOutboxItem[] = [];
  const engine = new Engine<EchoTypes, Repositories>({
    uow,
    conversations: () => Promise.resolve({ flows: echoFlows, vocabulary: loadVocabulary('data/vocabulary') }),
    texts: { nl: {}, en: {} },
    municipality: loadMunicipality('data'),
    clock: systemClock,
    services: {},
    // Collects everything at once, so it may take every message itself.
    sink: { deliver: (items) => out.push(...items), sendsDirectly: () => true },
    logger: createLogger({ level: 'silent', production: true }),
    pseudonym: pseudonymizer('echo-engine-test-key-of-32-characters'),
    idleMs: 3_600_000,
    // These tests fire hundreds of messages at one conversation on purpose.
    rateLimit: { messages: 100_000, perMs: 60_000 },
  });
  return { engine, out };
}
