// The web chat page, made live. Without this script the page is a plain form that works on its own.
// Every text from the service or a resident goes into the page with textContent, never as HTML.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const form = $('spreekuur-form');
  const textsNode = $('spreekuur-texts');
  if (!form || !textsNode || typeof WebSocket === 'undefined') return;

  const texts = JSON.parse(textsNode.textContent || '{}');
  const log = $('spreekuur-log');
  const input = $('spreekuur-input');
  const choicesBox = $('spreekuur-choices');
  const choiceList = $('spreekuur-choice-list');
  const statusBox = $('spreekuur-status');
  const announcer = $('spreekuur-announcer');
  const empty = $('spreekuur-empty');
  const forgetForm = $('spreekuur-forget');
  const lang = document.documentElement.lang === 'en' ? 'en' : 'nl';
  const embedded = document.body.classList.contains('spreekuur-chat--embed');
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
  const forceSse = new URLSearchParams(location.search).get('transport') === 'sse';

  const seen = new Set();
  const pending = new Map(); // client id → { text, choiceId }
  let lastChoices = [];
  let focusChoicesNext = false;
  let transport = null; // { send(frame): boolean, close() }
  let mode = forceSse ? 'sse' : 'ws';
  let failedOpens = 0;
  let retries = 0;
  let reconnectTimer = 0;
  let offlineTimer = 0;

  // The page works with JavaScript now: the live hint replaces the form's, the reload link goes.
  const hint = $('spreekuur-hint');
  if (hint && hint.dataset.liveHint) hint.textContent = hint.dataset.liveHint;
  const refresh = $('spreekuur-refresh');
  if (refresh) refresh.hidden = true;
  const connection = document.createElement('p');
  connection.className = 'utrecht-paragraph spreekuur-connection';
  connection.setAttribute('role', 'status');
  form.before(connection);

  for (const item of log.querySelectorAll('li[data-key]')) seen.add(item.dataset.key);
  lastChoices = [...choiceList.querySelectorAll('button')].map((b) => ({
    id: b.value,
    label: b.textContent,
  }));

  // --- rendering -------------------------------------------------------------------------------

  /** http(s) addresses become links that open apart; everything else stays text. */
  function fillText(target, text) {
    const pattern = /\bhttps?:\/\/[^\s<>"']+/gi;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      const raw = match[0].replace(/[.,;:!?)\]}'"]+$/, '');
      let url;
      try {
        url = new URL(raw);
      } catch {
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
      target.append(document.createTextNode(text.slice(last, match.index)));
      const a = document.createElement('a');
      a.className = 'utrecht-link';
      a.href = url.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = raw;
      const note = document.createElement('span');
      note.className = 'spreekuur-sr-only';
      note.textContent = ` ${texts.new_window}`;
      a.append(note);
      target.append(a);
      last = match.index + raw.length;
    }
    target.append(document.createTextNode(text.slice(last)));
  }

  function addEntry(entry, live) {
    if (seen.has(entry.key)) return null;
    seen.add(entry.key);
    const item = document.createElement('li');
    item.className = `spreekuur-message spreekuur-message--${entry.from}${live ? ' spreekuur-message--new' : ''}`;
    item.dataset.key = entry.key;
    const who = document.createElement('span');
    who.className = 'spreekuur-sr-only';
    who.textContent = `${entry.from === 'resident' ? texts.you : texts.service} `;
    const bubble = document.createElement('div');
    bubble.className = 'spreekuur-bubble';
    fillText(bubble, entry.text);
    item.append(who, bubble);
    log.append(item);
    empty.hidden = true;
    return item;
  }

  function showChoices(choices) {
    lastChoices = choices;
    choiceList.replaceChildren(
      ...choices.map((choice) => {
        const button = document.createElement('button');
        button.type = 'submit';
        button.name = 'choice';
        button.value = choice.id;
        button.className = 'utrecht-button utrecht-button--secondary-action spreekuur-choice';
        button.textContent = choice.label;
        return button;
      }),
    );
    choicesBox.hidden = choices.length === 0;
  }

  function announce(text) {
    // Cleared first, so the same words twice are read twice.
    announcer.textContent = '';
    setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

  function keepInView() {
    form.scrollIntoView({ block: 'end', behavior: reduceMotion.matches ? 'auto' : 'smooth' });
  }

  function notice(text, kind) {
    statusBox.replaceChildren();
    if (!text) return;
    const box = document.createElement('div');
    box.className = `utrecht-alert utrecht-alert--${kind || 'warning'}`;
    const p = document.createElement('p');
    p.className = 'utrecht-paragraph';
    p.textContent = text;
    box.append(p);
    statusBox.append(box);
  }

  function setConnection(state) {
    clearTimeout(offlineTimer);
    if (state === 'online') {
      connection.textContent = '';
      return;
    }
    // Short interruptions are not worth a message; a longer one is said once.
    offlineTimer = setTimeout(() => {
      connection.textContent = texts['status.offline'];
    }, 3000);
  }

  // --- frames from the server ------------------------------------------------------------------

  function handle(frame) {
    if (frame.type === 'history') {
      for (const entry of frame.entries) addEntry(entry, false);
      const last = frame.entries[frame.entries.length - 1];
      if (last && pending.size === 0) showChoices(last.from === 'service' ? last.choices || [] : []);
      keepInView();
    } else if (frame.type === 'message') {
      onMessage(frame.entry);
    } else if (frame.type === 'ack') {
      settle(frame.id);
    } else if (frame.type === 'refused') {
      onRefused(frame);
    } else if (frame.type === 'retry') {
      setTimeout(() => resend(frame.id), 3000);
    } else if (frame.type === 'forgotten') {
      clearView();
      notice(texts.cleared, 'ok');
      reconnectSoon(0);
    }
  }

  function onMessage(entry) {
    const item = addEntry(entry, true);
    if (!item) return;
    if (entry.from === 'service') {
      showChoices(entry.choices || []);
      announce(`${texts.service} ${entry.text}`);
      const active = document.activeElement;
      const lostFocus = !active || active === document.body;
      if (focusChoicesNext || lostFocus) {
        const first = choiceList.querySelector('button');
        if (first && focusChoicesNext) first.focus();
        else if (lostFocus) input.focus();
      }
      focusChoicesNext = false;
    } else {
      showChoices([]);
    }
    keepInView();
  }

  function settle(id) {
    pending.delete(id);
    const item = log.querySelector(`li[data-key="r:${CSS.escape(id)}"]`);
    if (!item) return;
    item.classList.remove('spreekuur-message--pending');
    item.querySelector('.spreekuur-sending')?.remove();
  }

  function onRefused(frame) {
    const waiting = pending.get(frame.id);
    pending.delete(frame.id);
    seen.delete(`r:${frame.id}`);
    log.querySelector(`li[data-key="r:${CSS.escape(frame.id)}"]`)?.remove();
    if (waiting && !waiting.choiceId && !input.value) input.value = waiting.text;
    showChoices(waiting && waiting.choices ? waiting.choices : lastChoices);
    notice(frame.notice, 'warning');
    input.focus();
  }

  // --- sending ---------------------------------------------------------------------------------

  function newId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  function send(text, choiceId) {
    if (!text.trim() && !choiceId) {
      notice(texts['refused.empty'], 'warning');
      input.focus();
      return;
    }
    notice('');
    const id = newId();
    const choices = lastChoices;
    pending.set(id, { text, choiceId, choices });
    const item = addEntry({ key: `r:${id}`, from: 'resident', text }, true);
    if (item) {
      item.classList.add('spreekuur-message--pending');
      const sending = document.createElement('span');
      sending.className = 'spreekuur-sending';
      sending.textContent = texts.sending;
      item.append(sending);
    }
    showChoices([]);
    keepInView();
    resend(id);
  }

  function resend(id) {
    const message = pending.get(id);
    if (!message || !transport) return;
    const frame = { type: 'send', id, text: message.text };
    if (message.choiceId) frame.choiceId = message.choiceId;
    transport.send(frame);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = event.submitter;
    if (submitter && submitter.name === 'choice') {
      focusChoicesNext = true;
      input.focus();
      send(submitter.textContent, submitter.value);
      return;
    }
    const text = input.value;
    input.value = '';
    send(text);
    input.focus();
  });

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit($('spreekuur-send'));
    }
  });

  // --- transports ------------------------------------------------------------------------------

  function openWebSocket() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/chat/socket?lang=${lang}`);
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      failedOpens = 0;
      online();
    });
    socket.addEventListener('message', (event) => handle(JSON.parse(event.data)));
    socket.addEventListener('close', () => {
      if (transport && transport.socket !== socket) return;
      transport = null;
      if (!opened && ++failedOpens >= 2) mode = 'sse';
      offline();
    });
    transport = {
      socket,
      send: (frame) => {
        if (socket.readyState !== WebSocket.OPEN) return false;
        socket.send(JSON.stringify(frame));
        return true;
      },
      close: () => socket.close(),
    };
  }

  function openEventSource() {
    const events = new EventSource(`/chat/events?lang=${lang}`);
    const current = {
      events,
      send: (frame) => {
        fetch(`/chat/send?lang=${lang}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(frame),
        })
          .then((response) => (response.ok ? response.json() : { type: 'retry', id: frame.id }))
          .then(handle)
          .catch(() => setTimeout(() => resend(frame.id), 3000));
        return true;
      },
      close: () => events.close(),
    };
    events.addEventListener('open', () => online());
    events.addEventListener('message', (event) => handle(JSON.parse(event.data)));
    events.addEventListener('error', () => {
      events.close();
      if (transport !== current) return;
      transport = null;
      offline();
    });
    transport = current;
  }

  function online() {
    retries = 0;
    setConnection('online');
    for (const id of pending.keys()) resend(id);
  }

  function offline() {
    setConnection('offline');
    reconnectSoon(Math.min(30000, 1000 * 2 ** Math.min(retries++, 5)) + Math.random() * 500);
  }

  function reconnectSoon(delay) {
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, delay);
  }

  /** (Re)connects; first makes sure this device has its cookie (it may have been cleared). */
  function connect() {
    if (transport) transport.close();
    transport = null;
    fetch('/chat/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        if (mode === 'sse') openEventSource();
        else openWebSocket();
      })
      .catch(() => offline());
  }

  // --- clearing the chat on this device --------------------------------------------------------

  function clearView() {
    log.replaceChildren();
    seen.clear();
    pending.clear();
    showChoices([]);
    empty.hidden = false;
  }

  forgetForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const box = document.createElement('div');
    box.className = 'utrecht-alert utrecht-alert--warning spreekuur-confirm';
    const question = document.createElement('p');
    question.className = 'utrecht-paragraph';
    question.id = 'spreekuur-confirm-text';
    question.textContent = texts.clear_confirm;
    const yes = document.createElement('button');
    yes.type = 'button';
    yes.className = 'utrecht-button utrecht-button--primary-action';
    yes.textContent = texts.clear_yes;
    const no = document.createElement('button');
    no.type = 'button';
    no.className = 'utrecht-button utrecht-button--secondary-action';
    no.textContent = texts.clear_no;
    const actions = document.createElement('div');
    actions.className = 'utrecht-button-group spreekuur-choice-list';
    actions.append(yes, no);
    box.append(question, actions);
    statusBox.replaceChildren(box);
    yes.focus();
    no.addEventListener('click', () => {
      statusBox.replaceChildren();
      $('spreekuur-forget-button').focus();
    });
    yes.addEventListener('click', () => {
      fetch(`/chat/forget?lang=${lang}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      })
        .then(() => {
          clearView();
          notice(texts.cleared, 'ok');
          input.focus();
          reconnectSoon(0);
        })
        .catch(() => notice(texts.not_sent, 'warning'));
    });
  });

  // --- in the widget's panel -------------------------------------------------------------------

  if (embedded) {
    window.addEventListener('message', (event) => {
      if (event.source === window.parent && event.data && event.data.type === 'spreekuur:focus')
        input.focus();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') window.parent.postMessage({ type: 'spreekuur:close' }, '*');
    });
  }

  connection.textContent = texts['status.connecting'];
  connect();
})();
