import { escapeHtml as e, splitLinks } from '../links.js';
import type { ChatEntry } from '../protocol.js';
import type { WebLanguage, WebTranslate } from '../texts.js';

/** Everything the chat page shows; every text in it is escaped here. */
export interface ChatPageView {
  lang: WebLanguage;
  t: WebTranslate;
  entries: ChatEntry[];
  /** The no-JavaScript form's token and a fresh message id (a posted form is handled once). */
  token: string;
  messageId: string;
  /** In the widget's frame: a compact page without the header. */
  embed: boolean;
  logo: { src: string; alt: string };
  /** A notice above the form (a refused message, a cleared chat). */
  notice?: { text: string; kind: 'warning' | 'ok' };
  /** Text to put back in the box (a refused message is never lost). */
  draft?: string;
  maxChars: number;
}

/** The /chat page: works as a plain form without JavaScript; chat.js makes it live. */
export function renderChatPage(v: ChatPageView): string {
  const t = v.t;
  const last = v.entries[v.entries.length - 1];
  const choices = last?.from === 'service' ? (last.choices ?? []) : [];
  const query = pageQuery(v.lang, v.embed);
  return document(v, t('webchat.title'), [
    `<a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#spreekuur-input">${e(t('webchat.skip'))}</a>`,
    v.embed ? '' : header(v),
    `<main class="spreekuur-main" id="spreekuur-main">`,
    `<h1 class="utrecht-heading-1 spreekuur-title">${e(t('webchat.title'))}</h1>`,
    v.embed ? '' : `<p class="utrecht-paragraph">${e(t('webchat.intro'))}</p>`,
    `<section class="spreekuur-conversation" aria-labelledby="spreekuur-log-label">`,
    `<h2 class="spreekuur-sr-only" id="spreekuur-log-label">${e(t('webchat.log_label'))}</h2>`,
    `<p class="utrecht-paragraph spreekuur-empty" id="spreekuur-empty"${v.entries.length ? ' hidden' : ''}>${e(t('webchat.empty'))}</p>`,
    `<ol class="spreekuur-log" id="spreekuur-log">${v.entries.map((entry) => messageItem(entry, t)).join('')}</ol>`,
    `</section>`,
    `<div class="spreekuur-sr-only" id="spreekuur-announcer" aria-live="polite"></div>`,
    `<div class="spreekuur-status" id="spreekuur-status" role="status">${v.notice ? notice(v.notice) : ''}</div>`,
    messageForm(v, choices, query),
    `<p class="utrecht-paragraph spreekuur-refresh" id="spreekuur-refresh"><a class="utrecht-link" href="/chat${query}#spreekuur-input">${e(t('webchat.refresh'))}</a></p>`,
    forgetForm(v, query),
    `</main>`,
    clientTexts(v.t),
  ]);
}

/** The texts chat.js needs, as JSON data (a data block never runs; the CSP forbids inline script anyway). */
function clientTexts(t: WebTranslate): string {
  const keys = [
    'webchat.you',
    'webchat.service',
    'webchat.new_window',
    'webchat.sending',
    'webchat.status.connecting',
    'webchat.status.offline',
    'webchat.status.online',
    'webchat.refused.empty',
    'webchat.not_sent',
    'webchat.clear_confirm',
    'webchat.clear_yes',
    'webchat.clear_no',
    'webchat.cleared',
  ] as const;
  const json = JSON.stringify(Object.fromEntries(keys.map((k) => [k.replace(/^webchat\./, ''), t(k)])));
  return `<script type="application/json" id="spreekuur-texts">${json.replace(/</g, '\\u003c')}</script>`;
}

/** The no-JavaScript confirmation before the device forgets the conversation. */
export function renderForgetConfirmPage(v: Omit<ChatPageView, 'entries' | 'messageId'>): string {
  const t = v.t;
  const query = pageQuery(v.lang, v.embed);
  return document(v, t('webchat.clear'), [
    v.embed ? '' : header(v),
    `<main class="spreekuur-main" id="spreekuur-main">`,
    `<h1 class="utrecht-heading-1 spreekuur-title">${e(t('webchat.clear'))}</h1>`,
    `<p class="utrecht-paragraph">${e(t('webchat.clear_confirm'))}</p>`,
    `<form method="post" action="/chat/forget${query}" class="spreekuur-actions">`,
    hidden('token', v.token),
    hidden('confirm', 'yes'),
    `<button class="utrecht-button utrecht-button--primary-action" type="submit">${e(t('webchat.clear_yes'))}</button>`,
    `<a class="utrecht-link" href="/chat${query}">${e(t('webchat.clear_no'))}</a>`,
    `</form>`,
    `</main>`,
  ]);
}

