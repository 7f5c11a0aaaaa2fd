import type { BroadcastCounts } from '../../ports/broadcast-repository.js';
import type { FeatureDeps } from '../../ports/feature.js';
import { LADDER, type Level, type ProjectUpdate } from '../../ports/participation-repository.js';
import { DomainError } from '../../shared/errors.js';
import { isLocalDate, localDateOf } from '../../shared/local-date.js';
import { broadcastCommands } from './broadcast.js';
import type { UpdateNotice } from './events.js';

/** The longest title, text and influence sentence an update may have (a chat message stays readable). */
export const LIMITS = { title: 120, text: 1000, influence: 300, link: 500 } as const;

/** What staff write: a project update for some districts, with its rung on the participation ladder. */
export interface UpdateDraft {
  title: string;
  text: string;
  link?: string | undefined;
  districts: readonly string[];
  topic?: string | undefined;
  level: string;
  /** One sentence: what residents can still influence. */
  influence?: string | undefined;
  /** Until when (YYYY-MM-DD). */
  until?: string | undefined;
}

/** Who sends: an operator or admin (every district), an alderman (only their own districts), or the CLI. */
export type Sender =
  { kind: 'cli' } | { kind: 'staff'; accountId: string; districts: readonly string[] | 'all' };

/** An update with its broadcast's figures. */
export interface UpdateWithCounts extends ProjectUpdate {
  counts: BroadcastCounts | null;
}

/** Reads a ladder rung; `participation.level` when it is not one of the five. */
export function levelOf(value: string): Level {
  const level = LADDER.find((l) => l === value.trim().toLowerCase());
  if (!level) throw new DomainError('participation.level', value);
  return level;
}

/** What a draft is checked against: the municipality's districts and topics, and today's local date. */
export interface DraftRules {
  districtIds: readonly string[];
  topicIds: readonly string[];
  /** Today in the municipality's zone (YYYY-MM-DD): "until" may not lie before it. */
  today: string;
}

/** Checks a draft and returns it clean; a DomainError names the first thing wrong. */
export function checkDraft(draft: UpdateDraft, rules: DraftRules) {
  const { districtIds } = rules;
  const title = draft.title.trim();
  const text = draft.text.trim();
  if (!title || title.length > LIMITS.title) throw new DomainError('participation.title');
  if (!text || text.length > LIMITS.text) throw new DomainError('participation.text');
  const link = draft.link?.trim() || undefined;
  if (link && (!/^https?:\/\/[^\s]+$/.test(link) || link.length > LIMITS.link))
    throw new DomainError('participation.link', link);
  const districts = [...new Set(draft.districts.map((d) => d.trim()).filter(Boolean))];
  if (districts.length === 0) throw new DomainError('participation.no_district');
  const unknown = districts.find((d) => !districtIds.includes(d));
  if (unknown) throw new DomainError('participation.unknown_district', unknown);
  const influence = draft.influence?.trim() || undefined;
  if (influence && influence.length > LIMITS.influence) throw new DomainError('participation.influence');
  const until = draft.until?.trim() || undefined;
  // A real calendar date (not 30 February), and not one that already passed.
  if (until && (!isLocalDate(until) || until < rules.today))
    throw new DomainError('participation.until', until);
  const topic = draft.topic?.trim() || undefined;
  if (topic && !rules.topicIds.includes(topic)) throw new DomainError('participation.unknown_topic', topic);
  return { title, text, link, districts, topic, level: levelOf(draft.level), influence, until };
}

/** Project updates: written by staff, sent to the subscribers of their districts through a broadcast. */
export function updateCommands(deps: Pick<FeatureDeps, 'uow' | 'queue' | 'clock' | 'municipality'>) {
  const { uow, clock, municipality } = deps;
  const broadcasts = broadcastCommands(deps);
  return {
    /** Stores the update, audits it and queues it for every subscriber; returns its id and how many get it. */
    async send(draft: UpdateDraft, sender: Sender): Promise<{ updateId: number; recipients: number }> {
      const now = clock.now();
      const u = checkDraft(draft, {
        districtIds: municipality.districts.map((d) => d.id),
        topicIds: municipality.cases.topics.map((t) => t.id),
        today: localDateOf(now, municipality.timeZone),
      });
      if (sender.kind === 'staff' && sender.districts !== 'all') {
        const allowed = sender.districts;
        if (u.districts.some((d) => !allowed.includes(d)))
          throw new DomainError('participation.not_your_district');
      }
      const author = sender.kind === 'cli' ? 'cli' : `staff:${sender.accountId}`;
      const updateId = await uow.transaction(async (r) => {
        const id = await r.participation.addUpdate(
          {
            ...u,
            link: u.link ?? null,
            topic: u.topic ?? null,
            influence: u.influence ?? null,
            until: u.until ?? null,
            author,
          },
          now,
        );
        await r.audit.append(
          {
            actor: author,
            action: 'participation.update_send',
            subject: `update:${id}`,
            detail: { districts: u.districts, level: u.level, title: u.title },
          },
          now,
        );
        return id;
      });
      const notice: Omit<UpdateNotice, 'broadcastId'> = {
        updateId,
        title: u.title,
        text: u.text,
        level: u.level,
        ...(u.link ? { link: u.link } : {}),
        ...(u.influence ? { influence: u.influence } : {}),
        ...(u.until ? { until: u.until } : {}),
      };
      const sent = await broadcasts.send({
        kind: 'update',
        subjectId: String(updateId),
        districts: u.districts,
        topic: u.topic ?? null,
        event: { name: 'participation.update', payload: { ...notice } },
      });
      await uow.run((r) => r.participation.setBroadcast(updateId, sent.broadcastId));
      return { updateId, recipients: sent.recipients };
    },

    /** The newest updates with their figures (of these districts only, when given). */
    async list(limit: number, districts?: readonly string[]): Promise<UpdateWithCounts[]> {
      const updates = await uow.run((r) => r.participation.listUpdates(limit, districts));
      return Promise.all(
        updates.map(async (u) => ({
          ...u,
          counts: u.broadcastId === null ? null : await broadcasts.counts(u.broadcastId),
        })),
      );
    },
  };
}

/** The update commands, as the CLI and the dashboard use them. */
export type UpdateCommands = ReturnType<typeof updateCommands>;
