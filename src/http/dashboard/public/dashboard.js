// The dashboard's one script: live pages. An element with data-live="<url>" listens to that
// server-sent event stream. 'line' adds a message to the transcript, 'count' renews a navigation
// link's label, 'opened' says a live session began and shows its reply box (hidden until then;
// without this script a reload shows it), 'left' says the resident left a live session (in the
// status and the reply box's hint), 'ended' says a live session is over and takes its reply box
// away (a reload shows it without), 'withdrawn' says the resident no longer needs the operator (in
// the takeover page's [data-withdrawn] status, there empty until then), 'notice' tells the operator
// something changed; 'ended' and 'notice' end the stream. 'queue' renews the webcare queue's rows
// (see below). When a stream drops, the browser reconnects by itself and sends the id of the last
// event it got (Last-Event-ID): the server goes on from there, so nothing is missed. A takeover's
// stream instead sends its whole transcript again on each (re)connect, each line with a key and the
// key of the line before it ('after'): a line whose key the page has (data-key, also on the lines it
// was built with) is not added twice, and a line it lacked goes in its place, not at the end. The
// queue's stream likewise sends every row on each (re)connect, in the page's order, each by its key
// and, when it changed, with its markup as the server renders it for the page itself (the row
// template, every text escaped: the one markup this script puts in); the script puts each row in
// its place, renews the cells that changed (focus on the others stays), takes away rows that left
// (those the stream names 'withdrawn' said as residents who no longer need help, the others as
// gone), and says in one line what changed: it compares each row's data-state with the one it had, so a
// reconnect's full list is news only where it differs. Of a live page only its status
// ([data-live-status]) is a live region: its state line and the queue's summary change silently, so
// a screen reader hears each change once. Text is set as text, never as HTML.
(() => {
  'use strict';
  const live = document.querySelector('[data-live]');
  if (!live || typeof EventSource !== 'function') return;
  const source = new EventSource(live.getAttribute('data-live'));
  const parse = (event) => JSON.parse(event.data);
  const paragraph = (className) => {
    const p = document.createElement('p');
    p.className = className;
    return p;
  };
  // Sets the text of the page's element that `selector` finds, if there is one; returns it.
  const setText = (selector, text) => {
    const element = document.querySelector(selector);
    if (element) element.textContent = text;
    return element;
  };
  const list = document.querySelector('.dash-transcript');
  // The transcript's keyed lines: those the page was built with, and those the stream added.
  const keyed = new Map();
  for (const item of list ? list.querySelectorAll('li[data-key]') : []) {
    keyed.set(item.getAttribute('data-key'), item);
  }
  source.addEventListener('line', (event) => {
    const line = parse(event);
    if (!list) return;
    if (typeof line.key === 'string' && keyed.has(line.key)) return;
    const item = document.createElement('li');
    const side = line.side === 'in' || line.side === 'note' ? line.side : 'out';
    item.className = `dash-transcript__item dash-transcript__item--${side}`;
    const head = paragraph('utrecht-paragraph');
    const who = document.createElement('strong');
    who.textContent = line.label;
    head.append(who, `, ${line.when}`);
    const text = paragraph('utrecht-paragraph dash-transcript__text');
    text.textContent = line.text;
    item.append(head, text);
    if (typeof line.key === 'string') {
      item.setAttribute('data-key', line.key);
      keyed.set(line.key, item);
    }
    // Where the transcript has it: right after the line before it ('' for the first), else last.
    const before = typeof line.after === 'string' ? keyed.get(line.after) : undefined;
    if (before) before.after(item);
    else if (line.after === '') list.prepend(item);
    else list.append(item);
  });
  // The queue's rows by key; a row's data-state says what it is ('waiting:', 'taken:<operator>', …).
  const queueTable = document.querySelector('[data-queue]');
  const rowOf = (html) => {
    const template = document.createElement('template');
    template.innerHTML = html;
    const row = template.content.firstElementChild;
    return row && row.matches('tr[data-key]') ? row : null;
  };
  // Renews an existing row from its new markup cell by cell, so focus on an unchanged link stays.
  const renew = (row, fresh) => {
    const cells = [...fresh.children];
    if (cells.length !== row.children.length) {
      row.replaceWith(fresh);
      return fresh;
    }
    row.setAttribute('data-state', fresh.getAttribute('data-state'));
    [...row.children].forEach((cell, i) => {
      if (cell.outerHTML !== cells[i].outerHTML) cell.replaceWith(cells[i]);
    });
    return row;
  };
  const kindOf = (state) => (state || '').split(':')[0];
  source.addEventListener('queue', (event) => {
    const queue = parse(event);
    const body = queueTable?.querySelector('tbody');
    if (!body) return;
    const had = new Map();
    for (const row of body.querySelectorAll('tr[data-key]')) had.set(row.getAttribute('data-key'), row);
    const changes = { waiting: 0, taken: 0, withdrawn: 0, withdrawnLeft: 0, gone: 0 };
    // Rows that left because their resident no longer needs help, not because they are gone.
    const withdrawn = new Set(Array.isArray(queue.withdrawn) ? queue.withdrawn : []);
    let cursor = body.firstElementChild;
    for (const item of queue.rows) {
      let row = had.get(item.key);
      had.delete(item.key);
      const fresh = typeof item.html === 'string' ? rowOf(item.html) : null;
      if (fresh) {
        const kind = kindOf(fresh.getAttribute('data-state'));
        if (
          row?.getAttribute('data-state') !== fresh.getAttribute('data-state') &&
          Object.hasOwn(changes, kind)
        )
          changes[kind] += 1;
        const atCursor = row === cursor;
        row = row ? renew(row, fresh) : fresh;
        if (atCursor) cursor = row;
      }
      if (!row) continue;
      if (row === cursor) cursor = cursor.nextElementSibling;
      else body.insertBefore(row, cursor);
    }
    for (const [key, row] of had) {
      row.remove();
      if (withdrawn.has(key)) changes.withdrawnLeft += 1;
      else changes.gone += 1;
    }
    const empty = queue.rows.length === 0;
    queueTable.hidden = empty;
    const none = document.querySelector('[data-queue-empty]');
    if (none) none.hidden = !empty;
    setText('[data-queue-summary]', queue.summary);
    // One line for everything this event changed, not one per row.
    const said = Object.entries(changes)
      .filter(([, count]) => count > 0)
      .map(([kind, count]) =>
        count === 1 ? queue.said[kind].one : queue.said[kind].other.replace('{count}', String(count)),
      );
    if (said.length > 0) setText('[data-live-status]', said.join(' '));
  });
  source.addEventListener('count', (event) => {
    const count = parse(event);
    for (const link of document.querySelectorAll('a.dash-nav__link')) {
      if (link.getAttribute('href') === count.href) link.textContent = count.label;
    }
  });
  source.addEventListener('opened', (event) => {
    const opened = parse(event);
    const run = document.querySelector('[data-live-run]');
    if (run) run.hidden = false;
    setText('[data-live-state]', opened.state);
    setText('[data-live-status]', opened.text);
  });
  source.addEventListener('left', (event) => {
    const left = parse(event);
    setText('[data-live-status]', left.text);
    setText('#reply-hint', left.hint);
  });
  source.addEventListener('ended', (event) => {
    const ended = parse(event);
    setText('[data-live-state]', ended.state);
    const status = setText('[data-live-status]', ended.text);
    const run = document.querySelector('[data-live-run]');
    if (run) {
      // What the alderman was still writing stays on the page to copy; nothing can be sent now.
      const unsent = document.getElementById('reply-text')?.value.trim();
      const focused = run.contains(document.activeElement);
      if (unsent) {
        const label = paragraph('utrecht-paragraph');
        label.textContent = ended.unsent;
        const quote = document.createElement('blockquote');
        quote.className = 'utrecht-blockquote';
        const text = paragraph('utrecht-paragraph');
        text.textContent = unsent;
        quote.append(text);
        run.replaceWith(label, quote);
      } else run.remove();
      // Focus in a form that is gone would drop to the page's top; the status says why it went.
      if (focused && status) {
        status.tabIndex = -1;
        status.focus();
      }
    }
    source.close();
  });
  source.addEventListener('withdrawn', (event) => {
    setText('[data-withdrawn]', parse(event).text);
  });
  source.addEventListener('notice', (event) => {
    setText('[data-live-status]', parse(event).text);
    source.close();
  });
})();

// A standard answer goes into the reply box where the cursor is, without leaving the page; without
// this script the same form reloads the page with the answer in the box.
(() => {
  'use strict';
  const form = document.querySelector('form[data-insert-answer]');
  const box = document.getElementById('reply-text');
  if (!form || !box) return;
  form.addEventListener('submit', (event) => {
    const option = form.querySelector('select')?.selectedOptions[0];
    if (!option) return;
    event.preventDefault();
    const text = option.getAttribute('data-text') || '';
    const start = box.selectionStart;
    const before = box.value.slice(0, start);
    const gap = before && !/\s$/.test(before) ? ' ' : '';
    box.setRangeText(gap + text, start, box.selectionEnd, 'end');
    box.focus();
  });
})();