function document(
  v: { lang: WebLanguage; embed: boolean; logo: { src: string } },
  title: string,
  body: string[],
): string {
  return [
    '<!doctype html>',
    `<html lang="${v.lang}" class="utrecht-theme">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<link rel="icon" href="${e(v.logo.src)}">`,
    `<title>${e(title)}</title>`,
    '<link rel="stylesheet" href="/assets/nlds.css">',
    '<link rel="stylesheet" href="/assets/theme.css">',
    '<link rel="stylesheet" href="/chat/chat.css">',
    '<script src="/chat/chat.js" defer></script>',
    '</head>',
    `<body class="utrecht-document utrecht-theme spreekuur-chat${v.embed ? ' spreekuur-chat--embed' : ''}">`,
    ...body.filter(Boolean),
    '</body>',
    '</html>',
  ].join('\n');
}

function header(v: { lang: WebLanguage; t: WebTranslate; logo: { src: string; alt: string } }): string {
  const other = v.lang === 'nl' ? 'en' : 'nl';
  return [
    `<header class="utrecht-page-header spreekuur-header">`,
    `<img class="spreekuur-logo" src="${e(v.logo.src)}" alt="${e(v.logo.alt)}">`,
    `<a class="utrecht-link spreekuur-language" href="/chat?lang=${other}" lang="${other}" hreflang="${other}">${e(v.t('webchat.other_language'))}</a>`,
    `</header>`,
  ].join('');
}

/** One message: who wrote it (for screen readers), then its text with safe links. */
export function messageItem(entry: ChatEntry, t: WebTranslate): string {
  const who = entry.from === 'resident' ? t('webchat.you') : t('webchat.service');
  return (
    `<li class="spreekuur-message spreekuur-message--${entry.from}" data-key="${e(entry.key)}">` +
    `<span class="spreekuur-sr-only">${e(who)} </span>` +
    `<div class="spreekuur-bubble">${linkedText(entry.text, t)}</div></li>`
  );
}

/** Message text as HTML: everything escaped; http(s) addresses become links that open apart. */
export function linkedText(text: string, t: WebTranslate): string {
  return splitLinks(text)
    .map((part) =>
      part.kind === 'text'
        ? e(part.text)
        : `<a class="utrecht-link" href="${e(part.href)}" target="_blank" rel="noopener noreferrer">${e(part.text)}<span class="spreekuur-sr-only"> ${e(t('webchat.new_window'))}</span></a>`,
    )
    .join('');
}

function messageForm(v: ChatPageView, choices: { id: string; label: string }[], query: string): string {
  const t = v.t;
  const choiceButtons = choices
    .map(
      (c) =>
        `<button class="utrecht-button utrecht-button--secondary-action spreekuur-choice" type="submit" name="choice" value="${e(c.id)}">${e(c.label)}</button>`,
    )
    .join('');
  return [
    `<form method="post" action="/chat${query}" class="spreekuur-form" id="spreekuur-form" data-max="${v.maxChars}">`,
    hidden('token', v.token),
    hidden('cmid', v.messageId),
    `<div class="spreekuur-choices" id="spreekuur-choices" role="group" aria-labelledby="spreekuur-choices-label"${choices.length ? '' : ' hidden'}>`,
    `<p class="utrecht-paragraph spreekuur-choices-label" id="spreekuur-choices-label">${e(t('webchat.choices_label'))}</p>`,
    `<div class="utrecht-button-group spreekuur-choice-list" id="spreekuur-choice-list">${choiceButtons}</div>`,
    `</div>`,
    `<div class="utrecht-form-field utrecht-form-field--text spreekuur-field">`,
    `<div class="utrecht-form-field__label"><label class="utrecht-form-label" for="spreekuur-input">${e(t('webchat.input_label'))}</label></div>`,
    `<div class="utrecht-form-field-description" id="spreekuur-hint" data-live-hint="${e(t('webchat.input_hint'))}">${e(t('webchat.input_hint_nojs'))}</div>`,
    `<div class="utrecht-form-field__input"><textarea class="utrecht-textarea spreekuur-input" id="spreekuur-input" name="text" rows="2" aria-describedby="spreekuur-hint" autocomplete="off">${e(v.draft ?? '')}</textarea></div>`,
    `</div>`,
    `<button class="utrecht-button utrecht-button--primary-action spreekuur-send" id="spreekuur-send" type="submit" name="send" value="1">${e(t('webchat.send'))}</button>`,
    `</form>`,
  ].join('\n');
}

function forgetForm(v: ChatPageView, query: string): string {
  return [
    `<form method="post" action="/chat/forget${query}" class="spreekuur-forget" id="spreekuur-forget">`,
    hidden('token', v.token),
    `<button class="utrecht-button utrecht-button--subtle" type="submit" id="spreekuur-forget-button">${e(v.t('webchat.clear'))}</button>`,
    `</form>`,
  ].join('\n');
}

function notice(n: { text: string; kind: 'warning' | 'ok' }): string {
  return `<div class="utrecht-alert utrecht-alert--${n.kind}"><p class="utrecht-paragraph">${e(n.text)}</p></div>`;
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${name}" value="${e(value)}">`;
}

/** `?lang=en&embed=1`: keeps the page's language and mode across posts and links. */
export function pageQuery(lang: WebLanguage, embed: boolean): string {
  return `?lang=${lang}${embed ? '&embed=1' : ''}`;
}
