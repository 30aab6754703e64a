// baton dashboard: the live parts only. Every page works without this script; with it, the
// deploy form shows one tab at a time, the error summary takes the focus, copy buttons work and
// a deployment's status and log follow the API's event stream without reloading the page.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  function ready(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn);
    else fn();
  }

  // The group switcher submits itself when a group is picked.
  function autosubmit(root) {
    root.querySelectorAll('form[data-autosubmit] select').forEach(function (select) {
      select.addEventListener('change', function () { select.form.submit(); });
    });
  }

  // Tabs of the deploy form (WAI-ARIA tabs pattern: arrows move between tabs, Tab enters the pane).
  function formTabs(root) {
    var list = root.querySelector('[data-form-tabs]');
    if (!list) return null;
    var tabs = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
    function show(tab, focus) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute('aria-selected', on ? 'true' : 'false');
        t.classList.toggle('active', on);
        t.tabIndex = on ? 0 : -1;
        document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
      });
      if (focus) tab.focus();
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener('click', function () { show(tab, false); });
      tab.addEventListener('keydown', function (e) {
        var next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
        if (next === null) return;
        e.preventDefault();
        show(tabs[(next + tabs.length) % tabs.length], true);
      });
    });
    list.hidden = false;
    show(tabs[0], false);
    return function reveal(field) {
      var pane = field.closest('.form-tab-pane');
      var tab = pane && tabs.filter(function (t) { return t.getAttribute('aria-controls') === pane.id; })[0];
      if (tab) show(tab, false);
    };
  }

  // After a refused submit: the summary takes the focus (a screen reader reads it), its links
  // open the tab of their field and focus it.
  function errorSummary(root, reveal) {
    var summary = root.querySelector('#error-summary');
    if (!summary) return;
    summary.querySelectorAll('a[href^="#"]').forEach(function (a) {
      a.addEventListener('click', function (e) {
        var field = document.getElementById(a.getAttribute('href').slice(1));
        if (!field) return;
        e.preventDefault();
        if (reveal) reveal(field);
        field.focus();
      });
    });
    var firstInvalid = root.querySelector('[aria-invalid="true"]');
    if (firstInvalid && reveal) reveal(firstInvalid);
    summary.focus();
  }

  function copyButtons(root) {
    root.querySelectorAll('[data-copy]').forEach(function (button) {
      button.hidden = false;
      button.addEventListener('click', function () {
        var text = button.getAttribute('data-copy');
        var done = function () { button.textContent = 'Copied'; };
        if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () { button.textContent = 'Copy failed'; });
      });
    });
  }

  // A deployment page follows the API's server-sent events through the dashboard.
  var source = null;
  function live(root) {
    var holder = root.querySelector('[data-events]');
    if (source) { source.close(); source = null; }
    if (!holder || typeof EventSource === 'undefined') return;
    source = new EventSource(holder.getAttribute('data-events'));
    var announce = root.querySelector('#live-announcer');
    source.addEventListener('status', function (e) {
      var event = JSON.parse(e.data);
      root.querySelectorAll('[data-live="status"]').forEach(function (badge) {
        badge.setAttribute('data-status', event.status);
        badge.className = 'badge status-badge ' + statusClass(event.status);
        badge.textContent = words(event.status);
      });
      if (announce) announce.textContent = 'Status: ' + words(event.status);
      if (!/_IN_PROGRESS$/.test(event.status)) refresh();
    });
    source.addEventListener('log', function (e) {
      var lines = document.getElementById('log-lines');
      if (!lines) return;
      var event = JSON.parse(e.data);
      lines.appendChild(document.createTextNode(event.text + '\n'));
    });
    source.addEventListener('deleted', function () { source.close(); refresh(); });
  }

  // The settled page, fetched and swapped in place (outputs, resources and actions change).
  function refresh() {
    fetch(location.href, { credentials: 'same-origin' }).then(function (res) { return res.text(); }).then(function (html) {
      var next = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
      var main = document.querySelector('main');
      if (!next || !main) return;
      main.innerHTML = next.innerHTML;
      init(main);
    });
  }

  function statusClass(s) {
    if (/_FAILED$/.test(s)) return 'text-bg-danger';
    if (/_IN_PROGRESS$/.test(s)) return 'text-bg-info';
    if (s === 'DELETE_COMPLETE') return 'text-bg-secondary';
    if (/_COMPLETE$/.test(s)) return 'text-bg-success';
    return 'text-bg-light';
  }
  function words(s) {
    var w = s.toLowerCase().replace(/_/g, ' ');
    return w.charAt(0).toUpperCase() + w.slice(1);
  }

  // Catalogue search: hides the cards whose text does not match (the server filters too, without script).
  function search(root) {
    var box = root.querySelector('[data-card-search]');
    if (!box) return;
    var cards = root.querySelectorAll('[data-card-text]');
    var count = root.querySelector('#card-count');
    box.addEventListener('input', function () {
      var q = box.value.trim().toLowerCase();
      var shown = 0;
      cards.forEach(function (c) {
        var on = c.getAttribute('data-card-text').indexOf(q) >= 0;
        c.hidden = !on;
        if (on) shown += 1;
      });
      if (count) count.textContent = shown + (shown === 1 ? ' template' : ' templates');
    });
  }

  function init(root) {
    autosubmit(root);
    var reveal = formTabs(root);
    errorSummary(root, reveal);
    copyButtons(root);
    search(root);
    live(root);
  }

  ready(function () { init(document); });
})();
