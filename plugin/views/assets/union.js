// Progressive enhancement only: every page works without this file.
// A flash message rides in the redirect's query; drop it from the address so a reload does not repeat it.
(function () {
  var url = new URL(location.href);
  var had = false;
  ['flash', 'kind']
    .concat(
      Array.from(url.searchParams.keys()).filter(function (k) {
        return k.indexOf('v_') === 0;
      }),
    )
    .forEach(function (k) {
      if (url.searchParams.has(k)) {
        url.searchParams.delete(k);
        had = true;
      }
    });
  if (had && history.replaceState) history.replaceState(null, '', url.pathname + (url.search ? url.search : '') + url.hash);
})();
document.addEventListener('click', function (e) {
  var el = e.target.closest && e.target.closest('[data-check-all]');
  if (!el) return;
  var boxes = document.querySelectorAll('input[name="' + el.getAttribute('data-check-all') + '"]');
  boxes.forEach(function (b) {
    b.checked = el.checked;
  });
});
// Polls a background job's progress (data-progress-url) and reloads when it is done.
(function () {
  var box = document.querySelector('[data-progress-url]');
  if (!box) return;
  var bar = box.querySelector('.bar > span');
  var label = box.querySelector('[data-progress-label]');
  function tick() {
    fetch(box.getAttribute('data-progress-url'), { credentials: 'same-origin' })
      .then(function (r) {
        return r.json();
      })
      .then(function (j) {
        var pct = j.total ? Math.round((j.processed / j.total) * 100) : 0;
        if (bar) bar.style.width = pct + '%';
        if (label) label.textContent = pct + '% (' + j.processed + '/' + (j.total || '?') + ')';
        if (j.status === 'running' || j.status === 'queued') setTimeout(tick, 800);
        else location.reload();
      })
      .catch(function () {
        setTimeout(tick, 2000);
      });
  }
  tick();
})();
// The active tab of every scrolling tab bar (ours and the host's) is scrolled into view on load,
// by scrolling the bar itself so the page does not jump.
(function () {
  document.querySelectorAll('nav').forEach(function (nav) {
    var active = nav.querySelector('a.active, a[aria-current="page"]');
    if (!active || nav.scrollWidth <= nav.clientWidth) return;
    var left = active.offsetLeft - nav.offsetLeft - (nav.clientWidth - active.offsetWidth) / 2;
    nav.scrollLeft = Math.max(0, left);
  });
})();
// Filters folded behind the search box on phones stay open on a wide screen.
(function () {
  if (!window.matchMedia || !window.matchMedia('(min-width: 601px)').matches) return;
  document.querySelectorAll('details.fold[data-open-wide]').forEach(function (d) {
    d.open = true;
  });
})();
// The batch bar counts the ticked boxes of its form and disables its buttons at zero.
(function () {
  document.querySelectorAll('[data-batch]').forEach(function (form) {
    var name = form.getAttribute('data-batch');
    var out = form.querySelector('[data-batch-count]');
    function update() {
      var n = form.querySelectorAll('input[name="' + name + '"]:checked').length;
      if (out) out.textContent = (out.getAttribute('data-template') || '{n}').replace('{n}', String(n));
      form.querySelectorAll('[data-batch-submit]').forEach(function (b) {
        b.disabled = n === 0;
      });
      form.setAttribute('data-selected', String(n));
    }
    form.addEventListener('change', update);
    update();
  });
})();
// A form with data-confirm asks first in a <dialog>, naming the count; {n} is the ticked boxes of data-batch.
document.addEventListener('submit', function (e) {
  var form = e.target;
  if (!form.getAttribute || !form.hasAttribute('data-confirm') || form.getAttribute('data-confirmed') === '1') return;
  var dialog = document.getElementById('union-confirm');
  if (!dialog || !dialog.showModal) return;
  e.preventDefault();
  var n = form.getAttribute('data-selected') || form.getAttribute('data-count') || '';
  dialog.querySelector('[data-confirm-text]').textContent = form.getAttribute('data-confirm').replace('{n}', n);
  dialog.returnValue = '';
  dialog.onclose = function () {
    if (dialog.returnValue !== 'ok') return;
    form.setAttribute('data-confirmed', '1');
    if (form.requestSubmit) form.requestSubmit(e.submitter || undefined);
    else form.submit();
  };
  dialog.showModal();
});
// A chosen poster is shown before it is sent (as a data: address, which the page's CSP allows); the server checks and re-encodes it.
document.addEventListener('change', function (e) {
  var input = e.target;
  if (!input.matches || !input.matches('input[type="file"][data-preview]')) return;
  var img = document.getElementById(input.getAttribute('data-preview'));
  var file = input.files && input.files[0];
  if (!img || !file || !window.FileReader) return;
  var reader = new FileReader();
  reader.onload = function () {
    img.src = reader.result;
    img.hidden = false;
    var none = document.querySelector('[data-preview-none="' + img.id + '"]');
    if (none) none.hidden = true;
  };
  reader.readAsDataURL(file);
});
