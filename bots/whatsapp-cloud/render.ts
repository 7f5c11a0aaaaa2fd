import type { Choice, OutboundMessage } from '../../src/ports/messages.js';
import type { GraphMessage } from './graph-client.js';

/** WhatsApp's limits (Cloud API reference: text, reply buttons, list messages). */
export const LIMITS = {
  text: 4096,
  buttonBody: 1024,
  listBody: 4096,
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  buttonId: 256,
  rowId: 200,
} as const;

/** What the renderer needs from the adapter: its texts, and a way to keep over-long choice ids. */
export interface RenderContext {
  /** The list's button ("Kies een optie"). */
  listButton: string;
  /** The hint under a numbered list ("Stuur het nummer van uw keuze."). */
  choiceHint: string;
  /** A short id for a choice id too long for WhatsApp; the adapter maps it back. */
  shortId(choice: Choice): string;
}

/**
 * The Graph API messages for one OutboundMessage: 1–3 choices as reply buttons, 4–10 as a list,
 * more as a numbered text. A text too long for one message goes ahead in parts; choices go on the last.
 */
export function renderForCloud(message: OutboundMessage, c: RenderContext): GraphMessage[] {
  const choices = message.choices ?? [];
  if (choices.length === 0 || choices.length > LIMITS.rows) {
    const text = choices.length === 0 ? message.text : numbered(message.text, choices, c.choiceHint);
    return split(text, LIMITS.text).map(textMessage);
  }
  if (choices.length <= LIMITS.buttons) return buttons(message.text, choices, c);
  return list(message.text, choices, c);
}

function textMessage(body: string): GraphMessage {
  return { type: 'text', text: { body, preview_url: false } };
}

function numbered(text: string, choices: Choice[], hint: string): string {
  return [text, '', ...choices.map((choice, i) => `${i + 1}. ${choice.label}`), '', hint].join('\n');
}

function buttons(text: string, choices: Choice[], c: RenderContext): GraphMessage[] {
  const titles = choices.map((choice) => cut(choice.label, LIMITS.buttonTitle));
  const clash = new Set(titles).size < titles.length;
  const fullText = withFullLabels(text, choices, titles);
  const finalTitles = clash
    ? titles.map((t, i) => cut(`${i + 1}. ${choices[i]!.label}`, LIMITS.buttonTitle) || t)
    : titles;
  const parts = split(fullText || c.choiceHint, LIMITS.buttonBody);
  const body = parts.pop()!;
  return [
    ...parts.map(textMessage),
    {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: body },
        action: {
          buttons: choices.map((choice, i) => ({
            type: 'reply',
            reply: { id: idFor(choice, LIMITS.buttonId, c), title: finalTitles[i]! },
          })),
        },
      },
    },
  ];
}

function list(text: string, choices: Choice[], c: RenderContext): GraphMessage[] {
  const titles = choices.map((choice) => cut(choice.label, LIMITS.rowTitle));
  const parts = split(withFullLabels(text, choices, titles) || c.choiceHint, LIMITS.listBody);
  const body = parts.pop()!;
  const rows = choices.map((choice, i) => {
    const title = titles[i]!;
    const rest = title === choice.label ? '' : choice.label.slice(title.replace(/…$/, '').length).trim();
    return {
      id: idFor(choice, LIMITS.rowId, c),
      title,
      ...(rest ? { description: cut(rest, LIMITS.rowDescription) } : {}),
    };
  });
  return [
    ...parts.map(textMessage),
    {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: body },
        action: { button: cut(c.listButton, LIMITS.listButton), sections: [{ rows }] },
      },
    },
  ];
}

/** A cut title says too little: then every choice's full text goes under the message, numbered. */
function withFullLabels(text: string, choices: Choice[], titles: string[]): string {
  if (titles.every((title, i) => title === choices[i]!.label)) return text;
  return `${text}\n\n${choices.map((ch, i) => `${i + 1}. ${ch.label}`).join('\n')}`;
}

function idFor(choice: Choice, max: number, c: RenderContext): string {
  return choice.id.length > 0 && choice.id.length <= max && !choice.id.startsWith('~')
    ? choice.id
    : c.shortId(choice);
}

/** Cuts at a word boundary where one is near, with an ellipsis; characters, not UTF-16 units. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = chars.slice(0, max - 1).join('');
  // A word that ends right at the cut stays whole.
  const space = chars[max - 1] === ' ' ? head.length : head.lastIndexOf(' ');
  return `${(space >= max / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/** Splits a long text into parts of at most `max` characters, at a line break or space where possible. */
export function split(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const head = [...rest].slice(0, max).join('');
    const at = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
    const end = at > max / 2 ? at : head.length;
    parts.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  parts.push(rest);
  return parts;
}
