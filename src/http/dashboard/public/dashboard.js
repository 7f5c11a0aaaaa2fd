// The dashboard's one script: live pages. An element with data-live="<url>" listens to that
// server-sent event stream. 'line' adds a message to the transcript, 'count' renews a navigation
// link's label, 'notice' tells the operator something changed. Text is set as text, never as HTML.
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
  source.addEventListener('line', (event) => {
    const line = parse(event);
    const list = document.querySelector('.dash-transcript');
    if (!list) return;
    const item = document.createElement('li');
    item.className = `dash-transcript__item dash-transcript__item--${line.side === 'in' ? 'in' : 'out'}`;
    const head = paragraph('utrecht-paragraph');
    const who = document.createElement('strong');
    who.textContent = line.label;
    head.append(who, `, ${line.when}`);
    const text = paragraph('utrecht-paragraph dash-transcript__text');
    text.textContent = line.text;
    item.append(head, text);
    list.append(item);
  });
  source.addEventListener('count', (event) => {
    const count = parse(event);
    for (const link of document.querySelectorAll('a.dash-nav__link')) {
      if (link.getAttribute('href') === count.href) link.textContent = count.label;
    }
  });
  source.addEventListener('notice', (event) => {
    const status = document.querySelector('[data-live-status]');
    if (status) status.textContent = parse(event).text;
    source.close();
  });
})();
