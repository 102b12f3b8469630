// Mailroom console: small progressive enhancements, no framework. Pages work without this script.
(function () {
  'use strict';

  // Dates are rendered in UTC by the server (<time datetime="ISO">); show them in the viewer's time zone.
  function localTimes(root) {
    var format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    root.querySelectorAll('time[datetime]').forEach(function (el) {
      var d = new Date(el.getAttribute('datetime'));
      if (!isNaN(d)) {
        el.textContent = format.format(d);
        el.title = d.toISOString();
      }
    });
  }

  // Elements with data-poll="URL" are replaced by the HTML fragment at URL every 2 seconds, while the page is
  // visible; polling stops when the fragment comes back without data-poll (the sync finished). Used for live progress.
  function poll(el) {
    var url = el.getAttribute('data-poll');
    var every = 2000;
    function tick() {
      if (document.hidden) { setTimeout(tick, every); return; }
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var box = document.createElement('div');
          box.innerHTML = html;
          var next = box.firstElementChild;
          if (!next) return;
          el.replaceWith(next);
          localTimes(next);
          if (next.hasAttribute('data-poll')) setTimeout(function () { poll(next); }, 0);
        })
        .catch(function () { setTimeout(tick, every * 2); });
    }
    setTimeout(tick, every);
  }

  // Buttons that ask before doing something that cannot be undone.
  document.addEventListener('submit', function (e) {
    var q = e.target.getAttribute('data-confirm');
    if (q && !window.confirm(q)) e.preventDefault();
  });

  document.addEventListener('DOMContentLoaded', function () {
    localTimes(document);
    // An invitation's time zone defaults to the viewer's (the times typed are theirs).
    document.querySelectorAll('input[data-local-timezone]').forEach(function (el) {
      if (!el.value) el.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    });
    document.querySelectorAll('[data-poll]').forEach(poll);
  });
})();
