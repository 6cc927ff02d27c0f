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
