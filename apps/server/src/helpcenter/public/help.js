// Kefu help center: small enhancements over plain HTML forms. Every page works without it.
(() => {
  const $ = (selector, root) => (root || document).querySelector(selector);
  const lang = document.documentElement.lang;

  // Forms marked data-once are sent once: a double click does not post twice.
  for (const form of document.querySelectorAll('form[data-once]')) {
    form.addEventListener('submit', (event) => {
      if (form.dataset.sent) return event.preventDefault();
      form.dataset.sent = '1';
    });
  }
  // Coming back with the Back button: the forms may be sent again.
  window.addEventListener('pageshow', () => {
    for (const form of document.querySelectorAll('form[data-sent]')) delete form.dataset.sent;
  });

  // The first problem of a form that came back with errors gets the focus.
  const errors = document.getElementById('errors');
  if (errors) errors.focus();

  // Times in the reader's own time zone.
  for (const el of document.querySelectorAll('time[data-local]')) {
    const date = new Date(el.getAttribute('datetime'));
    if (!Number.isNaN(date.getTime()))
      el.textContent = date.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
  }

  // "Was this helpful?" without a reload.
  const feedback = $('form[data-feedback]');
  if (feedback && window.fetch) {
    feedback.addEventListener('submit', (event) => {
      const answer = event.submitter?.value;
      if (!answer) return;
      event.preventDefault();
      fetch(feedback.action, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body: new URLSearchParams({ helpful: answer }),
        credentials: 'same-origin',
      })
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          feedback.hidden = true;
          const thanks = $(`[data-feedback-answer="${answer}"]`);
          if (thanks) thanks.hidden = false;
        })
        .catch(() => {
          feedback.hidden = false;
        });
    });
  }

  // Contact us: articles that may answer the question appear while the customer types.
  const text = $('textarea[data-suggest]');
  const box = $('#suggestions');
  if (text && box && window.fetch) {
    const list = $('ul', box);
    let timer = 0;
    let last = '';
    let pending = null;
    const render = (hits) => {
      list.textContent = '';
      for (const hit of hits) {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = `/help/${hit.locale}/articles/${encodeURIComponent(hit.slug)}`;
        link.textContent = hit.title;
        item.append(link);
        if (hit.fallback) {
          link.hreflang = hit.locale;
          link.lang = hit.locale;
          const badge = document.createElement('span');
          badge.className = 'badge';
          badge.textContent = box.getAttribute(`data-lang-${hit.locale.toLowerCase()}`) || '';
          item.append(' ', badge);
        }
        list.append(item);
      }
      box.hidden = hits.length === 0;
    };
    const suggest = () => {
      const q = text.value.trim().slice(0, 300);
      if (q === last) return;
      last = q;
      if (pending) pending.abort();
      if (q.length < 2) return render([]);
      pending = new AbortController();
      const url = `/api/v1/kb/search?locale=${encodeURIComponent(text.dataset.suggest)}&limit=5&q=${encodeURIComponent(q)}`;
      fetch(url, { headers: { accept: 'application/json' }, signal: pending.signal })
        .then((response) => (response.ok ? response.json() : { hits: [] }))
        .then((data) => render(data.hits || []))
        .catch(() => undefined);
    };
    text.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, 350);
    });
    suggest();
  }
})();
