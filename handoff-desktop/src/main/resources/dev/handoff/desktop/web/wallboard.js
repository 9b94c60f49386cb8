// The supervisor wallboard: live state pushed over the board socket, KPIs fetched for the chosen window.
(function () {
  'use strict';
  var H = window.Handoff;
  var $ = H.$, el = H.el, clear = H.clear;
  var SVG = 'http://www.w3.org/2000/svg';
  var PHASES = ['REQUESTED', 'PACKAGED', 'ROUTED', 'VALIDATED', 'AGENT_NOTIFIED', 'TRANSFERRING', 'CONNECTED', 'VERIFIED'];
  var state = { window: 'hour', board: null, kpiTimer: null };

  function words(s) { return String(s || '').toLowerCase().replace(/_/g, ' '); }
  function since(iso) { return iso ? H.duration((H.serverNow() - Date.parse(iso)) / 1000) : ''; }
  function pct(x) { return x === null || x === undefined ? '–' : Math.round(x * 100) + '%'; }
  function ms(x) { return x === null || x === undefined ? '–' : x >= 10000 ? (x / 1000).toFixed(0) + ' s' : x >= 1000 ? (x / 1000).toFixed(1) + ' s' : x + ' ms'; }

  function onMessage(msg) {
    if (msg.type === 'hello') { $('agent-name').textContent = msg.agent.name + ' (supervisor)'; }
    if (msg.type === 'board') { state.board = msg; render(); soonKpis(); }
  }

  function render() {
    var b = state.board;
    var phases = $('phases');
    clear(phases);
    PHASES.forEach(function (p) {
      var n = b.phases[p] || 0;
      phases.appendChild(el('li', { className: 'phase-tile' + (n ? ' busy' : ''), 'data-testid': 'phase-' + p, 'data-count': String(n) }, [
        el('span', { className: 'phase-count', text: String(n) }), el('span', { className: 'phase-name', text: words(p) })]));
    });
    var rows = $('live-handoffs');
    clear(rows);
    b.handoffs.forEach(function (h) {
      rows.appendChild(el('tr', { className: h.silentAlarm ? 'alarm' : '', 'data-testid': 'live-row', 'data-phase': h.phase,
        'data-handoff-id': h.handoffId }, [
        el('td', {}, [el('span', { text: h.label }), h.silentAlarm ? el('span', { className: 'alarm-tag', 'data-testid': 'silent-alarm', text: 'SILENT ALARM' }) : null]),
        el('td', { 'data-testid': 'live-phase', text: words(h.phase) }),
        el('td', { className: 'since', 'data-since': h.requestedAt, text: since(h.requestedAt) }),
        el('td', { text: h.target || '' }),
        el('td', { text: words(h.priority) }),
        el('td', { text: h.agent || '' }),
        el('td', { className: h.overdue ? 'bad' : '', text: h.overdue ? String(h.overdue) : '' })
      ]));
    });
    $('live-count').textContent = String(b.handoffs.length);
    $('no-live').hidden = b.handoffs.length > 0;
    var queues = $('queues');
    clear(queues);
    b.queues.forEach(function (q) {
      queues.appendChild(el('tr', { 'data-testid': 'queue-row', 'data-queue': q.name }, [
        el('td', { text: q.name }), el('td', { 'data-testid': 'queue-depth', text: String(q.depth) }),
        el('td', { className: 'since', 'data-since': q.oldestWaitingSince, 'data-testid': 'queue-oldest', text: since(q.oldestWaitingSince) }),
        el('td', { text: q.agentsSignedIn === null ? '–' : String(q.agentsSignedIn) })]));
    });
    $('no-queues').hidden = b.queues.length > 0;
    var overdue = $('overdue');
    clear(overdue);
    b.overdue.forEach(function (o) {
      overdue.appendChild(el('li', { className: 'bad', 'data-testid': 'overdue-item' },
        [el('strong', { text: words(o.kind) + ' (' + words(o.strength) + ')' }), el('span', { text: ' · ' + o.label + ' · due ' + H.clock(o.deadline) })]));
    });
    $('no-overdue').hidden = b.overdue.length > 0;
    var agents = $('agents');
    clear(agents);
    b.agents.forEach(function (a) {
      agents.appendChild(el('li', { 'data-testid': 'agent-item', 'data-agent-id': a.id }, [
        el('strong', { text: a.name }), el('span', { className: 'muted',
          text: ' · ' + (a.role === 'SUPERVISOR' ? 'supervisor' : (a.queues.length ? a.queues.join(', ') : 'agent')) + ' · since ' + H.clock(a.signedInAt) })]));
    });
    $('agent-count').textContent = String(b.agents.length);
  }

  function ticking() {
    document.querySelectorAll('.since[data-since]').forEach(function (td) { td.textContent = since(td.getAttribute('data-since')); });
  }

  // ---- KPIs ----

  function soonKpis() {
    if (state.kpiTimer) { return; }
    state.kpiTimer = window.setTimeout(function () { state.kpiTimer = null; loadKpis(); }, 500);
  }

  function loadKpis() {
    H.api('GET', '/api/wallboard/kpis?window=' + state.window).then(renderKpis).catch(function () { });
  }

  function renderKpis(k) {
    $('kpi-window').textContent = k.window === 'day' ? 'last day' : 'last hour';
    var tiles = $('kpi-tiles');
    clear(tiles);
    [['containment', 'Contained by the AI', pct(k.containment.rate), k.containment.contained + ' of ' + k.containment.ended + ' conversations'],
      ['success', 'Transfers connected', pct(k.transfers.successRate), k.transfers.connected + ' connected, ' + k.transfers.returned + ' returned'],
      ['fallback', 'Needed a fallback', pct(k.transfers.fallbackRate), k.transfers.fallbacks + ' handoffs'],
      ['repetition', 'Repetition rate', pct(k.repetition.rate), k.repetition.flagged + ' flagged over 10%'],
      ['verification', 'Commitments verified in', ms(k.verification.p50Ms), 'p99 ' + ms(k.verification.p99Ms) + ' · ' + k.verification.samples + ' verified']
    ].forEach(function (t) {
      tiles.appendChild(el('div', { className: 'kpi', 'data-testid': 'kpi-' + t[0] }, [
        el('div', { className: 'kpi-name', text: t[1] }), el('div', { className: 'kpi-value', 'data-testid': 'kpi-value', text: t[2] }),
        el('div', { className: 'kpi-note', text: t[3] })]));
    });
    bars($('chart-series'), k.series.buckets.map(function (b) {
      return { label: H.clock(b.from).slice(0, 5), values: [b.connected, b.returned] };
    }), ['connected', 'returned to the bot'], function (v) { return String(v); });
    bars($('chart-reasons'), k.escalations.map(function (e) { return { label: words(e.kind), values: [e.count] }; }), ['escalations'],
      function (v) { return String(v); });
    bars($('chart-latency'), k.latency.map(function (l) { return { label: words(l.phase), values: [l.p50Ms || 0, l.p99Ms || 0] }; }),
      ['p50', 'p99'], ms);
  }

  /** A grouped bar chart with readable labels (12 px and up, AA contrast): one group per row, one bar per series. */
  function bars(svg, rows, series, format) {
    clear(svg);
    var box = svg.viewBox.baseVal, width = box.width, height = box.height;
    var tilt = rows.length > 5;
    var left = tilt ? 44 : 8, right = 8, top = 26, bottom = tilt ? 64 : 40;
    var max = 0;
    rows.forEach(function (r) { r.values.forEach(function (v) { max = Math.max(max, v); }); });
    series.forEach(function (name, i) {
      svg.appendChild(svgEl('rect', { x: 8 + i * 130, y: 4, width: 12, height: 12, 'class': 'bar s' + i }));
      svg.appendChild(svgEl('text', { x: 8 + i * 130 + 18, y: 15, 'class': 'chart-text' }, name));
    });
    if (rows.length === 0 || max === 0) {
      svg.appendChild(svgEl('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', 'class': 'chart-text', 'data-testid': 'chart-empty' },
        'nothing in this window yet'));
      return;
    }
    var group = (width - left - right) / rows.length;
    var barWidth = Math.max(3, Math.min(28, (group - 6) / series.length));
    var plot = height - top - bottom;
    rows.forEach(function (r, i) {
      var x0 = left + i * group + (group - barWidth * series.length) / 2;
      r.values.forEach(function (v, j) {
        var h = Math.round(plot * v / max);
        var rect = svgEl('rect', { x: x0 + j * barWidth, y: top + plot - h, width: barWidth - 1, height: Math.max(h, v ? 1 : 0),
          'class': 'bar s' + j, 'data-testid': 'bar' });
        rect.appendChild(svgEl('title', {}, r.label + ' · ' + series[j] + ': ' + format(v)));
        svg.appendChild(rect);
      });
      if (rows.length <= 12 || i % Math.ceil(rows.length / 12) === 0) {
        var lx = left + i * group + group / 2, ly = height - bottom + 16;
        svg.appendChild(svgEl('text', tilt ? { x: lx, y: ly, 'text-anchor': 'end', transform: 'rotate(-35 ' + lx + ' ' + ly + ')',
          'class': 'chart-text', 'data-testid': 'chart-label' } : { x: lx, y: ly, 'text-anchor': 'middle', 'class': 'chart-text',
          'data-testid': 'chart-label' }, r.label.length > 18 ? r.label.slice(0, 17) + '…' : r.label));
      }
    });
    svg.appendChild(svgEl('text', { x: width - right, y: 15, 'text-anchor': 'end', 'class': 'chart-text', 'data-testid': 'chart-max' },
      'max ' + format(max)));
  }

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  document.querySelectorAll('[data-window]').forEach(function (b) {
    b.addEventListener('click', function () {
      state.window = b.getAttribute('data-window');
      document.querySelectorAll('[data-window]').forEach(function (x) { x.classList.toggle('current', x === b); });
      $('export-csv').setAttribute('href', '/api/wallboard/export.csv?window=' + state.window);
      loadKpis();
    });
  });

  H.wireSessionControls();
  window.setInterval(ticking, 1000);
  window.setInterval(loadKpis, 30000);
  loadKpis();
  H.connect('/ws/board', onMessage);
}());
