import type { ServiceResult } from '../src/ports/services.js';
import type { BroadcastMark } from '../src/ports/broadcast-repository.js';
import type { SubscriptionView } from '../src/features/participation/services.js';
import type { UpdateNotice } from '../src/features/participation/events.js';
import type { Choice } from '../src/ports/messages.js';
import {
  call,
  type EventHandler,
  type Flow,
  type GlobalWord,
  type StepContext,
  type Transition,
} from './types.js';
import {
  askAgain,
  finish,
  interrupt,
  interrupted,
  knownDistrictId,
  resume,
  unwind,
  whole,
  yesNo,
  yesOrNo,
} from './common.js';
import { dateText, districtName, topicLabel } from './format.js';

/**
 * Says a broadcast (an update, a poll invitation) in the conversation. Beside the conversation, so
 * the choices of a question in progress stay answerable; kept for the person's next message when
 * the channel may not write first (whatsapp-web.js) or a person or alderman has the conversation.
 */
export function broadcastSay(ctx: StepContext, mark: BroadcastMark, text: string): Transition {
  if (mark.hold || ctx.state.mode !== 'bot') return { hold: [text] };
  return { say: [{ text, to: ctx.address }] };
}

/** An update as a resident reads it: what, where to read more, and how much they can still influence. */
export function updateText(ctx: StepContext, u: UpdateNotice): string {
  const lines = [ctx.t('participation.update.title', { title: u.title }), u.text];
  if (u.link) lines.push(ctx.t('participation.update.link', { link: u.link }));
  lines.push(ctx.t(`participation.level.${u.level}`));
  if (u.influence) lines.push(ctx.t('participation.update.influence', { influence: u.influence }));
  if (u.until)
    lines.push(
      ctx.t('participation.update.until', { date: dateText(ctx, new Date(`${u.until}T12:00:00Z`)) }),
    );
  lines.push(ctx.t('participation.update.footer'));
  return lines.join('\n\n');
}

/** A project update reached this conversation. */
const update: EventHandler<'participation.update'> = (ctx, payload) =>
  broadcastSay(ctx, payload, updateText(ctx, payload));

/** What the participation feature tells a resident's conversation. */
export const participationEvents: { 'participation.update': EventHandler<'participation.update'> } = {
  'participation.update': update,
};

function topicChoices(ctx: StepContext): Choice[] {
  return [
    { id: 'topic:', label: ctx.t('participation.topic_all') },
    ...ctx.municipality.cases.topics
      .filter((t) => t.id !== 'overig')
      .map((t) => ({ id: `topic:${t.id}`, label: topicLabel(ctx, t.id) })),
  ];
}

/** The resident's subscriptions, one line each: district, topic and the day they said yes. */
export function subscriptionLines(ctx: StepContext, subs: readonly SubscriptionView[]): string {
  return subs
    .map((s) =>
      ctx.t('participation.subscription', {
        district: districtName(ctx, s.districtId),
        topic: s.topic ? topicLabel(ctx, s.topic) : ctx.t('participation.topic_all'),
        date: dateText(ctx, s.since),
      }),
    )
    .join('\n');
}

function confirmText(ctx: StepContext): string {
  const topic = ctx.data.topic;
  return ctx.t('participation.confirm', {
    district: districtName(ctx, ctx.data.districtId ?? null),
    topic: topic ? topicLabel(ctx, topic) : ctx.t('participation.topic_all'),
  });
}

/** Shows what the resident already gets, then the district: the remembered one, or asked. */
function start(ctx: StepContext, result: ServiceResult<SubscriptionView[]>): Transition {
  const subs = result.ok ? result.value : [];
  const say = subs.length ? [`${ctx.t('participation.already')}\n${subscriptionLines(ctx, subs)}`] : [];
  const districtId = knownDistrictId(ctx);
  const subscribed = subs.length > 0;
  if (!districtId)
    return { say, data: { subscribed }, goto: { flow: 'district', step: 'ask' }, returnTo: 'topic' };
  return { say, data: { districtId, subscribed }, goto: 'topic' };
}

/** A no to more updates: nothing changes, said so (a subscriber keeps what they had). */
function declined(ctx: StepContext): Transition {
  return finish(ctx, {
    say: [ctx.t(ctx.data.subscribed ? 'participation.unchanged' : 'participation.not_subscribed')],
  });
}

function subscribed(ctx: StepContext, result: ServiceResult<{ since: number }>): Transition {
  if (!result.ok) return finish(ctx, { say: [ctx.t('participation.failed')] });
  const district = districtName(ctx, ctx.data.districtId ?? null);
  return finish(ctx, {
    say: [ctx.t('participation.subscribed', { district, date: dateText(ctx, result.value.since) })],
  });
}

/**
 * "updates", "blijf op de hoogte": the resident says yes to updates for their district (per topic
 * if they like). The consent is stored with its time, only on a clear yes.
 */
