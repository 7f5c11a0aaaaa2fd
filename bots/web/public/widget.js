// Spreekuur web chat widget: one script tag on the municipality's site opens the chat in a panel.
// <script src="https://chat.gemeente.nl/chat/widget.js" data-lang="nl" defer></script>
// The chat itself runs in a frame from the chat's own address, which only allowed sites may show.
(() => {
  'use strict';

  const script = document.currentScript;
  if (!script || window.spreekuurWidget) return;
  const CONFIG = __WIDGET_CONFIG__;
  const origin = new URL(script.src).origin;
  const wanted = script.dataset.lang || document.documentElement.lang.slice(0, 2);
  const lang = wanted === 'en' || wanted === 'nl' ? wanted : CONFIG.defaultLanguage;
  const t = CONFIG.texts[lang] || CONFIG.texts.nl;

  for (const href of [`${origin}/assets/theme.css`, `${origin}/chat/widget.css`]) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.append(link);
  }

  const root = document.createElement('div');
  root.className = 'utrecht-theme spreekuur-widget';
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'spreekuur-widget__launcher';
  launcher.textContent = t.open;
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'spreekuur-widget-panel');

  const panel = document.createElement('div');
  panel.id = 'spreekuur-widget-panel';
  panel.className = 'spreekuur-widget__panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', t.frameTitle);
  panel.hidden = true;
  const bar = document.createElement('div');
  bar.className = 'spreekuur-widget__bar';
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'spreekuur-widget__close';
  close.textContent = t.close;
  bar.append(close);
  panel.append(bar);
  root.append(launcher, panel);

  let frame = null;

  function focusChat() {
    if (!frame) return;
    frame.focus();
    frame.contentWindow.postMessage({ type: 'spreekuur:focus' }, origin);
  }

  function open() {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.className = 'spreekuur-widget__frame';
      frame.title = t.frameTitle;
      frame.src = `${origin}/chat?embed=1&lang=${lang}`;
      frame.addEventListener('load', focusChat);
      panel.append(frame);
    }
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    focusChat();
  }

  function hide() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }

  launcher.addEventListener('click', open);
  close.addEventListener('click', hide);
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hide();
  });
  window.addEventListener('message', (event) => {
    if (frame && event.origin === origin && event.source === frame.contentWindow) {
      if (event.data && event.data.type === 'spreekuur:close') hide();
    }
  });

  window.spreekuurWidget = { open, close: hide };
  if (document.body) document.body.append(root);
  else document.addEventListener('DOMContentLoaded', () => document.body.append(root));
})();
