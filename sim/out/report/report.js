// The behaviour of tcpsim's HTML report (sim/out/report/report.h): choose
// a packet (click, hover, n/p or the arrow keys) to see its row of the
// table of packets in the details panel; zoom and pan the diagram; copy
// the command line.  Nothing is fetched.
(function () {
  'use strict';
  var svg = document.getElementById('ladder');
  var scroller = document.getElementById('scroller');
  var list = document.getElementById('details-list');
  var empty = document.getElementById('details-empty');
  var heads = Array.prototype.map.call(document.querySelectorAll('#seg-table thead th'),
                                       function (th) { return th.textContent; });
  var segs = Array.prototype.slice.call(svg.querySelectorAll('g.seg'));
  var current = -1;
  var zoom = 1;
  var baseW = svg.viewBox.baseVal.width, baseH = svg.viewBox.baseVal.height;

  function show(i) {
    var n = segs[i].getAttribute('data-seg');
    var row = document.getElementById('row-' + n);
    list.textContent = '';
    Array.prototype.forEach.call(row.cells, function (td, k) {
      var dt = document.createElement('dt');
      var dd = document.createElement('dd');
      dt.textContent = heads[k];
      dd.textContent = td.textContent;
      list.appendChild(dt);
      list.appendChild(dd);
    });
    empty.hidden = true;
  }

  function select(i, scroll) {
    if (i < 0 || i >= segs.length) return;
    if (current >= 0) {
      segs[current].classList.remove('selected');
      var old = document.getElementById('row-' + segs[current].getAttribute('data-seg'));
      if (old) old.classList.remove('selected');
    }
    current = i;
    segs[i].classList.add('selected');
    var row = document.getElementById('row-' + segs[i].getAttribute('data-seg'));
    if (row) row.classList.add('selected');
    show(i);
    if (scroll) segs[i].scrollIntoView({block: 'nearest', inline: 'nearest'});
  }

  function indexOf(n) {
    for (var i = 0; i < segs.length; i++)
      if (segs[i].getAttribute('data-seg') === String(n)) return i;
    return -1;
  }

  segs.forEach(function (g, i) {
    g.addEventListener('click', function () { select(i, false); });
    g.addEventListener('mouseenter', function () { show(i); });
    g.addEventListener('mouseleave', function () { if (current >= 0) show(current); });
  });

  // A link to a packet from the tables: choose it and show the diagram.
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest ? ev.target.closest('a[data-seg], tr[data-seg]') : null;
    if (!a) return;
    var i = indexOf(a.getAttribute('data-seg'));
    if (i < 0) return;
    if (a.tagName === 'A') ev.preventDefault();
    select(i, true);
    if (a.tagName === 'A') scroller.scrollIntoView({block: 'start'});
  });

  function setZoom(z) {
    zoom = Math.max(0.25, Math.min(4, z));
    svg.setAttribute('width', String(Math.round(baseW * zoom)));
    svg.setAttribute('height', String(Math.round(baseH * zoom)));
    document.getElementById('zoom-level').textContent = Math.round(zoom * 100) + '%';
  }
  function fit() { setZoom((scroller.clientWidth - 4) / baseW); }

  document.getElementById('prev').addEventListener('click', function () { select(current - 1, true); });
  document.getElementById('next').addEventListener('click', function () { select(current + 1, true); });
  document.getElementById('zoom-in').addEventListener('click', function () { setZoom(zoom * 1.25); });
  document.getElementById('zoom-out').addEventListener('click', function () { setZoom(zoom / 1.25); });
  document.getElementById('zoom-fit').addEventListener('click', fit);

  document.addEventListener('keydown', function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var t = ev.target.tagName;
    if (t === 'INPUT' || t === 'TEXTAREA') return;
    var k = ev.key;
    if (k === 'n' || k === 'j' || k === 'ArrowRight') select(current + 1, true);
    else if (k === 'p' || k === 'k' || k === 'ArrowLeft') select(Math.max(0, current - 1), true);
    else if (k === '+' || k === '=') setZoom(zoom * 1.25);
    else if (k === '-') setZoom(zoom / 1.25);
    else if (k === '0') fit();
    else return;
    ev.preventDefault();
  });

  // Pan: drag the diagram's background.
  var drag = null;
  scroller.addEventListener('mousedown', function (ev) {
    if (ev.button !== 0 || ev.target.closest('g.seg')) return;
    drag = {x: ev.clientX, y: ev.clientY, left: scroller.scrollLeft, top: scroller.scrollTop};
    scroller.classList.add('dragging');
    ev.preventDefault();
  });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    scroller.scrollLeft = drag.left - (ev.clientX - drag.x);
    scroller.scrollTop = drag.top - (ev.clientY - drag.y);
  });
  window.addEventListener('mouseup', function () {
    drag = null;
    scroller.classList.remove('dragging');
  });

  document.getElementById('copy').addEventListener('click', function () {
    var text = document.getElementById('command').textContent;
    var button = this;
    function done() { button.textContent = 'Copied'; }
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById('command'));
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try { document.execCommand('copy'); done(); } catch (e) { button.textContent = 'Select and copy'; }
    }
    if (navigator.clipboard && window.isSecureContext)
      navigator.clipboard.writeText(text).then(done, fallback);
    else
      fallback();
  });
}());