export const updatesFlow: Flow = {
  name: 'updates',
  start: 'start',
  label: 'dashboard.flow.updates',
  title: 'participation.title',
  intents: ['updates'],
  steps: {
    start: { enter: () => ({ call: call('participation.mine', {}, start) }) },
    topic: {
      label: 'dashboard.flow_step.updates.topic',
      enter: (ctx) => ({ say: [{ text: ctx.t('participation.topic'), choices: topicChoices(ctx) }] }),
      answer: (ctx, input) => {
        const id = input.choice?.id.startsWith('topic:') ? input.choice.id.slice('topic:'.length) : undefined;
        // "nee dank je" here (often after "U krijgt al berichten over …"): no topic, nothing changes.
        if (id === undefined && input.answer === 'no' && input.answerAlone) return declined(ctx);
        if (id === undefined) return askAgain(ctx, ctx.t('participation.topic'));
        return { data: { topic: id }, goto: 'confirm' };
      },
    },
    confirm: {
      label: 'dashboard.flow_step.updates.confirm',
      enter: (ctx) => ({
        say: [{ text: confirmText(ctx), choices: yesNo(ctx, 'participation.yes', 'participation.no', true) }],
      }),
      answer: (ctx, input) => {
        const yes = yesOrNo(input);
        const districtId = ctx.data.districtId;
        if (yes === true && districtId) {
          const topic = ctx.data.topic;
          return {
            call: call('participation.subscribe', { districtId, ...(topic ? { topic } : {}) }, subscribed),
          };
        }
        if (yes === false) return declined(ctx);
        return askAgain(ctx, confirmText(ctx));
      },
    },
  },
};

/**
 * Says `text` and goes on: at the step "afmelden" interrupted (the same question, what was typed
 * kept), else where this flow was called from, or the menu.
 */
function goOn(ctx: StepContext, flows: readonly Flow[], text: string): Transition {
  return interrupted(ctx) ? resume(ctx, flows, text) : finish(ctx, { say: [text] });
}

/** Ends the updates and says so (or that there were none). */
function updatesOff(flows: () => readonly Flow[]): Transition {
  return {
    call: call('participation.unsubscribe', {}, (ctx, result) =>
      goOn(
        ctx,
        flows(),
        ctx.t(result.ok && result.value.removed > 0 ? 'participation.unsubscribed' : 'participation.none'),
      ),
    ),
  };
}

/**
 * "updates uit": no more updates (the rest of the conversation goes on). Asked on its own ("updates
 * uit", "afmelden") it is done at once; read from a longer message ("mijn zoon wil zich afmelden
 * voor voetbal") it is asked first, as ending the updates deletes the resident's yes.
 */
export function updatesOffFlow(flows: () => readonly Flow[]): Flow {
  return {
    name: 'updates-off',
    start: 'off',
    label: 'dashboard.flow.updates-off',
    title: 'participation.title_off',
    intents: ['updates-off'],
    steps: {
      off: {
        enter: (ctx) =>
          ctx.input?.intent?.whole === false
            ? {
                call: call('participation.mine', {}, (c, result) =>
                  result.ok && result.value.length > 0
                    ? { goto: 'confirm' }
                    : goOn(c, flows(), c.t('participation.none')),
                ),
              }
            : updatesOff(flows),
      },
      confirm: {
        label: 'dashboard.flow_step.updates-off.confirm',
        enter: (ctx) => ({ say: [offQuestion(ctx)] }),
        answer: (ctx, input) => {
          const yes = yesOrNo(input);
          if (yes === true) return updatesOff(flows);
          if (yes === false) return goOn(ctx, flows(), ctx.t('participation.off_kept'));
          return askAgain(ctx, offQuestion(ctx).text);
        },
      },
    },
  };
}

/** The question before the updates end, with a yes that ends them. */
function offQuestion(ctx: StepContext) {
  return {
    text: ctx.t('participation.off_confirm'),
    choices: yesNo(ctx, 'participation.off_yes', 'participation.off_no', true),
  };
}

/**
 * "afmelden", "unsubscribe" on its own: a subscriber means the updates ("updates uit"); anyone
 * else gets the stop question, which says what stopping ends and needs a clear yes. Either takes
 * this flow's place, so a flow "afmelden" interrupted goes on after it (`inPlace`).
 */
export const unsubscribeFlow: Flow = {
  name: 'unsubscribe',
  start: 'check',
  label: 'dashboard.flow.unsubscribe',
  title: 'participation.title_off',
  intents: ['unsubscribe'],
  steps: {
    check: {
      enter: () => ({
        call: call('participation.mine', {}, (c, result) => {
          if (result.ok && result.value.length > 0)
            return { goto: { flow: 'updates-off', step: 'off' }, inPlace: true };
          // Typed at the stop question itself: that question again, not a second one on top of it.
          if (interrupted(c) && c.state.stack.at(-1)?.flow === 'stop') return unwind(c);
          return { goto: { flow: 'stop', step: 'confirm' }, inPlace: true };
        }),
      }),
    },
  },
};

/**
 * "afmelden" works at any step, as "stop" does: in a flow it interrupts the step, which a "no" to
 * the stop question (or the updates ending) goes back to. While waiting for (or talking to) a
 * person it is the stop question, asked by the bot, whose "no" goes back to waiting.
 */
export const unsubscribeWord: GlobalWord = {
  name: 'unsubscribe',
  worksIn: ['bot', 'human'],
  match: (input) => whole(input, 'unsubscribe'),
  handle: (ctx) =>
    ctx.state.mode === 'human'
      ? { mode: 'bot', data: { waitingForPerson: true }, goto: { flow: 'stop', step: 'confirm' } }
      : interrupt(ctx, { flow: 'unsubscribe', step: 'check' }),
};
