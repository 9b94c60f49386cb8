// Handoff agent desktop. Plain browser JavaScript, no build step, no third-party code.
// Server data is only ever put into the page with textContent (never innerHTML).
(function () {
  'use strict';

  var params = new URLSearchParams(window.location.search);
  var token = params.get('token') || '';
  // the token is a credential: keep it out of the address bar, history and screenshots
  window.history.replaceState(null, '', window.location.pathname);

  var SVG = 'http://www.w3.org/2000/svg';
  var state = { handoffs: new Map(), currentId: null, skewMs: 0, socket: null, retries: 0 };

  function $(id) { return document.getElementById(id); }

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === 'text') { node.textContent = props[k]; }
      else if (k === 'className') { node.className = props[k]; }
      else { node.setAttribute(k, props[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function clock(iso) {
    var d = new Date(iso);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function nowOnServer() { return Date.now() + state.skewMs; }

  function current() { return state.currentId ? state.handoffs.get(state.currentId) : null; }

  // ---- server calls ----

  function api(method, path, body) {
    var init = { method: method, headers: { 'Authorization': 'Bearer ' + token } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) { throw new Error(json.error || ('HTTP ' + response.status)); }
        return json;
      });
    });
  }

  function connect() {
    setStatus('connecting', 'connecting…');
    var scheme = window.location.protocol === 'https:' ? 'wss://' : 'ws://';
    var socket = new WebSocket(scheme + window.location.host + '/ws?token=' + encodeURIComponent(token));
    state.socket = socket;
    socket.onopen = function () { state.retries = 0; setStatus('connected', 'connected'); };
    socket.onmessage = function (event) { onMessage(JSON.parse(event.data)); };
    socket.onclose = function () {
      setStatus('disconnected', 'disconnected, reconnecting…');
      var delay = Math.min(5000, 300 * Math.pow(2, state.retries++));
      window.setTimeout(connect, delay);
    };
  }

  function setStatus(kind, text) {
    var s = $('connection-status');
    s.className = 'status status-' + kind;
    s.textContent = text;
  }

  function onMessage(msg) {
    switch (msg.type) {
      case 'hello':
        state.skewMs = Date.parse(msg.serverTime) - Date.now();
        $('agent-id').textContent = 'agent ' + msg.agentId;
        break;
      case 'handoff': onHandoff(msg); break;
      case 'turn': onTurn(msg.contextId, msg.turn); break;
      case 'commitment': onCommitment(msg.contextId, msg.commitment); break;
      case 'read': onRead(msg.contextId, msg.receipt); break;
      default: break;
    }
  }

  function handoffFor(contextId) {
    var h = state.handoffs.get(contextId);
    if (!h) {
      h = { contextId: contextId, notice: null, view: null, turns: new Map(), commitments: new Map(), read: null };
      state.handoffs.set(contextId, h);
    }
    return h;
  }

  function onHandoff(msg) {
    var h = handoffFor(msg.contextId);
    h.notice = msg;
    state.skewMs = Date.parse(msg.serverTime) - Date.now();
    state.currentId = msg.contextId; // the newest handoff takes the screen
    renderList();
    renderCurrent();
    redeem(h);
  }

  function redeem(h) {
    api('GET', '/api/tickets/' + encodeURIComponent(h.notice.ticket)).then(function (view) {
      h.view = view;
      view.context.transcript.forEach(function (t) { mergeTurn(h, t); });
      if (view.context.inFlight) { mergeTurn(h, view.context.inFlight); }
      view.liveTurns.forEach(function (t) { mergeTurn(h, t); });
      view.commitments.forEach(function (c) {
        var known = h.commitments.get(c.id);
        if (!known || !known.verifiedAt) { h.commitments.set(c.id, c); }
      });
      if (view.read) { h.read = view.read; }
      if (h.contextId === state.currentId) { renderCurrent(); }
    }).catch(function (e) {
      $('commitment-error').textContent = 'Could not load the context: ' + e.message;
    });
  }

  function mergeTurn(h, t) {
    var index = t.index || 0;
    h.turns.set(index, {
      index: index, speaker: t.speaker, text: t.text, timestamp: t.timestamp, partial: !!t.partial
    });
  }

  function onTurn(contextId, turn) {
    var h = handoffFor(contextId);
    mergeTurn(h, turn);
    h.live = true;
    if (contextId === state.currentId) { renderTranscript(h, turn.index || 0); }
  }

  function onCommitment(contextId, commitment) {
    var h = handoffFor(contextId);
    var known = h.commitments.get(commitment.id);
    if (known && JSON.stringify(known) === JSON.stringify(commitment)) { return; } // the API answer and the push agree
    h.commitments.set(commitment.id, commitment);
    if (contextId === state.currentId) { renderCommitments(h); }
  }

  function onRead(contextId, receipt) {
    var h = handoffFor(contextId);
    h.read = receipt;
    if (contextId === state.currentId) { renderRead(h); }
  }

  // ---- rendering ----

  function renderList() {
    var list = $('handoff-list');
    clear(list);
    Array.from(state.handoffs.values()).filter(function (h) { return h.notice; }).forEach(function (h) {
      var item = el('li', {
        text: h.notice.escalation.priority + ' · ' + h.notice.sessionId,
        className: h.contextId === state.currentId ? 'current' : '',
        'data-context-id': h.contextId
      });
      item.addEventListener('click', function () { state.currentId = h.contextId; renderList(); renderCurrent(); });
      list.appendChild(item);
    });
  }

  function renderCurrent() {
    var h = current();
    $('empty-state').hidden = !!h;
    $('desk').hidden = !h;
    if (!h || !h.notice) { return; }
    renderNotice(h);
    renderWhisper(h);
    renderRead(h);
    renderTranscript(h, null);
    renderSentiment(h);
    renderCommitments(h);
    renderCustomer(h);
  }

  function renderNotice(h) {
    var n = h.notice;
    var priority = $('notification-priority');
    priority.textContent = n.escalation.priority + (n.escalation.action === 'SILENT_ALARM' ? ' · SILENT ALARM' : '');
    priority.className = 'pill ' + n.escalation.priority;
    $('notification-target').textContent = n.target.id;
    $('notification-session').textContent = n.sessionId;
    $('notification-channel').textContent = n.channel === 'VOICE' ? 'phone call' : 'chat';
    var reasons = $('escalation-reason');
    clear(reasons);
    n.escalation.reasons.forEach(function (r) {
      reasons.appendChild(el('li', {}, [el('span', { className: 'kind', text: r.kind.replace(/_/g, ' ') }),
        el('span', { text: r.detail })]));
    });
    $('preview').textContent = n.preview.text;
  }

  function renderWhisper(h) {
    var w = h.notice.whisper;
    $('whisper-goal').textContent = w.goal;
    $('whisper-obstacle').textContent = w.obstacle;
    $('whisper-sentiment').textContent = w.sentiment;
    $('whisper-opening').textContent = w.suggestedOpening;
    var tone = h.view && h.view.context.tone;
    $('tone-guidance').textContent = tone && tone.guidance ? 'Tone: ' + tone.guidance : '';
  }

  function renderRead(h) {
    var button = $('read-button');
    if (h.read) {
      button.disabled = true;
      $('read-status').textContent = 'Read by ' + h.read.agentId + ' at ' + clock(h.read.readAt);
    } else {
      button.disabled = false;
      $('read-status').textContent = '';
    }
  }

  function renderTranscript(h, freshIndex) {
    var list = $('transcript');
    clear(list);
    var triggerIndex = h.notice ? h.notice.preview.index : -1;
    Array.from(h.turns.values()).sort(function (a, b) { return a.index - b.index; }).forEach(function (t) {
      var cls = 'speaker-' + t.speaker + (t.partial ? ' partial' : '') + (t.index === triggerIndex ? ' trigger' : '')
        + (t.index === freshIndex ? ' fresh' : '');
      var time = el('time', { className: 'turn-time', datetime: t.timestamp, 'data-testid': 'turn-time', text: clock(t.timestamp) });
      list.appendChild(el('li', { className: cls, 'data-testid': 'turn', 'data-index': String(t.index) }, [
        time,
        el('span', { className: 'turn-speaker', 'data-testid': 'turn-speaker', text: t.speaker }),
        el('span', { className: 'turn-text', 'data-testid': 'turn-text', text: t.text })
      ]));
    });
    $('live-indicator').hidden = !h.live;
    if (freshIndex !== null) { list.scrollTop = list.scrollHeight; }
  }

  function renderSentiment(h) {
    $('sentiment-label').textContent = h.notice.sentimentLabel;
    var svg = $('sentiment-chart');
    clear(svg);
    var facts = $('sentiment-facts');
    clear(facts);
    if (!h.view) { return; }
    var s = h.view.context.sentiment;
    var width = 320, height = 130, left = 26, right = 8, top = 8, bottom = 16;
    function y(score) { return top + (1 - (score + 1) / 2) * (height - top - bottom); }
    [1, 0, -1].forEach(function (v) {
      svg.appendChild(svgEl('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), 'class': v === 0 ? 'zero' : 'zero' }));
      svg.appendChild(svgEl('text', { x: 2, y: y(v) + 3, 'class': 'axis-text' }, (v > 0 ? '+' : '') + v));
    });
    var points = s.series || [];
    var step = points.length > 1 ? (width - left - right) / (points.length - 1) : 0;
    var coords = points.map(function (p, i) {
      return [left + (points.length > 1 ? i * step : (width - left - right) / 2), y(p.score)];
    });
    if (coords.length > 0) {
      svg.appendChild(svgEl('polyline', {
        points: coords.map(function (c) { return c[0].toFixed(1) + ',' + c[1].toFixed(1); }).join(' '),
        'class': 'line ' + s.trend, 'data-testid': 'sentiment-line'
      }));
      coords.forEach(function (c, i) {
        var dot = svgEl('circle', { cx: c[0], cy: c[1], r: 3.5, 'class': 'dot', 'data-testid': 'sentiment-point' });
        dot.appendChild(svgEl('title', {}, 'turn ' + (points[i].turnIndex || 0) + ': ' + points[i].score));
        svg.appendChild(dot);
      });
      points.forEach(function (p, i) {
        svg.appendChild(svgEl('text', { x: coords[i][0] - 3, y: height - 4, 'class': 'axis-text' }, 't' + (p.turnIndex || 0)));
      });
    }
    [
      'velocity ' + (s.velocity >= 0 ? '+' : '') + Number(s.velocity).toFixed(2) + ' / turn',
      s.trend.toLowerCase(),
      'urgency ' + s.urgency.toLowerCase(),
      'trust ' + s.trust.toLowerCase()
    ].concat(s.markers || []).forEach(function (f) { facts.appendChild(el('span', { className: 'chip', text: f })); });
  }

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function renderCommitments(h) {
    var list = $('commitments');
    clear(list);
    var commitments = Array.from(h.commitments.values()).sort(function (a, b) { return (a.turnIndex || 0) - (b.turnIndex || 0); });
    if (commitments.length === 0) {
      list.appendChild(el('li', { className: 'muted', text: h.view ? 'The AI made no commitments.' : 'Loading…' }));
    }
    commitments.forEach(function (c) {
      var value = el('div', { className: 'commitment-value', 'data-testid': 'commitment-value' });
      if (c.status === 'CORRECTED') {
        value.appendChild(el('span', { className: 'was', text: c.value || '' }));
        value.appendChild(el('span', { className: 'muted', text: ' \u2192 ' }));
        value.appendChild(el('strong', { 'data-testid': 'commitment-corrected-value', text: c.correctedValue }));
      } else if (c.value) {
        value.appendChild(el('strong', { text: c.value }));
      }
      var item = el('li', {
        className: 'commitment ' + c.status, 'data-testid': 'commitment', 'data-commitment-id': c.id, 'data-status': c.status
      }, [
        el('div', { className: 'commitment-head' }, [
          el('span', { className: 'commitment-kind', text: c.kind.replace(/_/g, ' ').toLowerCase() }),
          el('span', { className: 'muted', text: c.strength.toLowerCase() + ' promise · turn ' + (c.turnIndex || 0) }),
          el('span', { className: 'commitment-status', 'data-testid': 'commitment-status',
            text: c.status === 'PENDING_VERIFICATION' ? 'TO VERIFY' : c.status + (c.verifiedBy ? ' by ' + c.verifiedBy : '') })
        ]),
        el('div', { className: 'commitment-text', 'data-testid': 'commitment-text', text: '\u201C' + c.text + '\u201D' }),
        value
      ]);
      if (c.status === 'PENDING_VERIFICATION') {
        var input = el('input', { type: 'text', 'data-testid': 'commitment-correct-value', placeholder: 'new value',
          'aria-label': 'Corrected value for ' + c.id });
        var confirm = el('button', { type: 'button', className: 'btn btn-confirm', 'data-testid': 'commitment-confirm', text: 'Confirm' });
        var correct = el('button', { type: 'button', className: 'btn', 'data-testid': 'commitment-correct', text: 'Correct' });
        var revoke = el('button', { type: 'button', className: 'btn btn-revoke', 'data-testid': 'commitment-revoke', text: 'Revoke' });
        confirm.addEventListener('click', function () { verify(h, c.id, { action: 'CONFIRM' }); });
        revoke.addEventListener('click', function () { verify(h, c.id, { action: 'REVOKE' }); });
        correct.addEventListener('click', function () {
          if (!input.value.trim()) { $('commitment-error').textContent = 'Enter the corrected value first.'; input.focus(); return; }
          verify(h, c.id, { action: 'CORRECT', value: input.value.trim() });
        });
        item.appendChild(el('div', { className: 'commitment-actions' }, [confirm, input, correct, revoke]));
      }
      list.appendChild(item);
    });
    tick();
  }

  function verify(h, commitmentId, body) {
    $('commitment-error').textContent = '';
    api('POST', '/api/contexts/' + encodeURIComponent(h.contextId) + '/commitments/' + encodeURIComponent(commitmentId), body)
      .then(function (updated) { onCommitment(h.contextId, updated); })
      .catch(function (e) { $('commitment-error').textContent = e.message; });
  }

  function renderCustomer(h) {
    var customer = $('customer'), crm = $('crm-profile'), interactions = $('crm-interactions');
    var bant = $('bant'), pains = $('pain-points');
    [customer, crm, interactions, bant, pains].forEach(clear);
    $('crm-system').textContent = '';
    if (!h.view) { return; }
    var ctx = h.view.context;
    var c = ctx.customer || {};
    if (c.customerId) { kv(customer, 'customer id', c.customerId); }
    Object.keys(c.accountIds || {}).forEach(function (k) { kv(customer, k + ' account', c.accountIds[k]); });
    Object.keys(c.fields || {}).forEach(function (k) { kv(customer, k, c.fields[k]); });
    if ((c.previousContacts || []).length) {
      kv(customer, 'contacted before', c.previousContacts.length + ' time(s), last ' + new Date(c.previousContacts[c.previousContacts.length - 1]).toLocaleString());
    }
    var p = ctx.crmProfile;
    if (p) {
      $('crm-system').textContent = p.system + ' · ' + p.recordId;
      if (p.displayName) { kv(crm, 'name', p.displayName); }
      Object.keys(p.attributes || {}).forEach(function (k) { kv(crm, k, p.attributes[k]); });
      (p.interactions || []).forEach(function (i) {
        interactions.appendChild(el('li', { 'data-testid': 'crm-interaction' }, [
          el('span', { className: 'muted', text: new Date(i.at).toLocaleDateString() + (i.channel ? ' · ' + i.channel : '') + ' · ' }),
          el('span', { text: (i.summary || '') + (i.outcome ? ' (' + i.outcome + ')' : '') })
        ]));
      });
    } else {
      kv(crm, 'profile', 'not found in the CRM');
    }
    var b = ctx.semanticLedger.bant || {};
    if (b.budget) { kv(bant, 'budget', b.budget.text); }
    if (b.authority) { kv(bant, 'authority', b.authority); }
    if (b.need) { kv(bant, 'need', b.need); }
    if (b.timeline) { kv(bant, 'timeline', b.timeline); }
    (ctx.semanticLedger.painPoints || []).forEach(function (pp) { pains.appendChild(el('li', { text: pp })); });
  }

  function kv(dl, key, value) {
    dl.appendChild(el('dt', { text: key }));
    dl.appendChild(el('dd', { text: value }));
  }

  // ---- countdown to the verification deadline ----

  function tick() {
    var h = current();
    var out = $('commitment-countdown');
    if (!h || !h.notice) { out.textContent = ''; return; }
    var pending = Array.from(h.commitments.values()).filter(function (c) { return c.status === 'PENDING_VERIFICATION'; }).length;
    if (h.view && pending === 0) {
      out.textContent = h.commitments.size ? 'all verified' : '';
      out.className = 'countdown done';
      return;
    }
    var left = Math.round((Date.parse(h.notice.verifyBy) - nowOnServer()) / 1000);
    if (left <= 0) {
      out.textContent = 'verification overdue';
      out.className = 'countdown overdue';
    } else {
      out.textContent = Math.floor(left / 60) + ':' + pad(left % 60) + ' left to verify';
      out.className = 'countdown';
    }
  }

  $('read-button').addEventListener('click', function () {
    var h = current();
    if (!h) { return; }
    $('read-button').disabled = true;
    api('POST', '/api/contexts/' + encodeURIComponent(h.contextId) + '/read').then(function (receipt) {
      onRead(h.contextId, receipt);
    }).catch(function (e) {
      $('read-button').disabled = false;
      $('read-status').textContent = 'Could not confirm: ' + e.message;
    });
  });

  window.setInterval(tick, 250);
  window.setInterval(function () {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) { state.socket.send('ping'); }
  }, 25000);
  connect();
}());
