import { randomUUID } from 'node:crypto';
import type { FeatureDeps } from '../../ports/feature.js';
import type { Language } from '../../i18n/translator.js';
import type { EventsNotifier } from '../../ports/notifier.js';
import type { TranscriptEntry } from '../../ports/conversation-repository.js';
import type { WebcareRequest } from '../../ports/webcare-repository.js';
import { addressOfKey } from '../../shared/address.js';
import { conversationSubject } from '../../shared/audit-subjects.js';
import { DomainError } from '../../shared/errors.js';
import type { WebcareEvents } from './events.js';

/** A takeover with no operator action for this long goes back to the queue. */
export const IDLE_TAKEOVER_MS = 30 * 60_000;
/** The longest reply an operator may send (as long as a resident may write). */
export const MAX_REPLY = 2000;
const QUEUE_LIMIT = 500;
/**
 * How far back the queue page's stream looks for residents who withdrew while waiting: longer than a
 * dropped stream takes to come back, so the rows that left meanwhile are said for what they were.
 */
const WITHDRAWN_LOOKBACK_MS = 60 * 60_000;
const TRANSCRIPT_LIMIT = 200;

/** The operator acting: their account id (the audit log's `staff:<id>`). */
export interface Operator {
  id: string;
}

/** A request as the queue shows it, with how long the resident has waited. */
export interface QueueItem extends WebcareRequest {
  waitingMs: number;
}

/** One resident's conversation as the operator sees it. */
export interface WebcareConversation {
  request: QueueItem;
  transcript: TranscriptEntry[];
  /** The language the resident is served in; null when none was stored yet (the municipality's default). */
  language: Language | null;
}

/**
 * Webcare: operators take over conversations of residents who asked for a person. While taken the
 * conversation stays in 'human' mode (the bot is silent, global words still work); replies and the
 * hand-back reach the resident as events of their conversation, through the engine's outbox.
 */
export function webcareCommands(deps: Pick<FeatureDeps, 'uow' | 'clock' | 'notifier' | 'pseudonym'>) {
  const { uow, clock } = deps;
  const subject = (key: string) => conversationSubject(deps.pseudonym, key);
  const notifier: EventsNotifier<WebcareEvents> = deps.notifier;
  const withWait = (r: WebcareRequest, now: Date): QueueItem => ({
    ...r,
    waitingMs: Math.max(0, now.getTime() - r.askedAt.getTime()),
  });

  return {
    /** Residents waiting for a person and the takeovers in progress, oldest request first. */
    async queue(): Promise<QueueItem[]> {
      const now = clock.now();
      return (await uow.run((r) => r.webcare.open(QUEUE_LIMIT))).map((r) => withWait(r, now));
    },

    /** Residents who withdrew while waiting ("hoeft niet meer") in the last hour, by conversation key. */
    async withdrawnWaiting(): Promise<string[]> {
      const since = new Date(clock.now().getTime() - WITHDRAWN_LOOKBACK_MS);
      return uow.run((r) => r.webcare.withdrawnWaiting(since, QUEUE_LIMIT));
    },

    /** How many residents wait for a person with nobody on it yet (the count in the header). */
    async waitingCount(): Promise<number> {
      return (await uow.run((r) => r.webcare.open(QUEUE_LIMIT))).filter((r) => r.operatorId === null).length;
    },

    /** One resident's request and the transcript; null when they do not (or no longer) wait for a person. */
    async conversation(key: string): Promise<WebcareConversation | null> {
      const now = clock.now();
      return uow.run(async (r) => {
        const request = await r.webcare.get(key);
        if (!request) return null;
        const transcript = await r.conversations.transcript(request.address, TRANSCRIPT_LIMIT);
        const language = await r.conversations.languageOf(key);
        return { request: withWait(request, now), transcript, language };
      });
    },

    /** Takes the resident over; `webcare.already_taken` when another operator was first. */
    async take(operator: Operator, key: string): Promise<void> {
      const now = clock.now();
      const request = await uow.transaction(async (r) => {
        const found = await r.webcare.get(key);
        if (!found) throw new DomainError('webcare.not_found');
        if (!(await r.webcare.take(key, operator.id, now))) throw new DomainError('webcare.already_taken');
        await r.audit.append(
          { actor: `staff:${operator.id}`, action: 'webcare.take', subject: subject(key) },
          now,
        );
        return found;
      });
      await notifier.notify(request.address, 'webcare.taken', {}, `webcare-taken:${randomUUID()}`);
    },

    /** Sends the operator's reply to the resident; only the operator who took them over may. */
    async reply(operator: Operator, key: string, text: string): Promise<void> {
      const words = text.trim();
      if (!words) throw new DomainError('webcare.empty_reply');
      if (words.length > MAX_REPLY) throw new DomainError('webcare.reply_too_long');
      const now = clock.now();
      await uow.transaction(async (r) => {
        if (!(await r.webcare.touch(key, operator.id, now))) throw new DomainError('webcare.not_yours');
        await r.audit.append(
          {
            actor: `staff:${operator.id}`,
            action: 'webcare.reply',
            subject: subject(key),
            detail: { length: words.length },
          },
          now,
        );
      });
      await notifier.notify(
        addressOfKey(key),
        'webcare.reply',
        { text: words, operatorId: operator.id },
        `webcare-reply:${randomUUID()}`,
      );
    },

    /** Hands the resident back to the bot: they are told, and offered the menu. */
    async handBack(operator: Operator, key: string): Promise<void> {
      const now = clock.now();
      await uow.transaction(async (r) => {
        if (!(await r.webcare.finish(key, operator.id))) throw new DomainError('webcare.not_yours');
        await r.audit.append(
          { actor: `staff:${operator.id}`, action: 'webcare.hand_back', subject: subject(key) },
          now,
        );
      });
      await notifier.notify(addressOfKey(key), 'webcare.handed_back', {}, `webcare-back:${randomUUID()}`);
    },

    /**
     * Puts takeovers idle for 30 minutes back in the queue (the operator sees a notice); one the
     * resident withdrew ends instead, and the resident is back with the bot. Returns how many.
     */
    async releaseIdle(): Promise<number> {
      const now = clock.now();
      const released = await uow.transaction(async (r) => {
        const idle = await r.webcare.releaseIdle(new Date(now.getTime() - IDLE_TAKEOVER_MS));
        for (const request of idle)
          await r.audit.append(
            {
              actor: 'system',
              action: 'webcare.release_idle',
              subject: subject(request.conversationKey),
              detail: { operator: request.operatorId, ...(request.withdrawnAt ? { withdrawn: true } : {}) },
            },
            now,
          );
        return idle;
      });
      for (const request of released.filter((x) => x.withdrawnAt !== null))
        await notifier.notify(
          request.address,
          'webcare.handed_back',
          {},
          `webcare-back:${request.conversationKey}:${now.getTime()}`,
        );
      return released.length;
    },

    /** Conversations taken from this operator because they were idle (shown once, then cleared). */
    async idleNotices(operator: Operator): Promise<QueueItem[]> {
      const now = clock.now();
      return uow.transaction(async (r) => {
        const mine = (await r.webcare.open(QUEUE_LIMIT)).filter((x) => x.releasedFrom === operator.id);
        if (mine.length > 0) await r.webcare.clearNotices(operator.id);
        return mine.map((x) => withWait(x, now));
      });
    },
  };
}

/** The webcare commands, as the dashboard uses them. */
export type WebcareCommands = ReturnType<typeof webcareCommands>;
